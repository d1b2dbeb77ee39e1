package tenants_test

import (
	"context"
	"maps"
	"testing"

	"github.com/tandemhq/tandem/internal/database"
	"github.com/tandemhq/tandem/tenants"
)

// The warm-up rehearses ingestion on every connection of the pool, quests
// completed and rewards issued, and keeps nothing: every table of the
// schema holds exactly the rows it held before, tenants included.
func TestWarmUpWritesNothing(t *testing.T) {
	ctx := context.Background()
	db, err := database.Open(env.AppURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { database.Close(db) })
	env.NewTenant(t, "Warm-up neighbour") // a table with rows, to show they stay

	before := rowCounts(t)
	got, err := tenants.WarmUp(ctx, db, database.MaxConns)
	if err != nil {
		t.Fatal(err)
	}
	if got.Connections != database.MaxConns {
		t.Errorf("warmed %d backends, want every one of the pool's %d", got.Connections, database.MaxConns)
	}
	if want := database.MaxConns * 4; got.Completed != want {
		t.Errorf("the rehearsals completed %d quests, want %d", got.Completed, want)
	}
	if after := rowCounts(t); !maps.Equal(before, after) {
		for table, n := range after {
			if before[table] != n {
				t.Errorf("%s: %d rows before the warm-up, %d after", table, before[table], n)
			}
		}
	}
}

// rowCounts counts, as the owner (past row-level security), the rows of
// every table in the schema's namespace, so that a table added later is
// counted too.
func rowCounts(t *testing.T) map[string]int64 {
	t.Helper()
	var tables []string
	err := env.Owner.Raw(`
		SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
		  AND c.relnamespace = (SELECT relnamespace FROM pg_class WHERE oid = 'tenants'::regclass)`).Scan(&tables).Error
	if err != nil || len(tables) < 20 {
		t.Fatalf("list tables: %v (%d)", err, len(tables))
	}
	counts := map[string]int64{}
	for _, table := range tables {
		var n int64
		if err := env.Owner.Raw(`SELECT count(*) FROM ` + table).Scan(&n).Error; err != nil {
			t.Fatal(err)
		}
		counts[table] = n
	}
	return counts
}
