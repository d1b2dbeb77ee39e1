package models

import (
	"context"
	"errors"
	"fmt"

	"github.com/tandemhq/tandem/internal/secretbox"
)

// Fulfilment statuses (migrations/00026_stripe_fulfilment.sql; cancelled:
// 00036_fulfilment_follows_reward.sql, set by the schema when the reward
// leaves issued before Stripe made anything).
const (
	FulfilmentPending   = "pending"
	FulfilmentFulfilled = "fulfilled"
	FulfilmentFailed    = "failed"
	FulfilmentCancelled = "cancelled"
)

// Fulfilment is how a Stripe reward's fulfilment stands: the Stripe object
// made (a coupon or a balance transaction), a coupon's promotion code, the
// last error while it fails, and how many runs it took.
type Fulfilment struct {
	Status       string  `json:"status"`
	StripeObject *string `json:"stripe_object"`
	Code         *string `json:"code"`
	Error        string  `json:"error"`
	Attempts     int     `json:"attempts"`
}

// fulfilmentColumn is a reward's fulfilment as one column (NULL for the
// kinds settled by hand), from reward_fulfilments f joined to the token.
const fulfilmentColumn = `CASE WHEN f.reward_id IS NOT NULL THEN jsonb_build_object(
	  'status', f.status, 'stripe_object', f.stripe_object, 'code', f.code, 'error', f.error, 'attempts', f.attempts)
	END AS fulfilment`

// ErrFulfilmentNotFailed: only a failed fulfilment is retried by hand.
var ErrFulfilmentNotFailed = &Error{Conflict, "fulfilment_not_failed", "only a failed Stripe fulfilment can be retried"}

// ErrRewardNotIssued: a reward redeemed, voided or expired is not sent to
// Stripe again; its fulfilment was cancelled when it left issued.
var ErrRewardNotIssued = &Error{Conflict, "reward_not_issued", "only an issued reward's Stripe fulfilment can be retried"}

// ErrRewardFulfilled: a reward Stripe has paid (the schema's
// reward_fulfilled) is not voided or expired on paper while its coupon or
// credit exists.
var ErrRewardFulfilled = &Error{Conflict, "reward_fulfilled", "the reward was paid through Stripe: it can be redeemed, not voided or expired"}

// FulfilmentTask is what a fulfilment run needs: the reward, its
// participant's Stripe customer and the tenant's key.
type FulfilmentTask struct {
	RewardID string
	// Status is the fulfilment's, RewardStatus the reward's: only an
	// issued reward is sent to Stripe.
	Status       string
	RewardStatus string
	Kind         string
	Description  string
	Amount       int64
	Currency     string
	// PercentOff is a percentage coupon's, 0 for an amount off.
	PercentOff float64
	Customer   string
	// Key is the tenant's Stripe key; empty with KeyErr set when the
	// tenant has none.
	Key    string
	KeyErr error `gorm:"-"`
}

// PrepareFulfilment reads what fulfilling reward id needs, and locks the
// reward (FOR SHARE) until the caller's transaction ends: a void or an
// expiry waits for the run to record its outcome, and a run that starts
// after one reads the reward settled. Two runs may hold it at once; Stripe's
// Idempotency-Keys make their requests one.
func PrepareFulfilment(ctx context.Context, box *secretbox.Box, id string) (FulfilmentTask, error) {
	tx, err := db(ctx)
	if err != nil {
		return FulfilmentTask{}, err
	}
	var t FulfilmentTask
	err = tx.Raw(`
		SELECT r.id AS reward_id, f.status, r.status AS reward_status, r.kind, r.description, coalesce(r.amount, 0) AS amount,
		       coalesce(r.currency, '') AS currency, coalesce(r.percent_off, 0) AS percent_off,
		       coalesce(p.stripe_customer_id, '') AS customer
		FROM reward_fulfilments f
		JOIN reward_tokens r ON r.tenant_id = f.tenant_id AND r.id = f.reward_id
		JOIN participants p ON p.tenant_id = r.tenant_id AND p.id = r.participant_id
		WHERE f.tenant_id = ? AND f.reward_id = ?
		FOR SHARE OF r`, tenantOf(ctx), id).Take(&t).Error
	if err != nil {
		return t, dbError("prepare fulfilment", err, ErrRewardNotFound)
	}
	t.Key, t.KeyErr = stripeKey(ctx, box)
	if t.KeyErr != nil && !errors.Is(t.KeyErr, ErrStripeNotConnected) {
		return t, t.KeyErr
	}
	return t, nil
}

// RecordFulfilment records one run: fulfilled with object and code when
// failure is "", failed with failure otherwise. A fulfilment already
// fulfilled (by a concurrent run) is left as it is. The caller holds the
// reward's lock (PrepareFulfilment); the schema refuses the record
// (fulfilment_follows_reward) for a reward no longer issued.
func RecordFulfilment(ctx context.Context, id, object, code, failure string) error {
	tx, err := db(ctx)
	if err != nil {
		return err
	}
	status := FulfilmentFulfilled
	var obj, cd *string
	if failure != "" {
		status = FulfilmentFailed
		failure = truncate(failure, 500)
	} else {
		obj = &object
		if code != "" {
			cd = &code
		}
	}
	err = tx.Exec(`
		UPDATE reward_fulfilments SET status = ?, stripe_object = ?, code = ?, error = ?, attempts = attempts + 1, updated_at = now()
		WHERE tenant_id = ? AND reward_id = ? AND status <> 'fulfilled'`, status, obj, cd, failure, tenantOf(ctx), id).Error
	return dbError("record fulfilment", err, nil)
}

// RetryFulfilment queues a failed fulfilment of an issued reward again, at
// once. The reward is locked before the fulfilment, the order the job and
// a void keep: a void in flight is waited for and then refuses the retry
// (ErrRewardNotIssued); a void that comes after cancels the queued run.
func RetryFulfilment(ctx context.Context, id string) error {
	tx, err := db(ctx)
	if err != nil {
		return err
	}
	var reward []string
	if err := tx.Raw(`SELECT status FROM reward_tokens WHERE tenant_id = ? AND id = ? FOR SHARE`, tenantOf(ctx), id).Scan(&reward).Error; err != nil {
		return fmt.Errorf("retry fulfilment: %w", err)
	}
	var status []string
	if err := tx.Raw(`SELECT status FROM reward_fulfilments WHERE tenant_id = ? AND reward_id = ? FOR UPDATE`,
		tenantOf(ctx), id).Scan(&status).Error; err != nil {
		return fmt.Errorf("retry fulfilment: %w", err)
	}
	switch {
	case len(reward) == 0 || len(status) == 0:
		return ErrRewardNotFound
	case reward[0] != RewardIssued:
		return ErrRewardNotIssued
	case status[0] != FulfilmentFailed:
		return ErrFulfilmentNotFailed
	}
	if err := tx.Exec(`UPDATE reward_fulfilments SET status = 'pending', error = '', updated_at = now() WHERE tenant_id = ? AND reward_id = ?`,
		tenantOf(ctx), id).Error; err != nil {
		return dbError("retry fulfilment", err, nil)
	}
	if err := tx.Exec(`SELECT reward_fulfilment_queue(?, ?)`, tenantOf(ctx), id).Error; err != nil {
		return fmt.Errorf("queue fulfilment: %w", err)
	}
	return nil
}
