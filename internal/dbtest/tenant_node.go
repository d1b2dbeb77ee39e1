package dbtest

import (
	"net/url"
	"strconv"
	"testing"

	"github.com/google/uuid"
)

// Citus says whether the run's cluster is a Citus coordinator and workers
// (withpg -citus) rather than one PostgreSQL.
func Citus() bool {
	return len(CitusWorkerURLs()) > 0
}

// TenantNodeURL connects as the superuser to this package's database on the
// node that holds tenant's rows: on Citus the worker with the tenant's
// shards (every tenant table is co-located with events, so one worker holds
// them all), on one PostgreSQL OwnerURL. On Citus a tenant's delegated
// ingestion and the triggers of its rows run there, and take their locks
// there: a test that holds such a lock, or watches a transaction wait for
// one, does it on this node.
func (e *Env) TenantNodeURL(t testing.TB, tenant uuid.UUID) string {
	t.Helper()
	if !Citus() {
		return e.OwnerURL
	}
	var node struct {
		Nodename string
		Nodeport int
	}
	err := e.Owner.Raw(`SELECT n.nodename, n.nodeport FROM pg_dist_placement p JOIN pg_dist_node n ON n.groupid = p.groupid
		WHERE p.shardid = get_shard_id_for_distribution_column('events', CAST(? AS uuid))`, tenant).Scan(&node).Error
	if err != nil {
		t.Fatalf("the node of tenant %s: %v", tenant, err)
	}
	for _, w := range CitusWorkerURLs() {
		u, err := url.Parse(w)
		if err != nil {
			t.Fatalf("worker URL: %v", err)
		}
		// The harness's nodes share one machine, where a port names a node;
		// a worker's URL reaches it over its socket (the port a parameter).
		port := u.Port()
		if port == "" {
			port = u.Query().Get("port")
		}
		if port == strconv.Itoa(node.Nodeport) {
			nodeURL, err := withDatabase(w, e.Name, nil)
			if err != nil {
				t.Fatal(err)
			}
			return nodeURL
		}
	}
	t.Fatalf("tenant %s is on %s:%d, which is none of %s", tenant, node.Nodename, node.Nodeport, CitusWorkersVar)
	return ""
}

// TenantShard names the relation that holds tenant's rows of table on the
// node of TenantNodeURL: on Citus the table's shard for the tenant, on one
// PostgreSQL the table itself.
func (e *Env) TenantShard(t testing.TB, table string, tenant uuid.UUID) string {
	t.Helper()
	if !Citus() {
		return table
	}
	var shard string
	err := e.Owner.Raw(`SELECT shard_name(CAST(? AS regclass), get_shard_id_for_distribution_column(CAST(? AS regclass), CAST(? AS uuid)))`,
		table, table, tenant).Scan(&shard).Error
	if err != nil || shard == "" {
		t.Fatalf("the shard of %s for tenant %s: %q, %v", table, tenant, shard, err)
	}
	return shard
}
