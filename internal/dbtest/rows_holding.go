package dbtest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/uuid"
)

// RowsHolding counts, table by table, the tenant's rows in which any of
// values appears in any column (bytea read as escaped text, so a stored
// JSON body is searched as text), River's jobs of the tenant included: what
// an erasure test scans for the erased values. Every table with a tenant_id
// is searched, so a new one is covered without a change here. Read as the
// owner, past row-level security.
func (e *Env) RowsHolding(t testing.TB, tenant uuid.UUID, values []string) map[string]int64 {
	t.Helper()
	var tables []struct{ Name, Text string }
	err := e.Owner.Raw(`
		SELECT c.relname::text AS name,
		       string_agg(CASE WHEN a.atttypid = 'bytea'::regtype THEN format('coalesce(encode(%I, ''escape''), '''')', a.attname)
		                       ELSE format('coalesce(%I::text, '''')', a.attname) END, ' || '' '' || ' ORDER BY a.attnum) AS text
		FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
		WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
		  AND (c.relname = 'river_job' OR EXISTS (SELECT FROM pg_attribute t
		                                          WHERE t.attrelid = c.oid AND t.attname = 'tenant_id' AND NOT t.attisdropped))
		GROUP BY c.relname ORDER BY 1`).Scan(&tables).Error
	if err != nil || len(tables) < 30 {
		t.Fatalf("tables with tenant data: %d, %v", len(tables), err)
	}
	found := map[string]int64{}
	for _, tb := range tables {
		where := "tenant_id = ?"
		if tb.Name == "river_job" {
			where = "args ->> 'tenant_id' = ?::text"
		}
		var n int64
		err := e.Owner.Raw(fmt.Sprintf(`SELECT count(*) FROM %q WHERE %s
			AND EXISTS (SELECT 1 FROM unnest(string_to_array(?, E'\x1f')) v WHERE strpos(%s, v) > 0)`, tb.Name, where, tb.Text), tenant, strings.Join(values, "\x1f")).Scan(&n).Error
		if err != nil {
			t.Fatalf("scan %s: %v", tb.Name, err)
		}
		if n > 0 {
			found[tb.Name] = n
		}
	}
	return found
}
