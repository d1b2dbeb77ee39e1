package models

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/tandemhq/tandem/internal/money"
)

// Reward token statuses.
const (
	// RewardHeld is a token waiting for a person's review: it is approved
	// (issued) or rejected (voided) before anything else happens to it.
	RewardHeld     = "held"
	RewardIssued   = "issued"
	RewardRedeemed = "redeemed"
	RewardVoided   = "voided"
	RewardExpired  = "expired"
)

// RewardStatuses lists a reward token's statuses.
var RewardStatuses = []string{RewardHeld, RewardIssued, RewardRedeemed, RewardVoided, RewardExpired}

// Reward describes what a reward token is worth: free text, a kind, a
// quantity, and optionally a money value in minor units with its currency,
// or (a stripe_coupon only) a percentage off.
type Reward struct {
	Description string `json:"description"`
	Kind        string `json:"kind"`
	Quantity    int    `json:"quantity"`
	Amount      *int64 `json:"amount,omitempty"`
	Currency    string `json:"currency,omitempty"`
	// PercentOff is above 0 and at most 100, with at most two decimals
	// (Stripe's percent_off; the schema's CHECKs).
	PercentOff *float64 `json:"percent_off,omitempty"`
}

// Milestone says that the host's Count-th completed invitation earns Reward.
type Milestone struct {
	Count  int    `json:"count"`
	Reward Reward `json:"reward"`
}

func (r *Reward) validate(field string) error {
	if err := validateText(field+".description", r.Description, 1, 500); err != nil {
		return err
	}
	if !slices.Contains(RewardKinds, r.Kind) {
		return invalid(field+".kind", "invalid_reward_kind", "kind must be one of %v", RewardKinds)
	}
	if r.Quantity == 0 {
		r.Quantity = 1
	}
	if r.Quantity < 1 || r.Quantity > 1_000_000 {
		return invalid(field+".quantity", "invalid_quantity", "quantity must be between 1 and 1000000")
	}
	if r.Amount != nil && (*r.Amount < 0 || *r.Amount > money.MaxAmount) {
		return invalid(field+".amount", "invalid_amount", "amount is in minor units, from 0 to %d", int64(money.MaxAmount))
	}
	if (r.Amount == nil) != (r.Currency == "") {
		return invalid(field+".currency", "currency_required", "an amount needs a currency and a currency needs an amount")
	}
	if r.Currency != "" && !money.ValidCode(r.Currency) {
		return invalid(field+".currency", "invalid_currency", "currency is an ISO 4217 code such as USD")
	}
	if r.PercentOff != nil {
		return r.validatePercentOff(field)
	}
	if r.Kind == RewardStripeCoupon && (r.Amount == nil || *r.Amount == 0) {
		return invalid(field+".amount", "invalid_amount", "a %s reward is for an amount above 0 with its currency, or a percent_off", r.Kind)
	}
	if StripeFulfils(r.Kind) && (r.Amount == nil || *r.Amount == 0) {
		return invalid(field+".amount", "invalid_amount", "a %s reward is for an amount above 0, with its currency", r.Kind)
	}
	return nil
}

// validatePercentOff checks a percentage off, the schema's rules in
// migrations/00031_percentage_coupons.sql: a Stripe coupon's only, instead
// of an amount, above 0 and at most 100 with at most two decimals: refused
// here with a precise error before the CHECK would refuse the statement.
func (r *Reward) validatePercentOff(field string) error {
	p := *r.PercentOff
	if r.Kind != RewardStripeCoupon {
		return invalid(field+".percent_off", "invalid_percent_off", "only a %s reward is a percentage off", RewardStripeCoupon)
	}
	if r.Amount != nil {
		return invalid(field+".percent_off", "invalid_percent_off", "a coupon is an amount or a percentage off, not both")
	}
	if cents := p * 100; math.IsNaN(p) || p <= 0 || p > 100 || math.Abs(cents-math.Round(cents)) > 1e-6 {
		return invalid(field+".percent_off", "invalid_percent_off", "percent_off is above 0 and at most 100, with at most two decimals")
	}
	return nil
}

// The reward kinds fulfilled through the tenant's Stripe (package jobs):
// a coupon with its single-use promotion code, and a customer balance credit.
const (
	RewardStripeCoupon  = "stripe_coupon"
	RewardStripeBalance = "stripe_balance"
)

// StripeFulfils reports whether rewards of kind are fulfilled through Stripe.
func StripeFulfils(kind string) bool {
	return kind == RewardStripeCoupon || kind == RewardStripeBalance
}

// MaxMilestones bounds a version's host milestone table (the schema's
// milestones_cap: no row beyond the 100th).
const MaxMilestones = 100

