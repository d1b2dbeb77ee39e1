package models

import (
	"context"
	"fmt"
	"strings"
)

// ApproveReward issues a held token: a person reviewed it and lets it
// through. The schema stamps reviewed_at, starts the version's expiry and,
// for a Stripe reward, queues its fulfilment. Approving an approved token
// again is a no-op, even when a concurrent request got there first; any
// other token is refused (ErrRewardTransition).
func ApproveReward(ctx context.Context, id string) (RewardToken, error) {
	return reviewReward(ctx, id, RewardIssued, nil)
}

// RejectReward voids a held token for reason, which the token keeps.
// Rejecting a rejected token again is a no-op that keeps the first reason.
func RejectReward(ctx context.Context, id, reason string) (RewardToken, error) {
	reason = strings.TrimSpace(reason)
	if err := validateText("reason", reason, 1, 500); err != nil {
		return RewardToken{}, err
	}
	return reviewReward(ctx, id, RewardVoided, &reason)
}

// reviewReward moves a held token to status, once: the update takes only a
// held token, so of two concurrent decisions the second waits for the
// first's row lock and then finds the token decided.
func reviewReward(ctx context.Context, id, status string, reason *string) (RewardToken, error) {
	tx, err := db(ctx)
	if err != nil {
		return RewardToken{}, err
	}
	// Two statements rather than a CASE: Citus refuses now() inside one.
	decide := `UPDATE reward_tokens SET status = 'issued' WHERE tenant_id = ? AND id = ? AND status = 'held'`
	args := []any{tenantOf(ctx), id}
	if status == RewardVoided {
		decide = `UPDATE reward_tokens SET status = 'voided', status_changed_at = now(), review_reason = ?
			WHERE tenant_id = ? AND id = ? AND status = 'held'`
		args = append([]any{*reason}, args...)
	}
	res := tx.Exec(decide, args...)
	if res.Error != nil {
		return RewardToken{}, dbError("review reward", res.Error, nil)
	}
	after, err := GetReward(ctx, id)
	if err != nil {
		return RewardToken{}, err
	}
	action := "reward.approved"
	if status == RewardVoided {
		action = "reward.rejected"
	}
	if res.RowsAffected == 0 {
		// Decided before: the same decision again is a no-op.
		if after.ReviewedAt != nil && after.Status == status && (reason == nil) == (after.ReviewReason == nil) {
			return after, nil
		}
		return RewardToken{}, fmt.Errorf("%s %s: %w", action, id, ErrRewardTransition)
	}
	if err := Audit(ctx, action, id, map[string]string{"status": RewardHeld}, after); err != nil {
		return RewardToken{}, err
	}
	return after, nil
}
