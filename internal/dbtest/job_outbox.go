package dbtest

import (
	"testing"

	"gorm.io/gorm"
)

// MoveJobOutbox moves every job waiting in job_outbox into river_job, as
// River's periodic mover does (internal/jobs, job_outbox_move as River's
// role, outside any tenant). On Citus a job a tenant's transaction decides
// on a worker waits there until the mover runs; a test that reads River's
// jobs right after that transaction calls this first. On one PostgreSQL
// the queue functions write river_job themselves and there is nothing to
// move.
func (e *Env) MoveJobOutbox(t testing.TB) {
	t.Helper()
	err := e.Owner.Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`SET LOCAL ROLE tandem_jobs`).Error; err != nil {
			return err
		}
		var moved int
		return tx.Raw(`SELECT job_outbox_move(1000000)`).Scan(&moved).Error
	})
	if err != nil {
		t.Fatalf("move the job outbox: %v", err)
	}
}
