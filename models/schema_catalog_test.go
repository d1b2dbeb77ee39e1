package models_test

// The tenancy design (docs/design.md §2.3), read from pg_catalog as the owner: forced
// row-level security everywhere, a restricted role that can bypass nothing,
// tenant_id leading every key, and narrow, pinned SECURITY DEFINER lookups.

import (
	"context"
	"maps"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/tandemhq/tandem/internal/dbtest"
)

// nonTenantTables are the tables of schema public without a tenant_id
// column, each for a reason.
var nonTenantTables = map[string]string{
	"tenants":                  "the root: its own id is the tenant (checked like a tenant table)",
	"sessions":                 "console sessions (scs): a token and an encoded session, checked again inside the tenant transaction",
	"goose_db_version":         "goose's migration bookkeeping, no privilege for tandem_app",
	"login_attempts":           "console login throttling, keyed by hashes of e-mail or address before any tenant is known",
	"login_known_addresses":    "the (e-mail, address) pairs that logged in, as hashes, so that an owner at a familiar address is not held back by guessers elsewhere",
	"plans":                    "the plans on sale and their limits, the same for every tenant; tandem_app may only read them",
	"disposable_email_domains": "the disposable e-mail domains risk signals know, the same for every tenant; tandem_app may only read them",
	// River's job queue (migrations/always/river.sql): tandem_app holds
	// nothing on these; River works them as tandem_jobs, outside tenant
	// transactions only (schema_jobs_test.go).
	"river_job":          "River's jobs: kind, arguments (a tenant id and row ids), state, attempts; queued by a tenant only for itself",
	"river_leader":       "River's elected leader (runs periodic jobs and maintenance)",
	"river_queue":        "River's queues",
	"river_notification": "River's notification outbox (unused by the PostgreSQL driver, which uses LISTEN/NOTIFY)",
	"river_migration":    "River's migration bookkeeping, SELECT only for tandem_jobs",
}

// keyExceptions are the keys of tenant tables that may not lead with
// tenant_id: invite_codes is the global code registry, keyed by code alone
// so that a public link names exactly one tenant.
var keyExceptions = map[string]string{
	"invite_codes_pkey": "code",
}

