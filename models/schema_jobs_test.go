package models_test

// Jobs are tenant data (migrations/00037_jobs_are_tenant_data.sql and
// migrations/always/river.sql): River's tables have no tenant_id, so no
// tenant policy binds them; River works as tandem_jobs, tandem_app holds
// nothing on them, and a tenant queues a job only for itself.

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/tandemhq/tandem/internal/dbtest"
)

// riverTables lists River's tables, read from the catalog as the owner.
func riverTables(t *testing.T, conn *pgx.Conn) []string {
	t.Helper()
	var names []string
	for _, row := range catalogRows(t, conn, `
		SELECT c.relname::text FROM pg_class c
		WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND c.relname LIKE 'river\_%'
		ORDER BY 1`) {
		names = append(names, row[0])
	}
	if !slices.Contains(names, "river_job") || !slices.Contains(names, "river_leader") {
		t.Fatalf("River's tables %v lack river_job or river_leader", names)
	}
	return names
}

func TestSchemaJobsAreTenantData(t *testing.T) {
	r := newRawDB(t)
	// Each has a fulfilment job (its Stripe guest reward) and delivery jobs
	// (an endpoint for every event).
	a, b := populateTenant(t, r), populateTenant(t, r)
	env.MoveJobOutbox(t) // on Citus the jobs wait there for River's mover
	ctx := context.Background()
	jobsOf := func(tenant uuid.UUID) (n int64, states string) {
		t.Helper()
		must(t, r.owner.QueryRow(ctx, `SELECT count(*), string_agg(id || ':' || state || ':' || attempt, ',' ORDER BY id)
			FROM river_job WHERE args ->> 'tenant_id' = $1`, tenant.String()).Scan(&n, &states))
		return n, states
	}
	aJobs, aStates := jobsOf(a.id)
	if aJobs < 2 {
		t.Fatalf("A has %d jobs; the fixture should queue a fulfilment and deliveries", aJobs)
	}
	var aJob int64
	must(t, r.owner.QueryRow(ctx, `SELECT id FROM river_job WHERE args ->> 'tenant_id' = $1 AND kind = 'reward_fulfilment'`,
		a.id.String()).Scan(&aJob))
	var aDelivery string
	must(t, r.owner.QueryRow(ctx, `SELECT id FROM webhook_deliveries WHERE tenant_id = $1 LIMIT 1`, a.id.String()).Scan(&aDelivery))

	denied := func(name, sql string, args ...any) attack {
		return attack{name: name, stmt: q(sql, args...), code: insufficientPriv, msg: "permission denied for table river_job"}
	}
	refused := func(name, sql string, args ...any) attack {
		return attack{name: name, stmt: q(sql, args...), code: insufficientPriv, msg: "row-level security policy for table \"river_job\""}
	}
	forge := `INSERT INTO river_job (kind, queue, max_attempts, args)
		VALUES ('reward_fulfilment', 'default', 12, jsonb_build_object('tenant_id', $1::uuid, 'reward_id', $2::text))`
	asJobs := []sqlStmt{q(`SET LOCAL ROLE tandem_jobs`)}
	attacks := []attack{
		// The app role, as Go code runs it.
		denied("read A's jobs", `SELECT args, errors FROM river_job WHERE args ->> 'tenant_id' = $1`, a.id.String()),
		denied("cancel A's job", `UPDATE river_job SET state = 'cancelled', finalized_at = now() WHERE id = $1`, aJob),
		denied("delete A's job", `DELETE FROM river_job WHERE id = $1`, aJob),
		denied("forge a job for A", forge, a.id.String(), a.reward),
		// The queue functions insert as tandem_referee, for app.tenant_id only.
		refused("queue A's fulfilment", `SELECT reward_fulfilment_queue($1, $2)`, a.id.String(), a.reward),
		refused("queue A's delivery", `SELECT webhook_queue($1, ARRAY[$2])`, a.id.String(), aDelivery),
		refused("queue A's fulfilment with a NULL tenant", `SELECT reward_fulfilment_queue(NULL, $1)`, a.reward),
		// The one-URL deployment: the owner switched to tandem_app.
		{name: "read A's jobs as the owner switched to tandem_app", owner: true, setup: []sqlStmt{q(`SET LOCAL ROLE tandem_app`)},
			stmt: q(`SELECT count(*) FROM river_job`), code: insufficientPriv, msg: "permission denied for table river_job"},
		// River's own role, which tandem_app may become: inside a tenant's
		// transaction it sees no job and writes none.
		{name: "cancel A's job as tandem_jobs", setup: asJobs,
			stmt: q(`UPDATE river_job SET state = 'cancelled', finalized_at = now() WHERE id = $1`, aJob)},
		{name: "delete every job as tandem_jobs", setup: asJobs, stmt: q(`DELETE FROM river_job`)},
		{name: "forge a job for A as tandem_jobs", setup: asJobs, stmt: q(forge, a.id.String(), a.reward),
			code: insufficientPriv, msg: "row-level security policy for table \"river_job\""},
		// Controls: B queues its own jobs.
		{name: "control: B queues its fulfilment", stmt: q(`SELECT reward_fulfilment_queue(app_tenant_id(), $1)`, b.reward), rows: 1},
		{name: "control: B queues a delivery", stmt: q(`SELECT webhook_queue(app_tenant_id(), ARRAY['whd_control'])`), rows: 1},
	}
	r.run(t, b.id, attacks)

	t.Run("with no tenant set", func(t *testing.T) {
		r.run(t, uuid.Nil, []attack{
			denied("read every job", `SELECT count(*) FROM river_job`),
			refused("queue A's fulfilment", `SELECT reward_fulfilment_queue($1, $2)`, a.id.String(), a.reward),
		})
	})

	t.Run("River's tables, swept as tandem_app and as tandem_jobs inside B's transaction", func(t *testing.T) {
		for _, table := range riverTables(t, r.owner) {
			for _, way := range []struct {
				role   string
				tenant uuid.UUID
				want   string // a part of the error, or exactly the rows seen
			}{
				{"tandem_app", b.id, "permission denied for table " + table},
				{"tandem_app", uuid.Nil, "permission denied for table " + table},
				{"tandem_jobs", b.id, "0"},
			} {
				var seen int64
				err := rolledBack(ctx, r.app, way.tenant, func(tx pgx.Tx) error {
					if err := setLocal(ctx, tx, way.role, uuid.Nil); err != nil {
						return err
					}
					return tx.QueryRow(ctx, fmt.Sprintf(`SELECT count(*) FROM %s`, pgx.Identifier{table}.Sanitize())).Scan(&seen)
				})
				got := fmt.Sprint(seen)
				if err != nil {
					got = err.Error()
				}
				if got != way.want && (err == nil || !strings.Contains(got, way.want)) {
					t.Errorf("%s as %s in tenant %s: %s; want %s", table, way.role, way.tenant, got, way.want)
				}
			}
		}
	})

	t.Run("River's role outside a tenant's transaction still sees every job", func(t *testing.T) {
		var seen int64
		must(t, rolledBack(ctx, r.app, uuid.Nil, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `SET LOCAL ROLE tandem_jobs`); err != nil {
				return err
			}
			return tx.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE args ->> 'tenant_id' = $1`, a.id.String()).Scan(&seen)
		}))
		if seen != aJobs {
			t.Errorf("tandem_jobs with no tenant sees %d of A's %d jobs", seen, aJobs)
		}
	})

	if n, states := jobsOf(a.id); n != aJobs || states != aStates {
		t.Errorf("A's jobs changed: %d %s, then %d %s", aJobs, aStates, n, states)
	}
}

// River's tables in the catalog: listed as exceptions to the tenant
// tables, out of tandem_app's reach, bound by River's policies.
func TestSchemaCatalogJobTables(t *testing.T) {
	owner := dialRaw(t, env.OwnerURL)
	tables := riverTables(t, owner)
	for _, table := range tables {
		if nonTenantTables[table] == "" {
			t.Errorf("River's table %s is missing from nonTenantTables", table)
		}
	}

	t.Run("tandem_app may become tandem_jobs but inherits nothing", func(t *testing.T) {
		rows := catalogRows(t, owner, `SELECT rolinherit, coalesce((SELECT string_agg(m.roleid::regrole::text, ',')
			FROM pg_auth_members m WHERE m.member = r.oid), '') FROM pg_roles r WHERE rolname = 'tandem_app'`)
		if !slices.Equal(rows[0], []string{"f", "tandem_jobs"}) {
			t.Errorf("tandem_app: inherit %s, member of %q; want f and tandem_jobs alone", rows[0][0], rows[0][1])
		}
	})

	t.Run("tandem_jobs is a plain role that owns nothing", func(t *testing.T) {
		rows := catalogRows(t, owner, `
			SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb, rolreplication, rolcanlogin,
			       EXISTS (SELECT 1 FROM pg_class WHERE relowner = r.oid) OR EXISTS (SELECT 1 FROM pg_proc WHERE proowner = r.oid),
			       EXISTS (SELECT 1 FROM pg_auth_members m WHERE m.member = r.oid)
			FROM pg_roles r WHERE rolname = 'tandem_jobs'`)
		want := []string{"f", "f", "f", "f", "f", "f", "f", "f"}
		if dbtest.Citus() {
			// Citus reaches a worker as River's role itself, so the harness
			// lets it log in (internal/dbtest/citus.go, docs/scale.md).
			want[5] = "t"
		}
		if len(rows) != 1 || !slices.Equal(rows[0], want) {
			t.Errorf("tandem_jobs: superuser, bypassrls, createrole, createdb, replication, login, owns, member = %v; want %v", rows, want)
		}
	})

	t.Run("tandem_app holds no privilege on River's tables", func(t *testing.T) {
		rows := catalogRows(t, owner, `
			SELECT c.relname::text, p FROM pg_class c,
			       unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) p
			WHERE c.relname = ANY ($1::text[]) AND c.relnamespace = 'public'::regnamespace
			  AND (has_table_privilege('tandem_app', c.oid, p)
			       OR (p IN ('SELECT', 'INSERT', 'UPDATE', 'REFERENCES') AND has_any_column_privilege('tandem_app', c.oid, p)))`, tables)
		for _, row := range rows {
			t.Errorf("tandem_app has %s on %s", row[1], row[0])
		}
		if rows := catalogRows(t, owner, `SELECT has_table_privilege('tandem_jobs', 'river_job', 'UPDATE')`); rows[0][0] != "t" {
			t.Fatal("tandem_jobs cannot UPDATE river_job: the privilege query is wrong, or River cannot work")
		}
	})

	t.Run("River's tables have River's policies and no other", func(t *testing.T) {
		outside := "(app_tenant_id() IS NULL)"
		want := map[string]bool{}
		for _, table := range tables {
			want[table+" river_outside_tenants ALL tandem_jobs "+outside+" "+outside] = true
		}
		want["river_job river_job_queued_by_tenant INSERT tandem_referee  ((args ->> 'tenant_id'::text) = (app_tenant_id())::text)"] = true
		// A deleted account's purge deletes the jobs that name it.
		want["river_job river_job_purged_with_tenant ALL tandem_purger ((args ->> 'tenant_id'::text) = (app_tenant_id())::text) false"] = true
		rows := catalogRows(t, owner, `
			SELECT c.relname::text, c.relrowsecurity, p.policyname::text, p.cmd::text, array_to_string(p.roles, ',')::text,
			       coalesce(p.qual, ''), coalesce(p.with_check, '')
			FROM pg_class c LEFT JOIN pg_policies p ON p.schemaname = 'public' AND p.tablename = c.relname
			WHERE c.relname = ANY ($1::text[]) AND c.relnamespace = 'public'::regnamespace`, tables)
		for _, row := range rows {
			if row[1] != "t" {
				t.Errorf("%s: row-level security is off", row[0])
			}
			policy := strings.Join([]string{row[0], row[2], row[3], row[4], row[5], row[6]}, " ")
			if !want[policy] {
				t.Errorf("unexpected policy: %s", policy)
			}
			delete(want, policy)
		}
		for policy := range want {
			t.Errorf("missing policy: %s", policy)
		}
	})
}

// The job outbox (migrations/00046_job_outbox.sql) is tenant data that
// only the queue functions write, for the transaction's tenant, and only
// River's role reads and deletes, outside any tenant's transaction.
func TestSchemaJobOutboxIsTenantData(t *testing.T) {
	r := newRawDB(t)
	a, b := populateTenant(t, r), populateTenant(t, r)
	env.MoveJobOutbox(t) // on Citus the fixture's jobs wait there for River's mover
	ctx := context.Background()
	// One job each, as the queue functions leave them on a Citus worker.
	outboxOf := func(tenant uuid.UUID) (jobs string) {
		t.Helper()
		must(t, r.owner.QueryRow(ctx, `SELECT coalesce(string_agg(id || ':' || args::text, ',' ORDER BY id), '')
			FROM job_outbox WHERE tenant_id = $1`, tenant.String()).Scan(&jobs))
		return jobs
	}
	for _, d := range []tenantData{a, b} {
		_, err := r.owner.Exec(ctx, `INSERT INTO job_outbox (tenant_id, kind, queue, max_attempts, args)
			VALUES ($1, 'reward_fulfilment', 'default', 12, jsonb_build_object('tenant_id', $1::uuid, 'reward_id', $2::text))`,
			d.id.String(), d.reward)
		must(t, err)
	}
	t.Cleanup(func() {
		if _, err := r.owner.Exec(ctx, `DELETE FROM job_outbox WHERE tenant_id IN ($1, $2)`, a.id.String(), b.id.String()); err != nil {
			t.Error(err)
		}
	})
	aOutbox := outboxOf(a.id)

	denied := func(name, sql string, args ...any) attack {
		return attack{name: name, stmt: q(sql, args...), code: insufficientPriv, msg: "permission denied for table job_outbox"}
	}
	refused := `new row violates row-level security policy for table "job_outbox"`
	forge := `INSERT INTO job_outbox (tenant_id, kind, queue, max_attempts, args)
		VALUES ($1, 'reward_fulfilment', 'default', 12, jsonb_build_object('tenant_id', $2::uuid, 'reward_id', $3::text))`
	// The queue functions as a Citus worker runs them: no river_job there.
	// The role is tandem_app's on this node only, as tenants.WithTenant sets
	// it: Citus would set a role it carries again on the connections it
	// opens to a worker as the queue function's owner, who may not take it.
	hidden := []sqlStmt{q(`ALTER TABLE river_job RENAME TO river_job_hidden`),
		q(`SET LOCAL citus.propagate_set_commands = 'none'`), q(`SET LOCAL ROLE tandem_app`), q(`SET LOCAL citus.propagate_set_commands = 'local'`)}
	asJobs := []sqlStmt{q(`SET LOCAL ROLE tandem_jobs`)}
	r.run(t, b.id, []attack{
		// The app role holds nothing on it.
		denied("read A's outbox", `SELECT args FROM job_outbox WHERE tenant_id = $1`, a.id.String()),
		denied("read B's own outbox", `SELECT args FROM job_outbox`),
		denied("forge a job for B", forge, b.id.String(), b.id.String(), b.reward),
		denied("drop A's job", `DELETE FROM job_outbox WHERE tenant_id = $1`, a.id.String()),
		denied("rewrite B's job", `UPDATE job_outbox SET max_attempts = 1`),
		{name: "move the outbox", stmt: q(`SELECT job_outbox_move(10)`), code: insufficientPriv,
			msg: "permission denied for function job_outbox_move"},
		// The queue functions write it as tandem_referee, for app.tenant_id only.
		{name: "queue A's fulfilment where river_job is not", owner: true, setup: hidden,
			stmt: q(`SELECT reward_fulfilment_queue($1, $2)`, a.id.String(), a.reward), code: insufficientPriv, msg: refused},
		{name: "queue A's delivery where river_job is not", owner: true, setup: hidden,
			stmt: q(`SELECT webhook_queue($1, ARRAY['whd_stolen'])`, a.id.String()), code: insufficientPriv, msg: refused},
		{name: "forge a job for A as the referee", owner: true, setup: asReferee,
			stmt: q(forge, a.id.String(), a.id.String(), a.reward), code: insufficientPriv, msg: refused},
		{name: "a job of B naming A as the referee", owner: true, setup: asReferee,
			stmt: q(forge, b.id.String(), a.id.String(), a.reward), code: checkViolation, constraint: "job_outbox_args_tenant"},
		{name: "read the outbox as the referee", owner: true, setup: asReferee,
			stmt: q(`SELECT args FROM job_outbox`), code: insufficientPriv, msg: "permission denied for table job_outbox"},
		{name: "drop A's job as the referee", owner: true, setup: asReferee,
			stmt: q(`DELETE FROM job_outbox WHERE tenant_id = $1`, a.id.String()), code: insufficientPriv, msg: "permission denied for table job_outbox"},
		// River's role, which tandem_app may become: inside a tenant's
		// transaction it sees no job, not even the tenant's own, and
		// moves none.
		{name: "read B's own outbox as tandem_jobs", setup: asJobs, stmt: q(`SELECT args FROM job_outbox`)},
		{name: "drop every job as tandem_jobs", setup: asJobs, stmt: q(`DELETE FROM job_outbox`)},
		{name: "move the outbox as tandem_jobs", setup: asJobs, stmt: q(`SELECT n FROM job_outbox_move(10) n WHERE n > 0`)},
		{name: "forge a job for B as tandem_jobs", setup: asJobs, stmt: q(forge, b.id.String(), b.id.String(), b.reward),
			code: insufficientPriv, msg: "permission denied for table job_outbox"},
		{name: "control: the referee queues B's job", owner: true, setup: asReferee,
			stmt: q(forge, b.id.String(), b.id.String(), b.reward), rows: 1},
	})

	// Controls: where river_job is not, B's jobs go to B's outbox. On one
	// PostgreSQL river_job is hidden; on Citus they run on B's worker, which
	// has none, where the owner reads what the referee's function wrote in
	// the transaction (over the coordinator Citus refuses to read a
	// placement another user's connection wrote: 25001).
	node := &rawDB{t: t, app: r.app, owner: dialRaw(t, env.TenantNodeURL(t, b.id))}
	noRiverJob := hidden
	if dbtest.Citus() {
		noRiverJob = []sqlStmt{q(`SET LOCAL ROLE tandem_app`)}
	}
	node.run(t, b.id, []attack{
		{name: "control: B queues its fulfilment where river_job is not", owner: true,
			setup: append(slices.Clone(noRiverJob), q(`SELECT reward_fulfilment_queue(app_tenant_id(), 'rwd_control')`), q(`RESET ROLE`)),
			stmt: q(`SELECT FROM job_outbox WHERE tenant_id = $1 AND kind = 'reward_fulfilment' AND queue = 'default' AND max_attempts = 12
				AND args = jsonb_build_object('tenant_id', $1::uuid, 'reward_id', 'rwd_control')`, b.id.String()),
			rows: 1},
		{name: "control: B queues deliveries where river_job is not", owner: true,
			setup: append(slices.Clone(noRiverJob), q(`SELECT webhook_queue(app_tenant_id(), ARRAY['whd_control1', 'whd_control2'])`), q(`RESET ROLE`)),
			stmt:  q(`SELECT FROM job_outbox WHERE tenant_id = $1 AND kind = 'webhook_delivery' AND queue = 'webhooks' AND max_attempts = 25`, b.id.String()),
			rows:  2},
	})

	t.Run("with no tenant set", func(t *testing.T) {
		r.run(t, uuid.Nil, []attack{
			denied("read every job", `SELECT args FROM job_outbox`),
			{name: "forge a job for A as the referee", owner: true, setup: asReferee,
				stmt: q(forge, a.id.String(), a.id.String(), a.reward), code: insufficientPriv, msg: refused},
			// Control: River's role, outside tenants, sees every tenant's.
			{name: "control: tandem_jobs sees A's and B's jobs", setup: asJobs,
				stmt: q(`SELECT FROM job_outbox WHERE tenant_id IN ($1, $2)`, a.id.String(), b.id.String()), rows: 2},
		})
	})

	if got := outboxOf(a.id); got != aOutbox {
		t.Errorf("A's outbox changed: %s, then %s", aOutbox, got)
	}
}

// The job outbox in the catalog: the queue functions' role may insert,
// River's role read and delete, nobody else anything, and each has the
// one policy that says when.
func TestSchemaCatalogJobOutbox(t *testing.T) {
	owner := dialRaw(t, env.OwnerURL)
	rows := catalogRows(t, owner, `
		SELECT r.rolname::text, string_agg(p, ',' ORDER BY p)
		FROM pg_roles r, unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) p
		WHERE r.rolname IN ('tandem_app', 'tandem_definer', 'tandem_referee', 'tandem_jobs')
		  AND (has_table_privilege(r.oid, 'job_outbox', p)
		       OR (p IN ('SELECT', 'INSERT', 'UPDATE', 'REFERENCES') AND has_any_column_privilege(r.oid, 'job_outbox', p)))
		GROUP BY 1 ORDER BY 1`)
	want := [][]string{{"tandem_jobs", "DELETE,SELECT"}, {"tandem_referee", "INSERT"}}
	if !slices.EqualFunc(rows, want, slices.Equal[[]string]) {
		t.Errorf("privileges on job_outbox %v; want %v", rows, want)
	}

	var policies []string
	for _, row := range catalogRows(t, owner, `
		SELECT concat_ws(' ', policyname, permissive, cmd, array_to_string(roles, ','), qual, with_check)
		FROM pg_policies WHERE schemaname = 'public' AND tablename = 'job_outbox' ORDER BY policyname`) {
		policies = append(policies, row[0])
	}
	outside := "(NULLIF(current_setting('app.tenant_id'::text, true), ''::text) IS NULL)"
	// Read once a statement (00079), except on Citus.
	tenant := "( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id)"
	if dbtest.Citus() {
		tenant = "(NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid"
	}
	wantPolicies := []string{
		"job_outbox_moved_outside_tenants PERMISSIVE ALL tandem_jobs " + outside + " " + outside,
		// A deleted account's purge deletes its jobs, and writes none.
		"job_outbox_purged_with_tenant PERMISSIVE ALL tandem_purger (tenant_id = " + tenant + ") false",
		"job_outbox_queued_by_tenant PERMISSIVE INSERT tandem_referee (tenant_id = " + tenant + ")",
	}
	if !slices.Equal(policies, wantPolicies) {
		t.Errorf("job_outbox's policies:\n%s\nwant:\n%s", strings.Join(policies, "\n"), strings.Join(wantPolicies, "\n"))
	}
}