// validateMilestones checks the host milestone table: at most MaxMilestones
// rows, counts strictly increasing from 1 up to MaxMilestones, every reward
// valid.
func validateMilestones(ms []Milestone) error {
	if len(ms) > MaxMilestones {
		return invalid("host_milestones", "too_many_milestones", "a milestone table has at most %d rows", MaxMilestones)
	}
	for i := range ms {
		field := fmt.Sprintf("host_milestones[%d]", i)
		want := "be 1"
		if i > 0 {
			want = fmt.Sprintf("be greater than %d", ms[i-1].Count)
		}
		if (i == 0 && ms[i].Count != 1) || (i > 0 && ms[i].Count <= ms[i-1].Count) {
			return invalid(field+".count", "invalid_milestones", "counts increase strictly from 1: this one must %s", want)
		}
		if ms[i].Count > MaxMilestones {
			return invalid(field+".count", "invalid_milestones", "counts go up to %d", MaxMilestones)
		}
		if err := ms[i].Reward.validate(field + ".reward"); err != nil {
			return err
		}
	}
	return nil
}

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
	PercentOff      *float64   `json:"percent_off"`
	Status          string     `json:"status"`
	IssuedAt        time.Time  `json:"issued_at"`
	StatusChangedAt *time.Time `json:"status_changed_at"`
	RaffleDraw      *string    `json:"raffle_draw"`
	// ExpiresAt is when an issued token expires, if its version says so
	// (a held token's expiry starts when it is approved).
	ExpiresAt *time.Time `json:"expires_at"`
	// ReviewedAt is when a person approved or rejected the token, which
	// was held; ReviewReason is why it was rejected.
	ReviewedAt   *time.Time `json:"reviewed_at"`
	ReviewReason *string    `json:"review_reason"`
	// Risk is the risk of the referral that earned the token.
	Risk Risk `json:"risk" gorm:"serializer:json"`
	// Fulfilment is how a Stripe reward's fulfilment stands; nil for the
	// kinds an admin settles by hand.
	Fulfilment *Fulfilment `json:"fulfilment,omitempty" gorm:"serializer:json"`
}

// RewardReason says in words why a token was issued.
func RewardReason(r RewardToken) string {
	if r.Reason == "host_milestone" && r.Milestone != nil {
		return fmt.Sprintf("host milestone %d", *r.Milestone)
	}
	if r.Reason == "guest" {
		return "guest reward"
	}
	return strings.ReplaceAll(r.Reason, "_", " ")
}

const rewardSelect = `
	SELECT r.id, p.external_id AS participant, c.slug AS campaign, r.invitation_id AS invitation, r.reason,
	       r.milestone, r.description, r.kind, r.quantity, r.amount, r.currency, r.percent_off, r.status, r.issued_at,
	       r.status_changed_at, r.raffle_draw_id AS raffle_draw, r.expires_at, r.reviewed_at, r.review_reason, ` + rewardRiskColumn + `,
	       ` + fulfilmentColumn + `
	FROM reward_tokens r
	JOIN participants p ON p.tenant_id = r.tenant_id AND p.id = r.participant_id
	JOIN campaigns c ON c.tenant_id = r.tenant_id AND c.id = r.campaign_id
	LEFT JOIN reward_fulfilments f ON f.tenant_id = r.tenant_id AND f.reward_id = r.id` + rewardRiskJoin

