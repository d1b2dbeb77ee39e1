package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

// The purge of deleted accounts (migrations/functions/purge_tenant.sql):
// a periodic job, inserted by River's leader only and kept unique, so one
// runs at a time in the cluster. It finds the tenants whose grace period is
// over and removes each one's rows, a batch a transaction (at most
// purgeBatch rows of one table): each batch holds only its own rows'
// locks, for milliseconds, and nothing of another tenant waits for them.
// A run stops after purgeRunTime, well within River's job timeout, and
// snoozes to go on.
const (
	purgeBatch   = 1000
	purgeRunTime = 20 * time.Second
	// purgeRaces bounds how often one tenant's last batch is run again
	// after a late writer's row stopped the tenant's delete.
	purgeRaces = 5
)

// purgeArgs are the arguments of the purge (none: it names no tenant, so
// its own row is not among the jobs the purge deletes).
type purgeArgs struct{}

func (purgeArgs) Kind() string { return "tenant_purge" }

// InsertOpts skips a second purge while one waits, runs or snoozes.
func (purgeArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByState: waitingOrRunning}}
}

// purgeWorker purges the accounts due.
type purgeWorker struct {
	river.WorkerDefaults[purgeArgs]
	cfg Config
}

func (w *purgeWorker) Work(ctx context.Context, _ *river.Job[purgeArgs]) error {
	_, more, err := purgeDue(ctx, w.cfg, time.Now().Add(purgeRunTime))
	if err != nil {
		return err
	}
	if more {
		return river.JobSnooze(expirySnooze)
	}
	return nil
}

// PurgeDeletedAccounts removes every row of every account due for deletion
// at cfg.Now(), run to the end in the caller, and says how many rows: what
// the purge job does. Tests call it with their clock.
func PurgeDeletedAccounts(ctx context.Context, cfg Config) (int, error) {
	n, _, err := purgeDue(ctx, cfg, time.Time{})
	return n, err
}

// purgeDue purges the accounts due, until deadline (none when zero), and
// says how many rows it removed and whether some are left.
func purgeDue(ctx context.Context, cfg Config, deadline time.Time) (int, bool, error) {
	due, err := tenants.DueForDeletion(ctx, cfg.DB, cfg.Now())
	if err != nil {
		return 0, false, err
	}
	total := 0
	for _, tenant := range due {
		n, done, err := purgeTenant(ctx, cfg, tenant, deadline)
		total += n
		if err != nil || !done {
			return total, !done, err
		}
	}
	return total, false, nil
}

// purgeTenant runs tenant's batches until it is gone (done) or deadline.
func purgeTenant(ctx context.Context, cfg Config, tenant uuid.UUID, deadline time.Time) (n int, done bool, err error) {
	races := 0
	raced := false
	for deadline.IsZero() || time.Now().Before(deadline) {
		var batch int
		err := tenants.WithTenant(ctx, cfg.DB, tenant, func(ctx context.Context) error {
			var err error
			batch, err = models.PurgeAccountBatch(ctx, purgeBatch, raced)
			return err
		})
		raced = errors.Is(err, models.ErrPurgeRaced)
		if raced && races < purgeRaces {
			races++
			continue
		}
		if err != nil {
			return n, false, fmt.Errorf("jobs: purge tenant %s: %w", tenant, err)
		}
		if batch == 0 {
			return n, true, nil
		}
		n += batch
	}
	return n, false, nil
}
