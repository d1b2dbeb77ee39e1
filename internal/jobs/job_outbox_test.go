package jobs_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tandemhq/tandem/internal/dbtest"
	"github.com/tandemhq/tandem/internal/jobs"
)

// dialOwner opens a connection as the schema's owner, closed at cleanup.
func dialOwner(t *testing.T) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), env.OwnerURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// outboxCount counts tenant's jobs in the outbox and in River's table.
func outboxCount(t *testing.T, owner *pgx.Conn, tenant uuid.UUID) (outbox, river int) {
	t.Helper()
	err := owner.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM job_outbox WHERE tenant_id = $1),
		(SELECT count(*) FROM river_job WHERE args ->> 'tenant_id' = $1::text)`, tenant).Scan(&outbox, &river)
	if err != nil {
		t.Fatal(err)
	}
	return outbox, river
}

// dropJobs deletes tenant's jobs from River's table at cleanup, so that
// no later test's worker runs them.
func dropJobs(t *testing.T, owner *pgx.Conn, tenant uuid.UUID) {
	t.Cleanup(func() {
		if _, err := owner.Exec(context.Background(), `DELETE FROM river_job WHERE args ->> 'tenant_id' = $1::text`, tenant); err != nil {
			t.Error(err)
		}
	})
}

// Where the node has no river_job (a Citus worker), the queue functions
// write the tenant's transaction's jobs to the outbox; moved, they are the
// jobs River's client reads back as it reads those queued directly
// (TestSQLQueuedJobsAsRiverReadsThem), each moved once. On Citus the
// tenant's transaction runs on the worker that holds its rows, which has no
// river_job; on one PostgreSQL the test hides river_job from it by renaming
// it within the transaction.
func TestJobsOutboxQueuedAsRiverReadsThem(t *testing.T) {
	ctx := context.Background()
	tenant := newAPIClient(t).created.TenantID
	owner := dialOwner(t)
	node, hide, unhide := owner, `ALTER TABLE river_job RENAME TO river_job_hidden`, `ALTER TABLE river_job_hidden RENAME TO river_job`
	if dbtest.Citus() {
		worker, err := pgx.Connect(ctx, env.TenantNodeURL(t, tenant))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { worker.Close(context.Background()) })
		node, hide, unhide = worker, `SELECT`, `SELECT`
	}
	client := riverReader(t)
	pool, err := jobs.OpenPool(ctx, env.AppURL, 1)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)

	delivery, reward := "whd_"+uuid.NewString(), "rwd_"+uuid.NewString()
	before := time.Now()
	err = pgx.BeginFunc(ctx, node, func(tx pgx.Tx) error {
		for _, s := range []string{
			hide,
			`SET LOCAL ROLE tandem_app`,
			`SET LOCAL citus.propagate_set_commands = 'local'`,
			fmt.Sprintf(`SET LOCAL app.tenant_id = '%s'`, tenant),
		} {
			if _, err := tx.Exec(ctx, s); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `SELECT webhook_queue(app_tenant_id(), ARRAY[$1])`, delivery); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `SELECT reward_fulfilment_queue(app_tenant_id(), $1)`, reward); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `RESET ROLE`); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, unhide)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	after := time.Now()
	dropJobs(t, owner, tenant)
	if outbox, queued := outboxCount(t, owner, tenant); outbox != 2 || queued != 0 {
		t.Fatalf("%d jobs in the outbox and %d in river_job; want 2 and 0", outbox, queued)
	}

	moved, err := jobs.MoveOutbox(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	if moved < 2 {
		t.Errorf("moved %d jobs, want at least the tenant's 2", moved)
	}
	if outbox, queued := outboxCount(t, owner, tenant); outbox != 0 || queued != 2 {
		t.Fatalf("after the move, %d jobs in the outbox and %d in river_job; want 0 and 2", outbox, queued)
	}

	checkSQLQueuedJobs(t, client, tenant, delivery, reward, before, after)

	if _, err := jobs.MoveOutbox(ctx, pool); err != nil {
		t.Fatal(err)
	}
	if _, queued := outboxCount(t, owner, tenant); queued != 2 {
		t.Errorf("a second move leaves %d of the tenant's jobs in river_job, want 2", queued)
	}
}

// Two movers at once, each taking the same oldest rows, move every job
// exactly once: a row is queued only by the statement that deletes it, and
// a mover that meets rows another is moving waits for it and skips them.
// First the race made certain (the second mover starts while the first's
// transaction is open), then both movers left to run through 3,000 jobs.
func TestJobsOutboxMovedOnceByConcurrentMovers(t *testing.T) {
	const jobCount, batch = 3000, 50
	ctx := context.Background()
	tenant := newAPIClient(t).created.TenantID
	owner := dialOwner(t)
	dropJobs(t, owner, tenant)
	_, err := owner.Exec(ctx, `INSERT INTO job_outbox (tenant_id, kind, queue, max_attempts, args)
		SELECT $1, 'webhook_delivery', 'webhooks', 25, jsonb_build_object('tenant_id', $1::uuid, 'delivery_id', 'whd_outbox_' || i)
		FROM generate_series(1, $2) i`, tenant, jobCount)
	if err != nil {
		t.Fatal(err)
	}
	var pools [2]*pgxpool.Pool
	for m := range pools {
		if pools[m], err = jobs.OpenPool(ctx, env.AppURL, 1); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(pools[m].Close)
	}
	move := func(m int) (int, error) {
		var n int
		err := pools[m].QueryRow(ctx, `SELECT job_outbox_move($1)`, batch).Scan(&n)
		return n, err
	}
	var moved [2]int

	// The first mover's transaction holds its batch; the second, started
	// then, waits for it (one mover at a time), and then moves the batch
	// after it, none of the first's.
	first, err := pools[0].Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Rollback(ctx)
	if err := first.QueryRow(ctx, `SELECT job_outbox_move($1)`, batch).Scan(&moved[0]); err != nil {
		t.Fatal(err)
	}
	second := make(chan error, 1)
	go func() {
		n, err := move(1)
		moved[1] += n
		second <- err
	}()
	dbtest.WaitFor(t, func() bool {
		var waiting bool
		err := owner.QueryRow(ctx, `SELECT EXISTS (SELECT FROM pg_stat_activity
			WHERE state = 'active' AND query LIKE 'SELECT job_outbox_move%' AND wait_event_type IS NOT NULL AND wait_event_type <> 'Client')`).Scan(&waiting)
		return err == nil && waiting
	}, "the second mover to wait for the first")
	if err := first.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if err := <-second; err != nil {
		t.Fatal(err)
	}
	if moved[0] != batch || moved[1] != batch {
		t.Fatalf("the first mover moved %d, the second, after it, %d; want %d each", moved[0], moved[1], batch)
	}
	var twice int
	if err := owner.QueryRow(ctx, `SELECT count(*) FROM (SELECT FROM river_job WHERE args ->> 'tenant_id' = $1::text
		GROUP BY args ->> 'delivery_id' HAVING count(*) > 1) d`, tenant).Scan(&twice); err != nil || twice != 0 {
		t.Fatalf("%d jobs queued twice by the two movers (%v)", twice, err)
	}

	// Both running free until neither finds a job left.
	var wg sync.WaitGroup
	var errs [2]error
	for m := range pools {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				n, err := move(m)
				if errs[m] = err; err != nil {
					return
				}
				moved[m] += n
				if n > 0 {
					continue
				}
				// Nothing moved: the outbox is empty, or the other mover
				// took this batch.
				var left bool
				if errs[m] = pools[m].QueryRow(ctx, `SELECT EXISTS (SELECT FROM job_outbox WHERE tenant_id = $1)`, tenant).Scan(&left); errs[m] != nil || !left {
					return
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}

	var rows, deliveries, left int
	err = owner.QueryRow(ctx, `SELECT count(*), count(DISTINCT args ->> 'delivery_id'),
		(SELECT count(*) FROM job_outbox WHERE tenant_id = $1)
		FROM river_job WHERE args ->> 'tenant_id' = $1::text`, tenant).Scan(&rows, &deliveries, &left)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("the movers moved %d and %d jobs", moved[0], moved[1])
	if rows != jobCount || deliveries != jobCount || moved[0]+moved[1] != jobCount || left != 0 {
		t.Errorf("river_job holds %d jobs for %d deliveries, the movers say %d, %d left in the outbox; want %d, %d, %d, 0",
			rows, deliveries, moved[0]+moved[1], left, jobCount, jobCount, jobCount)
	}
}

// The periodic move runs as River's role and wakes the workers of the
// queue it fills: a webhook delivery that waited in the outbox reaches its
// receiver while the workers would not poll for an hour.
func TestJobsOutboxMovedAndWakesAnIdleWorker(t *testing.T) {
	ctx := context.Background()
	rcv, srv := newReceiver(t, 0)
	api := newAPIClient(t)
	tenant := api.created.TenantID
	owner := dialOwner(t)
	ep := api.call("POST", "/v1/webhook-endpoints", map[string]any{"url": srv.URL + "/hooks", "events": []string{"*"}}, 201)
	rcv.setSecret(ep.JSON["secret"].(string))
	api.call("POST", "/v1/webhook-endpoints/"+ep.JSON["id"].(string)+"/test", nil, 202)
	// The test message's job, queued in river_job, put where a Citus
	// worker would have written it.
	err := pgx.BeginFunc(ctx, owner, func(tx pgx.Tx) error {
		var args []byte
		err := tx.QueryRow(ctx, `DELETE FROM river_job WHERE args ->> 'tenant_id' = $1::text AND kind = 'webhook_delivery' AND state = 'available'
			RETURNING args`, tenant).Scan(&args)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO job_outbox (tenant_id, kind, queue, max_attempts, args)
			VALUES ($1, 'webhook_delivery', 'webhooks', 25, $2)`, tenant, args)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}

	started := time.Now()
	startServer(t, time.Now, func(c *jobs.Config) { c.FetchPollInterval = time.Hour })
	waitDelivered(t, rcv, "the job moved from the outbox")
	t.Logf("delivered %s after the job runner started", time.Since(started).Round(time.Millisecond))
}
