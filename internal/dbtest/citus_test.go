package dbtest

import (
	"context"
	"net/url"
	"testing"

	"github.com/jackc/pgx/v5"
)

// TestCitusOnlyCluster runs under `make test-citus` and is skipped on a
// single PostgreSQL (make test): the package database is on every node, the
// test role logs in on every node, and a table distributed in it spreads
// over both workers. (How the migrations place Tandem's own tables is
// models' TestCitusOnlyDistribution.)
func TestCitusOnlyCluster(t *testing.T) {
	workers := CitusWorkerURLs()
	if len(workers) == 0 {
		t.Skip("needs the Citus cluster of make test-citus (withpg -citus)")
	}
	var active int
	if err := env.Owner.Raw("SELECT count(*) FROM citus_get_active_worker_nodes()").Scan(&active).Error; err != nil {
		t.Fatal(err)
	}
	if active != 2 || len(workers) != 2 {
		t.Errorf("%d active workers, %d worker URLs; want 2 and 2", active, len(workers))
	}

	ctx := context.Background()
	for _, w := range workers {
		u, err := withDatabase(w, env.Name, url.UserPassword(AppRole, AppPassword))
		if err != nil {
			t.Fatal(err)
		}
		// Over the worker's socket, as the test role with its password.
		conn, err := pgx.Connect(ctx, u)
		if err != nil {
			t.Fatalf("%s on a worker: %v", AppRole, err)
		}
		var citus string
		err = conn.QueryRow(ctx, "SELECT extversion FROM pg_extension WHERE extname = 'citus'").Scan(&citus)
		conn.Close(ctx)
		if err != nil {
			t.Errorf("citus in %s on a worker: %v", env.Name, err)
		}
	}

	// Every role of the schema may be the one Citus reaches a worker as
	// (the owner of a SECURITY DEFINER function, say), so each has a login:
	// a new role missing from citusRoles fails here, not in the first
	// function of its that leaves the node.
	var noLogin []string
	if err := env.Owner.Raw(`SELECT rolname FROM pg_roles WHERE rolname LIKE 'tandem\_%' AND NOT rolcanlogin ORDER BY 1`).Scan(&noLogin).Error; err != nil {
		t.Fatal(err)
	}
	if len(noLogin) > 0 {
		t.Errorf("roles without a login on the cluster (add them to citusRoles): %v", noLogin)
	}

	for _, sql := range []string{
		"CREATE TABLE citus_harness_probe (tenant_id uuid NOT NULL, n int)",
		"SELECT create_distributed_table('citus_harness_probe', 'tenant_id', shard_count => 4)",
		"INSERT INTO citus_harness_probe SELECT gen_random_uuid(), n FROM generate_series(1, 100) n",
	} {
		if err := env.Owner.Exec(sql).Error; err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	t.Cleanup(func() { env.Owner.Exec("DROP TABLE citus_harness_probe") })
	var nodes, rows int
	err := env.Owner.Raw("SELECT count(DISTINCT nodeport) FROM citus_shards WHERE table_name = 'citus_harness_probe'::regclass").Scan(&nodes).Error
	if err == nil {
		err = env.Owner.Raw("SELECT count(*) FROM citus_harness_probe").Scan(&rows).Error
	}
	if err != nil {
		t.Fatal(err)
	}
	if nodes != 2 || rows != 100 {
		t.Errorf("distributed table: shards on %d nodes, %d rows; want 2 nodes, 100 rows", nodes, rows)
	}
}