// catalogRows runs a catalog query as the owner and returns its rows as strings.
func catalogRows(t *testing.T, conn *pgx.Conn, sql string, args ...any) [][]string {
	t.Helper()
	rows, err := conn.Query(context.Background(), sql, args...)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	var out [][]string
	for rows.Next() {
		values, err := rows.Values()
		if err != nil {
			t.Fatal(err)
		}
		row := make([]string, len(values))
		for i, v := range values {
			switch v := v.(type) {
			case string:
				row[i] = v
			case bool:
				row[i] = map[bool]string{true: "t", false: "f"}[v]
			case nil:
				row[i] = ""
			default:
				t.Fatalf("catalogRows: column %d is %T; cast it to text", i, v)
			}
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return out
}

// tenantTablesSQL lists the ordinary tables of schema public with a tenant_id column.
const tenantTablesSQL = `
	SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
	WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
	  AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
	ORDER BY 1`

// jobTenantTables are the tenant tables tandem_app holds nothing on: a
// tenant's transaction writes them only through the queue functions, and
// River's role reads them outside tenants (schema_jobs_test.go).
var jobTenantTables = map[string]string{
	"job_outbox": "jobs decided on a Citus worker, moved into river_job by River's role (migrations/00046_job_outbox.sql)",
}

// tenantTables lists the tenant tables tandem_app works in: every table
// with a tenant_id but jobTenantTables, which the isolation sweeps, reading
// every table as tandem_app, cannot read.
func tenantTables(t *testing.T, conn *pgx.Conn) []string {
	t.Helper()
	return slices.DeleteFunc(everyTenantTable(t, conn), func(table string) bool { return jobTenantTables[table] != "" })
}

// everyTenantTable lists every table with a tenant_id, for the checks of
// the schema's shape that bind them all.
func everyTenantTable(t *testing.T, conn *pgx.Conn) []string {
	t.Helper()
	var names []string
	for _, row := range catalogRows(t, conn, tenantTablesSQL) {
		names = append(names, row[0])
	}
	for table := range jobTenantTables {
		if !slices.Contains(names, table) {
			t.Fatalf("tenant tables %v lack %s: update jobTenantTables", names, table)
		}
	}
	// Guard against a query that silently finds nothing.
	for _, must := range []string{"campaigns", "invitations", "events", "reward_tokens", "audit_log", "members", "api_keys"} {
		if !slices.Contains(names, must) {
			t.Fatalf("tenant tables %v lack %s", names, must)
		}
	}
	return names
}

func TestSchemaCatalogTables(t *testing.T) {
	owner := dialRaw(t, env.OwnerURL)
	tables := everyTenantTable(t, owner)

	t.Run("every table is a tenant table or a known exception", func(t *testing.T) {
		rows := catalogRows(t, owner, `
			SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1`)
		for _, row := range rows {
			if !slices.Contains(tables, row[0]) && nonTenantTables[row[0]] == "" {
				t.Errorf("table %s has no tenant_id and is no documented exception", row[0])
			}
		}
		if len(rows) != len(tables)+len(nonTenantTables) {
			t.Errorf("%d tables = %d tenant tables + %d exceptions? an exception is stale", len(rows), len(tables), len(nonTenantTables))
		}
	})

	t.Run("row-level security is enabled and forced", func(t *testing.T) {
		rows := catalogRows(t, owner, `
			SELECT c.relname::text, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c
			WHERE c.oid = ANY (SELECT to_regclass(x) FROM unnest($1::text[]) x) ORDER BY 1`, append(slices.Clone(tables), "tenants"))
		if len(rows) != len(tables)+1 {
			t.Fatalf("found %d of %d tables", len(rows), len(tables)+1)
		}
		for _, row := range rows {
			if row[1] != "t" || row[2] != "t" {
				t.Errorf("%s: relrowsecurity %s, relforcerowsecurity %s; want both", row[0], row[1], row[2])
			}
		}
	})

	t.Run("the policies that bind tandem_app compare the row's tenant with app.tenant_id", func(t *testing.T) {
		// Every policy that applies to tandem_app (directly or through PUBLIC).
		rows := catalogRows(t, owner, `
			SELECT tablename::text, policyname::text, permissive::text, cmd::text, coalesce(qual, ''), coalesce(with_check, '')
			FROM pg_policies
			WHERE schemaname = 'public' AND ('public' = ANY (roles) OR 'tandem_app' = ANY (roles))
			ORDER BY 1, 2`)
		bound := map[string]bool{}
		for _, row := range rows {
			table, policy, permissive, cmd, using, check := row[0], row[1], row[2], row[3], row[4], row[5]
			if dbtest.Citus() && table == "plans" && policy == "readable" && permissive == "PERMISSIVE" && cmd == "SELECT" && using == "true" && check == "" {
				// On Citus only (always/citus.sql): every plan stays readable
				// under the row-level security that keeps the UPDATE grant
				// Citus needs from reaching any row.
				continue
			}
			column := "tenant_id"
			if table == "tenants" {
				column = "id"
			}
			// The tenant is read once a statement, in a subquery (00079),
			// except on Citus, which refuses subqueries in policies.
			tenant := "( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS app_tenant_id)"
			if dbtest.Citus() {
				tenant = "(NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid"
			}
			want := "(" + column + " = " + tenant + ")"
			wantCheck := want
			if table == "events" || table == "participant_event_names" {
				// The reserved event name, in the same policy (00045: no
				// restrictive policies, which Citus's shards lose).
				wantCheck = "(" + want + " AND ((name <> 'invitation_claimed'::text) OR (CURRENT_USER <> 'tandem_app'::name)))"
			}
			if permissive != "PERMISSIVE" || cmd != "ALL" || using != want || check != wantCheck {
				t.Errorf("%s: policy %s (%s %s) USING %s WITH CHECK %s; want the tenant policy %s",
					table, policy, permissive, cmd, using, check, wantCheck)
			}
			bound[table] = true
		}
		for _, table := range append(slices.Clone(tables), "tenants") {
			// tandem_app holds nothing on the job tables, and they have no
			// policy for it (TestSchemaCatalogJobOutbox).
			if !bound[table] && jobTenantTables[table] == "" {
				t.Errorf("%s: no policy applies to tandem_app", table)
			}
		}
	})

	t.Run("policies for other roles are SELECT-only lookups of tandem_definer", func(t *testing.T) {
		// River's tables and the job outbox have River's policies
		// (TestSchemaCatalogJobTables, TestSchemaCatalogJobOutbox).
		rows := catalogRows(t, owner, `
			SELECT tablename::text, policyname::text, array_to_string(roles, ',')::text, cmd::text
			FROM pg_policies
			WHERE schemaname = 'public' AND NOT ('public' = ANY (roles) OR 'tandem_app' = ANY (roles))
			  AND tablename NOT LIKE 'river\_%' AND tablename <> ALL ($1::text[])`, slices.Collect(maps.Keys(jobTenantTables)))
		for _, row := range rows {
			if row[2] != "tandem_definer" || row[3] != "SELECT" {
				t.Errorf("%s: policy %s for %s on %s", row[0], row[1], row[2], row[3])
			}
		}
	})
}

func TestSchemaCatalogRoles(t *testing.T) {
	owner := dialRaw(t, env.OwnerURL)
	for _, role := range []string{"tandem_app", "tandem_definer"} {
		t.Run(role, func(t *testing.T) {
			rows := catalogRows(t, owner, `
				SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb, rolreplication FROM pg_roles WHERE rolname = $1`, role)
			if len(rows) != 1 {
				t.Fatalf("role %s: %d rows", role, len(rows))
			}
			if !slices.Equal(rows[0], []string{"f", "f", "f", "f", "f"}) {
				t.Errorf("superuser, bypassrls, createrole, createdb, replication = %v; want all false", rows[0])
			}
			owned := catalogRows(t, owner, `
				SELECT 'relation ' || c.oid::regclass::text FROM pg_class c WHERE c.relowner = to_regrole($1)
				UNION ALL SELECT 'schema ' || nspname::text FROM pg_namespace WHERE nspowner = to_regrole($1)
				UNION ALL SELECT 'type ' || t.oid::regtype::text FROM pg_type t WHERE t.typowner = to_regrole($1)
				UNION ALL SELECT 'function ' || p.oid::regprocedure::text FROM pg_proc p
				  WHERE p.proowner = to_regrole($1) AND NOT ($1 = 'tandem_definer' AND p.prosecdef)`, role)
			if len(owned) > 0 {
				t.Errorf("%s owns %v (tandem_definer may own only SECURITY DEFINER lookups)", role, owned)
			}
			// Membership would lend it another role's powers. tandem_app
			// may become River's role, whose powers it does not inherit
			// (TestSchemaCatalogJobTables).
			member := catalogRows(t, owner, `
				SELECT m.roleid::regrole::text FROM pg_auth_members m WHERE m.member = to_regrole($1)
				  AND NOT ($1 = 'tandem_app' AND m.roleid = to_regrole('tandem_jobs'))`, role)
			if len(member) > 0 {
				t.Errorf("%s is a member of %v", role, member)
			}
		})
	}
	t.Run("tandem_app cannot create objects in public", func(t *testing.T) {
		if rows := catalogRows(t, owner, `SELECT has_schema_privilege('tandem_app', 'public', 'CREATE')`); rows[0][0] != "f" {
			t.Error("tandem_app has CREATE on schema public")
		}
	})
	t.Run("the owner of the tables is not tandem_app and tandem_app is not the owner", func(t *testing.T) {
		rows := catalogRows(t, owner, `
			SELECT DISTINCT c.relowner::regrole::text, pg_has_role('tandem_app', c.relowner, 'USAGE')
			FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'`)
		for _, row := range rows {
			if row[0] == "tandem_app" || row[1] == "t" {
				t.Errorf("tables owned by %s, whose rights tandem_app has (%s)", row[0], row[1])
			}
		}
	})
}

// Every constraint and index of a tenant table has a name of at most
// maxTenantName bytes, so that on Citus a shard's copy, named with the
// shard's number appended (_102008), keeps the whole name within
// PostgreSQL's 63: Citus clips a longer one and ends it with a hash, which
// models.ConstraintName cannot map to its rule.
func TestSchemaCatalogNamesFitShards(t *testing.T) {
	const maxTenantName = 55 // 63 bytes, less an underscore and a shard id of up to 7 digits
	owner := dialRaw(t, env.OwnerURL)
	rows := catalogRows(t, owner, `
		SELECT conrelid::regclass::text, conname::text FROM pg_constraint
		WHERE conrelid = ANY (SELECT to_regclass(x) FROM unnest($1::text[]) x) AND octet_length(conname::text) > $2
		UNION ALL
		SELECT indrelid::regclass::text, indexrelid::regclass::text FROM pg_index
		WHERE indrelid = ANY (SELECT to_regclass(x) FROM unnest($1::text[]) x) AND octet_length(indexrelid::regclass::text) > $2
		ORDER BY 1, 2`, everyTenantTable(t, owner), maxTenantName)
	for _, row := range rows {
		t.Errorf("%s: %s is %d bytes, more than %d", row[0], row[1], len(row[1]), maxTenantName)
	}
}

// Every primary key, unique constraint, unique index and foreign key of a
// tenant table leads with tenant_id, and every foreign key pairs it with the
// referenced table's tenant_id (or tenants.id).
func TestSchemaCatalogKeysLeadWithTenant(t *testing.T) {
	owner := dialRaw(t, env.OwnerURL)
	tables := everyTenantTable(t, owner)

	t.Run("unique indexes (primary keys, unique constraints, unique indexes)", func(t *testing.T) {
		rows := catalogRows(t, owner, `
			SELECT c.relname::text, i.indexrelid::regclass::text, coalesce(a.attname::text, '(expression)'),
			       pg_get_indexdef(i.indexrelid)
			FROM pg_index i
			JOIN pg_class c ON c.oid = i.indrelid
			LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
			WHERE i.indisunique AND c.relname::text = ANY ($1::text[]) AND c.relnamespace = 'public'::regnamespace
			ORDER BY 1, 2`, tables)
		seen, exceptions := map[string]bool{}, maps.Clone(keyExceptions)
		for _, row := range rows {
			table, index, first, def := row[0], row[1], row[2], row[3]
			seen[table] = true
			if want, ok := exceptions[index]; ok {
				if first != want {
					t.Errorf("exception %s now leads with %s: update keyExceptions", index, first)
				}
				delete(exceptions, index)
				continue
			}
			if first != "tenant_id" {
				t.Errorf("%s: unique index %s leads with %s: %s", table, index, first, def)
			}
		}
		for _, table := range tables {
			if !seen[table] {
				t.Errorf("%s has no unique index at all (no primary key?)", table)
			}
		}
		for index := range exceptions {
			t.Errorf("documented exception %s no longer exists", index)
		}
	})

	t.Run("unique and primary key constraints", func(t *testing.T) {
		rows := catalogRows(t, owner, `
			SELECT c.conrelid::regclass::text, c.conname::text, a.attname::text
			FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
			WHERE c.contype IN ('p', 'u') AND c.conrelid = ANY (SELECT to_regclass(x) FROM unnest($1::text[]) x)`, tables)
		for _, row := range rows {
			if _, ok := keyExceptions[row[1]]; row[2] != "tenant_id" && !ok {
				t.Errorf("%s: constraint %s leads with %s", row[0], row[1], row[2])
			}
		}
	})

	t.Run("foreign keys", func(t *testing.T) {
		rows := catalogRows(t, owner, `
			SELECT c.conrelid::regclass::text, c.conname::text, a.attname::text,
			       c.confrelid::regclass::text, fa.attname::text, pg_get_constraintdef(c.oid)
			FROM pg_constraint c
			JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
			JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = c.confkey[1]
			WHERE c.contype = 'f' AND c.conrelid = ANY (SELECT to_regclass(x) FROM unnest($1::text[]) x)
			ORDER BY 1, 2`, tables)
		if len(rows) < len(tables) {
			t.Fatalf("only %d foreign keys on %d tenant tables", len(rows), len(tables))
		}
		for _, row := range rows {
			table, name, first, target, targetFirst, def := row[0], row[1], row[2], row[3], row[4], row[5]
			wantTarget := "tenant_id"
			if target == "tenants" {
				wantTarget = "id"
			}
			if first != "tenant_id" || targetFirst != wantTarget {
				t.Errorf("%s: foreign key %s pairs %s with %s.%s: %s", table, name, first, target, targetFirst, def)
			}
		}
	})
}
