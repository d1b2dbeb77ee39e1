package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
)

// The job outbox (migrations/00046_job_outbox.sql): on Citus, a job a
// tenant's transaction decides on a worker is written to job_outbox, in
// that transaction, and this periodic job moves it into river_job on the
// coordinator (job_outbox_move, one statement a batch). On one PostgreSQL
// the queue functions write river_job themselves, the outbox stays empty,
// and this job costs a run a second: its own river_job row and one DELETE
// that finds nothing.
const (
	outboxInterval      = time.Second
	outboxBatch         = 1000
	outboxBatchesPerRun = 10
)

// queueOutbox has one worker per process, so that moving jobs never waits
// behind Stripe calls in the default queue; UniqueOpts keeps one run
// queued or running at a time across every process.
const queueOutbox = "job_outbox"

// outboxArgs are the arguments of the periodic move (none).
type outboxArgs struct{}

func (outboxArgs) Kind() string { return "job_outbox_move" }

// InsertOpts puts the move in its queue and skips a second one while one
// waits or runs: a run that takes longer than the interval does not pile
// up more behind it.
func (outboxArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: queueOutbox, UniqueOpts: river.UniqueOpts{ByState: waitingOrRunning}}
}

// outboxWorker moves the outbox's jobs into River's table.
type outboxWorker struct {
	river.WorkerDefaults[outboxArgs]
	cfg Config
}

func (w *outboxWorker) Work(ctx context.Context, _ *river.Job[outboxArgs]) error {
	_, err := MoveOutbox(ctx, w.cfg.Pool)
	return err
}

// MoveOutbox moves the outbox's oldest jobs into river_job on pool
// (River's, from OpenPool: the mover needs River's role, outside any
// tenant), a batch a transaction, while batches come back full, at most
// outboxBatchesPerRun of them; what is left waits for the next run, a
// second later. It returns how many jobs it moved.
func MoveOutbox(ctx context.Context, pool *pgxpool.Pool) (int, error) {
	total := 0
	for range outboxBatchesPerRun {
		var n int
		if err := pool.QueryRow(ctx, `SELECT job_outbox_move($1)`, outboxBatch).Scan(&n); err != nil {
			return total, fmt.Errorf("jobs: move the job outbox: %w", err)
		}
		total += n
		if n < outboxBatch {
			break
		}
	}
	return total, nil
}
