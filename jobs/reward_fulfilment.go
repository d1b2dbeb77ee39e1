package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"

	"github.com/tandemhq/tandem/fulfil"
	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

// fulfilmentArgs are the arguments of a reward_fulfilment job, inserted by
// reward_fulfilment_queue (migrations/00026_stripe_fulfilment.sql) when a
// Stripe reward is issued or retried by hand.
type fulfilmentArgs struct {
	TenantID uuid.UUID `json:"tenant_id"`
	RewardID string    `json:"reward_id"`
}

func (fulfilmentArgs) Kind() string { return "reward_fulfilment" }

// fulfilmentWorker makes a Stripe reward's objects in the tenant's Stripe.
// A failed run is recorded on the reward and returned, so River runs it
// again with its backoff (max_attempts in the queueing function).
type fulfilmentWorker struct {
	river.WorkerDefaults[fulfilmentArgs]
	cfg    Config
	stripe *fulfil.Stripe
}

// NextRetry follows cfg.FulfilmentBackoff, or River's default without one.
func (w *fulfilmentWorker) NextRetry(job *river.Job[fulfilmentArgs]) time.Time {
	if w.cfg.FulfilmentBackoff == nil {
		return time.Time{}
	}
	return w.cfg.Now().Add(w.cfg.FulfilmentBackoff(job.Attempt))
}

// Work reads the reward and the tenant's key in one tenant transaction,
// calls Stripe outside any, and records the outcome in another. A reward
// already fulfilled is left alone: a second run of the job calls nothing.
// Stripe's Idempotency-Key (the reward id) covers the run that made the
// objects but died before recording them.
func (w *fulfilmentWorker) Work(ctx context.Context, job *river.Job[fulfilmentArgs]) error {
	var task models.FulfilmentTask
	err := tenants.WithTenant(ctx, w.cfg.DB, job.Args.TenantID, func(ctx context.Context) error {
		var err error
		task, err = models.PrepareFulfilment(ctx, w.cfg.Secrets, job.Args.RewardID)
		return err
	})
	if errors.Is(err, models.ErrRewardNotFound) {
		return river.JobCancel(err)
	}
	if err != nil || task.Status == models.FulfilmentFulfilled {
		return err
	}
	res, failure := fulfil.Result{}, task.KeyErr
	if failure == nil {
		res, failure = w.stripe.Fulfil(ctx, task.Key, fulfil.Reward{ID: task.RewardID, Kind: task.Kind,
			Description: task.Description, Amount: task.Amount, Currency: task.Currency, PercentOff: task.PercentOff,
			Customer: task.Customer})
	}
	reason := ""
	if failure != nil {
		reason = failure.Error()
	}
	err = tenants.WithTenant(context.WithoutCancel(ctx), w.cfg.DB, job.Args.TenantID, func(ctx context.Context) error {
		return models.RecordFulfilment(ctx, task.RewardID, res.Object, res.Code, reason)
	})
	if err != nil {
		return err
	}
	if failure != nil {
		return fmt.Errorf("fulfil reward %s: %w", task.RewardID, failure)
	}
	return nil
}