// GetReward returns one reward token.
func GetReward(ctx context.Context, id string) (RewardToken, error) {
	tx, err := db(ctx)
	if err != nil {
		return RewardToken{}, err
	}
	var r RewardToken
	err = tx.Raw(rewardSelect+` WHERE r.tenant_id = ? AND r.id = ?`, tenantOf(ctx), id).Take(&r).Error
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
		WHERE r.tenant_id = ? AND r.participant_id = ?
		  AND (? = '' OR (r.issued_at, r.id) < (SELECT issued_at, id FROM reward_tokens WHERE tenant_id = r.tenant_id AND id = ?))
		ORDER BY r.issued_at DESC, r.id DESC LIMIT ?`,
		tenantOf(ctx), p.ID, page.After, page.After, page.limit()+1).Scan(&rs).Error
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

// ExpireDueRewards expires at most limit of the issued tokens whose
// expires_at is at or before now, oldest id first, and says how many, and
// whether more may be due (the batch was full). Each token expires once:
// the update takes only tokens still issued, and a concurrent run waits for
// the row and then finds it expired. A token Stripe has paid stays issued
// (the schema's reward_fulfilled): the due tokens are locked first, so that
// the update's fresh snapshot sees every fulfilment recorded before the
// locks were granted, and none can be recorded after (a run holds the
// lock).
func ExpireDueRewards(ctx context.Context, now time.Time, limit int) (expired int, more bool, err error) {
	tx, err := db(ctx)
	if err != nil {
		return 0, false, err
	}
	var due []string
	err = tx.Raw(`SELECT r.id FROM reward_tokens r
		WHERE r.tenant_id = ? AND r.status = 'issued' AND r.expires_at <= ? AND NOT `+paidThroughStripe+`
		ORDER BY r.id LIMIT ? FOR UPDATE OF r`, tenantOf(ctx), now, limit).Scan(&due).Error
	if err != nil {
		return 0, false, fmt.Errorf("lock due rewards: %w", err)
	}
	res := tx.Exec(`UPDATE reward_tokens r SET status = 'expired', status_changed_at = ?
		WHERE r.tenant_id = ? AND r.id IN (SELECT unnest(?::text[])) AND r.status = 'issued' AND NOT `+paidThroughStripe,
		now, tenantOf(ctx), array(due))
	if res.Error != nil {
		return 0, false, dbError("expire due rewards", res.Error, nil)
	}
	return int(res.RowsAffected), len(due) == limit, nil
}

// settleReward moves an issued token to status. Asking again for the status
// it has is a no-op, even when a concurrent request got there first; any
// other change of a settled token is refused (the schema refuses it too).
func settleReward(ctx context.Context, id, status string) (RewardToken, error) {
	tx, err := db(ctx)
	if err != nil {
		return RewardToken{}, err
	}
	if status != RewardRedeemed {
		// Refused here rather than by the schema's reward_fulfilled, which
		// would abort the caller's transaction. Locked first, then read in a
		// fresh statement: a run that recorded its fulfilment while this one
		// waited for the lock is seen.
		if err := tx.Exec(`SELECT FROM reward_tokens WHERE tenant_id = ? AND id = ? FOR UPDATE`, tenantOf(ctx), id).Error; err != nil {
			return RewardToken{}, fmt.Errorf("settle reward: %w", err)
		}
		var paid bool
		err := tx.Raw(`SELECT coalesce(bool_or(r.status = 'issued' AND `+paidThroughStripe+`), false)
			FROM reward_tokens r WHERE r.tenant_id = ? AND r.id = ?`, tenantOf(ctx), id).
			Row().Scan(&paid)
		if err != nil {
			return RewardToken{}, fmt.Errorf("settle reward: %w", err)
		}
		if paid {
			return RewardToken{}, fmt.Errorf("settle reward %s: %w", id, ErrRewardFulfilled)
		}
	}
	res := tx.Exec(`UPDATE reward_tokens SET status = ?, status_changed_at = now() WHERE tenant_id = ? AND id = ? AND status = 'issued'`,
		status, tenantOf(ctx), id)
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

// paidThroughStripe is true of a token r whose Stripe fulfilment is
// fulfilled: one that can no longer be voided or expired.
const paidThroughStripe = `EXISTS (SELECT FROM reward_fulfilments f
	WHERE f.tenant_id = r.tenant_id AND f.reward_id = r.id AND f.status = 'fulfilled')`

// MaxBulkRewards bounds one bulk redeem or void.
const MaxBulkRewards = 500

// BulkResult is what a bulk redeem or void did.
type BulkResult struct {
	Settled []string // the tokens changed
	// Skipped counts the tokens left as they were: already settled
	// (perhaps by someone else meanwhile) or unknown.
	Skipped int
}

// SettleRewards redeems (status RewardRedeemed) or voids (RewardVoided)
// every issued token of ids, each audited on its own; the others are
// skipped, not refused, since another member may have settled some
// meanwhile. The issued tokens are locked first, in id order, so two bulk
// changes over the same tokens take turns and never deadlock.
func SettleRewards(ctx context.Context, ids []string, status string) (BulkResult, error) {
	if status != RewardRedeemed && status != RewardVoided {
		return BulkResult{}, invalid("action", "invalid_action", "a bulk change redeems or voids")
	}
	ids = uniqueIDs(ids)
	if len(ids) > MaxBulkRewards {
		return BulkResult{}, invalid("ids", "too_many_rewards", "at most %d rewards at once", MaxBulkRewards)
	}
	if len(ids) == 0 {
		return BulkResult{}, nil
	}
	tx, err := db(ctx)
	if err != nil {
		return BulkResult{}, err
	}
	var issued []string
	err = tx.Raw(`SELECT id FROM reward_tokens WHERE tenant_id = ? AND id = ANY (string_to_array(?, ',')) AND status = 'issued'
		ORDER BY id FOR UPDATE`, tenantOf(ctx), strings.Join(ids, ",")).Scan(&issued).Error
	if err != nil {
		return BulkResult{}, fmt.Errorf("lock rewards: %w", err)
	}
	if status == RewardVoided && len(issued) > 0 {
		// Read after the locks, so that no fulfilment recorded meanwhile is
		// missed: a paid reward is skipped, not a reason to refuse the rest.
		err = tx.Raw(`SELECT id FROM reward_tokens r
			WHERE r.tenant_id = ? AND r.id = ANY (string_to_array(?, ',')) AND NOT `+paidThroughStripe+`
			ORDER BY id`, tenantOf(ctx), strings.Join(issued, ",")).Scan(&issued).Error
		if err != nil {
			return BulkResult{}, fmt.Errorf("lock rewards: %w", err)
		}
	}
	for _, id := range issued {
		if _, err := settleReward(ctx, id, status); err != nil {
			return BulkResult{}, err
		}
	}
	return BulkResult{Settled: issued, Skipped: len(ids) - len(issued)}, nil
}

// uniqueIDs drops empty, malformed (with a comma) and repeated ids, keeping the first order.
func uniqueIDs(ids []string) []string {
	seen := map[string]bool{}
	out := ids[:0:0]
	for _, id := range ids {
		id = strings.TrimSpace(id)
		if id != "" && !strings.Contains(id, ",") && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
