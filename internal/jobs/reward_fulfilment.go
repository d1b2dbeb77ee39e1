package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"

	"github.com/tandemhq/tandem/internal/stripereward"
	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

// fulfilmentArgs are the arguments of a reward_fulfilment job, inserted by
// reward_fulfilment_queue (migrations/functions/reward_fulfilment_queue.sql) when a
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
	stripe *stripereward.Stripe
}

// NextRetry follows cfg.FulfilmentBackoff, or River's default without one.
func (w *fulfilmentWorker) NextRetry(job *river.Job[fulfilmentArgs]) time.Time {
	if w.cfg.FulfilmentBackoff == nil {
		return time.Time{}
	}
	return w.cfg.Now().Add(w.cfg.FulfilmentBackoff(job.Attempt))
}

// Work fulfils the reward in one tenant transaction that holds the
// reward's row lock (FOR SHARE, models.PrepareFulfilment) from reading its
// status to recording the outcome, the Stripe call included: a void or an
// expiry waits for the run, and then finds it fulfilled (and is refused) or
// failed (and cancels it). Without the lock a void could land between the
// check and the call, and a voided reward would be paid. The price is a
// connection and a row lock held while Stripe answers (15 s at most, and
// at most one per running job); a void of that reward waits that long.
//
// Only an issued reward is sent. A settled one ends the job with
// river.JobCancel: its fulfilment was cancelled by the schema when the
// reward left issued, so no later run could do anything, and River keeps
// the reason among the job's errors. A reward already fulfilled is left
// alone: a second run calls nothing. Stripe's Idempotency-Key (the reward
// id) covers the run that made the objects but died before its commit.
func (w *fulfilmentWorker) Work(ctx context.Context, job *river.Job[fulfilmentArgs]) error {
	var failure, settled error
	err := tenants.WithTenant(ctx, w.cfg.DB, job.Args.TenantID, func(ctx context.Context) error {
		failure, settled = nil, nil
		task, err := models.PrepareFulfilment(ctx, w.cfg.Secrets, job.Args.RewardID)
		if err != nil || task.Status == models.FulfilmentFulfilled {
			return err
		}
		if task.RewardStatus != models.RewardIssued {
			settled = fmt.Errorf("reward %s is %s, its fulfilment %s: nothing sent to Stripe", task.RewardID, task.RewardStatus, task.Status)
			return nil
		}
		var res stripereward.Result
		if failure = task.KeyErr; failure == nil {
			res, failure = w.stripe.Fulfil(ctx, task.Key, stripereward.Reward{ID: task.RewardID, Kind: task.Kind,
				Description: task.Description, Amount: task.Amount, Currency: task.Currency, PercentOff: task.PercentOff,
				Customer: task.Customer})
			observeFulfilment(failure)
		}
		reason := ""
		if failure != nil {
			reason = failure.Error()
		}
		return models.RecordFulfilment(ctx, task.RewardID, res.Object, res.Code, reason)
	})
	switch {
	case errors.Is(err, models.ErrRewardNotFound):
		return river.JobCancel(err)
	case err != nil:
		return err
	case settled != nil:
		return river.JobCancel(settled)
	case failure != nil:
		return fmt.Errorf("fulfil reward %s: %w", job.Args.RewardID, failure)
	}
	return nil
}
