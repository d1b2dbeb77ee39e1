package jobs

import (
	"context"
	"errors"

	"github.com/riverqueue/river"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

// expiryArgs are the arguments of the periodic reward expiry (none).
type expiryArgs struct{}

func (expiryArgs) Kind() string { return "reward_expiry" }

// expiryWorker expires the issued reward tokens past their expires_at, in
// every tenant that has some. River's leader inserts it on a schedule;
// two runs at once (a leader change) still expire each token once: the
// update takes only tokens still issued, under their row locks, and the
// reward.expired message is the status change's own trigger.
type expiryWorker struct {
	river.WorkerDefaults[expiryArgs]
	cfg Config
}

func (w *expiryWorker) Work(ctx context.Context, _ *river.Job[expiryArgs]) error {
	_, err := ExpireRewards(ctx, w.cfg)
	return err
}

// ExpireRewards expires every issued token due at cfg.Now() and says how
// many it expired. The worker runs it; tests call it with their clock.
func ExpireRewards(ctx context.Context, cfg Config) (int, error) {
	now := cfg.Now()
	due, err := tenants.WithDueRewards(ctx, cfg.DB, now)
	if err != nil {
		return 0, err
	}
	total := 0
	var errs []error
	for _, tenant := range due {
		err := tenants.WithTenant(ctx, cfg.DB, tenant, func(ctx context.Context) error {
			n, err := models.ExpireDueRewards(ctx, now)
			total += n
			return err
		})
		errs = append(errs, err)
	}
	return total, errors.Join(errs...)
}
