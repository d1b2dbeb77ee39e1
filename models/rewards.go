package models

import (
	"context"
	"fmt"
	"time"
)

// Reward token statuses.
const (
	RewardIssued   = "issued"
	RewardRedeemed = "redeemed"
	RewardVoided   = "voided"
	RewardExpired  = "expired"
)

// RewardToken is an exchange token: a participant's right to the reward it
// snapshots, issued for a reason (a guest reward, or a host milestone).
type RewardToken struct {
	ID              string     `json:"id"`
	Participant     string     `json:"participant"`
	Campaign        string     `json:"campaign"`
	Invitation      string     `json:"invitation"`
	Reason          string     `json:"reason"`
	Milestone       *int       `json:"milestone"`
	Description     string     `json:"description"`
	Kind            string     `json:"kind"`
	Quantity        int        `json:"quantity"`
	Amount          *int64     `json:"amount"`
	Currency        *string    `json:"currency"`
	Status          string     `json:"status"`
	IssuedAt        time.Time  `json:"issued_at"`
	StatusChangedAt *time.Time `json:"status_changed_at"`
	RaffleDraw      *string    `json:"raffle_draw"`
}

const rewardSelect = `
	SELECT r.id, p.external_id AS participant, c.slug AS campaign, r.invitation_id AS invitation, r.reason,
	       r.milestone, r.description, r.kind, r.quantity, r.amount, r.currency, r.status, r.issued_at,
	       r.status_changed_at, r.raffle_draw_id AS raffle_draw
	FROM reward_tokens r
	JOIN participants p ON p.tenant_id = r.tenant_id AND p.id = r.participant_id
	JOIN campaigns c ON c.tenant_id = r.tenant_id AND c.id = r.campaign_id`

// GetReward returns one reward token.
func GetReward(ctx context.Context, id string) (RewardToken, error) {
	tx, err := db(ctx)
	if err != nil {
		return RewardToken{}, err
	}
	var r RewardToken
	err = tx.Raw(rewardSelect+` WHERE r.id = ?`, id).Take(&r).Error
	return r, dbError("get reward", err, ErrRewardNotFound)
}

// ListParticipantRewards returns a participant's reward tokens, newest first.
func ListParticipantRewards(ctx context.Context, externalID string, page Page) ([]RewardToken, bool, error) {
	p, err := GetParticipant(ctx, externalID)
	if err != nil {
		return nil, false, err
	}
	tx, err := db(ctx)
	if err != nil {
		return nil, false, err
	}
	var rs []RewardToken
	err = tx.Raw(rewardSelect+`
		WHERE r.participant_id = @p
		  AND (@after = '' OR (r.issued_at, r.id) < (SELECT issued_at, id FROM reward_tokens WHERE id = @after))
		ORDER BY r.issued_at DESC, r.id DESC LIMIT @limit`,
		map[string]any{"p": p.ID, "after": page.After, "limit": page.limit() + 1}).Scan(&rs).Error
	if err != nil {
		return nil, false, fmt.Errorf("list rewards: %w", err)
	}
	rs, more := trimPage(page, rs)
	return rs, more, nil
}

// RedeemReward marks an issued token redeemed.
func RedeemReward(ctx context.Context, id string) (RewardToken, error) {
	return settleReward(ctx, id, RewardRedeemed)
}

// VoidReward marks an issued token void.
func VoidReward(ctx context.Context, id string) (RewardToken, error) {
	return settleReward(ctx, id, RewardVoided)
}

// ExpireReward marks an issued token expired: its time to be exchanged is over.
func ExpireReward(ctx context.Context, id string) (RewardToken, error) {
	return settleReward(ctx, id, RewardExpired)
}

// settleReward moves an issued token to status. Asking again for the status
// it has is a no-op, even when a concurrent request got there first; any
// other change of a settled token is refused (the schema refuses it too).
func settleReward(ctx context.Context, id, status string) (RewardToken, error) {
	tx, err := db(ctx)
	if err != nil {
		return RewardToken{}, err
	}
	res := tx.Exec(`UPDATE reward_tokens SET status = ?, status_changed_at = now() WHERE id = ? AND status = 'issued'`, status, id)
	if res.Error != nil {
		return RewardToken{}, dbError("settle reward", res.Error, nil)
	}
	after, err := GetReward(ctx, id)
	if err != nil {
		return RewardToken{}, err
	}
	if res.RowsAffected == 0 {
		if after.Status == status {
			return after, nil
		}
		return RewardToken{}, fmt.Errorf("settle reward %s: %w", id, ErrRewardTransition)
	}
	if err := Audit(ctx, "reward."+status, id, map[string]string{"status": RewardIssued}, after); err != nil {
		return RewardToken{}, err
	}
	return after, nil
}
