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
		if len(rows) != 1 || !slices.Equal(rows[0], []string{"f", "f", "f", "f", "f", "f", "f", "f"}) {
			t.Errorf("tandem_jobs: superuser, bypassrls, createrole, createdb, replication, login, owns, member = %v; want all false", rows)
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
