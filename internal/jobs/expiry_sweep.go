package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

// expiry is one kind of work per tenant done by a sweep (rewards,
// invitations): due lists the tenants with rows due at now, through a
// narrow SECURITY DEFINER lookup; batch does one batch of at most limit
// rows inside the tenant's transaction and says whether it was full.
type expiry struct {
	due   func(ctx context.Context, db *gorm.DB, now time.Time) ([]uuid.UUID, error)
	batch func(ctx context.Context, now time.Time, limit int) (n int, full bool, err error)
}

var (
	rewardExpiry     = expiry{due: tenants.WithDueRewards, batch: models.ExpireDueRewards}
	invitationExpiry = expiry{due: tenants.WithDueInvitations, batch: models.ExpireDueInvitations}
)

// queue is the sweep's run: one job (args) for each tenant with rows due.
func (e expiry) queue(ctx context.Context, cfg Config, args func(tenant uuid.UUID) river.JobArgs) error {
	due, err := e.due(ctx, cfg.DB, cfg.Now())
	if err != nil || len(due) == 0 {
		return err
	}
	params := make([]river.InsertManyParams, len(due))
	for i, tenant := range due {
		params[i] = river.InsertManyParams{Args: args(tenant)}
	}
	if _, err := river.ClientFromContext[pgx.Tx](ctx).InsertMany(ctx, params); err != nil {
		return fmt.Errorf("queue %s: %w", params[0].Args.Kind(), err)
	}
	return nil
}

// work is one tenant's job: at most expiryBatchesPerRun batches, then a
// snooze when some may be left, so that the other tenants' jobs get the
// workers meanwhile.
func (e expiry) work(ctx context.Context, cfg Config, tenant uuid.UUID) error {
	_, more, err := e.tenant(ctx, cfg, tenant, expiryBatchesPerRun)
	if err != nil {
		return err
	}
	if more {
		return river.JobSnooze(expirySnooze)
	}
	return nil
}

// tenant does tenant's rows due at cfg.Now(), a batch a transaction, for
// at most batches batches; more says whether some may be left.
func (e expiry) tenant(ctx context.Context, cfg Config, tenant uuid.UUID, batches int) (done int, more bool, err error) {
	now := cfg.Now()
	for range batches {
		err = tenants.WithTenant(ctx, cfg.DB, tenant, func(ctx context.Context) error {
			n, full, err := e.batch(ctx, now, expiryBatch)
			done, more = done+n, full
			return err
		})
		if err != nil || !more {
			break
		}
	}
	return done, more, err
}

// all does every tenant's rows due at cfg.Now(), run to the end in the
// caller, and says how many: what the sweep and its jobs do.
func (e expiry) all(ctx context.Context, cfg Config) (int, error) {
	due, err := e.due(ctx, cfg.DB, cfg.Now())
	if err != nil {
		return 0, err
	}
	total := 0
	var errs []error
	for _, tenant := range due {
		for more := true; more; {
			var n int
			n, more, err = e.tenant(ctx, cfg, tenant, expiryBatchesPerRun)
			total += n
			if err != nil {
				errs = append(errs, err)
				break
			}
		}
	}
	return total, errors.Join(errs...)
}
