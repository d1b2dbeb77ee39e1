package models_test

import (
	"os"
	"strings"
	"testing"

	"github.com/tandemhq/tandem/internal/dbtest"
)

// TestCitusOnlyDistribution runs under `make test-citus` and is skipped on
// a single PostgreSQL (make test). The migrations end by placing every
// table (migrations/always/citus.sql): each table with a tenant_id
// distributed by it, in events' co-location group; plans, tenants and
// invite_codes as reference tables; nothing else in Citus's metadata; and
// every foreign key still there, now between co-located shards.
func TestCitusOnlyDistribution(t *testing.T) {
	if len(dbtest.CitusWorkerURLs()) == 0 {
		t.Skip("needs the Citus cluster of make test-citus (withpg -citus)")
	}
	owner := dialRaw(t, env.OwnerURL)
	rows := catalogRows(t, owner, `
		SELECT c.relname::text,
		       EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)::text,
		       coalesce(ct.citus_table_type, 'local'),
		       coalesce(ct.distribution_column::text, ''),
		       coalesce((ct.colocation_id = (SELECT colocation_id FROM citus_tables WHERE table_name = 'events'::regclass))::text, '')
		  FROM pg_class c LEFT JOIN citus_tables ct ON ct.table_name = c.oid
		 WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'
		 ORDER BY 1`)
	reference := map[string]bool{"plans": true, "tenants": true, "invite_codes": true}
	var distributed int
	for _, row := range rows {
		table, hasTenant, kind, column, withEvents := row[0], row[1] == "true", row[2], row[3], row[4]
		switch {
		case reference[table]:
			if kind != "reference" {
				t.Errorf("%s is %s; want a reference table", table, kind)
			}
		case hasTenant:
			distributed++
			if kind != "distributed" || column != "tenant_id" || withEvents != "true" {
				t.Errorf("%s is %s by %q (co-located with events: %q); want distributed by tenant_id with events", table, kind, column, withEvents)
			}
		case kind != "local":
			t.Errorf("%s, which has no tenant_id, is %s; want it left on the coordinator", table, kind)
		}
	}
	if distributed < 30 {
		t.Errorf("%d distributed tables; the schema has more than 30 tenant tables", distributed)
	}
	// Citus copies a policy onto the shards without AS RESTRICTIVE, which
	// would turn a rule that narrows into one that widens: the schema has
	// none on the tables Citus holds.
	restrictive := catalogRows(t, owner, `SELECT tablename::text || '.' || policyname::text FROM pg_policies p
		JOIN citus_tables c ON c.table_name = (quote_ident(p.schemaname) || '.' || quote_ident(p.tablename))::regclass
		WHERE p.permissive = 'RESTRICTIVE'`)
	for _, r := range restrictive {
		t.Errorf("restrictive policy %s on a table Citus holds: its shards get it as permissive", r[0])
	}
	// Every foreign key the migrations create survives distribution
	// (citus.sql drops those it must and adds them back): as many as
	// docs/schema.sql, the schema a plain PostgreSQL ends with, holds.
	schema, err := os.ReadFile("../docs/schema.sql")
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Count(string(schema), " FOREIGN KEY ")
	// Joined with pg_class, where Citus hides the shards (the coordinator
	// holds one of each reference table, with its own foreign keys).
	keys := catalogRows(t, owner, `SELECT k.conname::text FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
		WHERE k.contype = 'f' AND k.connamespace = 'public'::regnamespace`)
	if len(keys) != want || want == 0 {
		t.Errorf("%d foreign keys after distribution; docs/schema.sql has %d", len(keys), want)
	}
}
