package models

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// RiskSignalCodes are the signal codes, in the order a reviewer's filter
// offers them.
var RiskSignalCodes = []string{SignalBlocklisted, SignalEmailAlias, SignalRing, SignalExistingCustomer,
	SignalSameClient, SignalDisposableEmail, SignalVelocity}

// HeldReward is a reward token as the review queue shows it: with its
// campaign's name and the referral that earned it, host and guest named
// by their external ids. Its Risk is the referral's.
type HeldReward struct {
	RewardToken
	CampaignName string `json:"campaign_name"`
	Host         string `json:"host"`
	Guest        string `json:"guest"`
}

// ReviewFilter selects held reward tokens; an empty field matches any.
type ReviewFilter struct {
	Campaign string // campaign slug
	Signal   string // a risk signal code the referral carries
	// Age, one of ReviewAges' names, keeps the tokens held for longer.
	Age string
}

// ReviewAge is an age filter of the review queue: held for more than For.
type ReviewAge struct {
	Name string
	For  time.Duration
}

// ReviewAges are the review queue's age filters, shortest first.
var ReviewAges = []ReviewAge{{"1d", 24 * time.Hour}, {"3d", 72 * time.Hour}, {"7d", 7 * 24 * time.Hour}, {"30d", 30 * 24 * time.Hour}}

// heldBefore is the time before which f's tokens were held, nil for any.
func (f ReviewFilter) heldBefore() (*time.Time, error) {
	if f.Age == "" {
		return nil, nil
	}
	i := slices.IndexFunc(ReviewAges, func(a ReviewAge) bool { return a.Name == f.Age })
	if i < 0 {
		return nil, invalid("age", "invalid_age", "age must be one of 1d, 3d, 7d or 30d")
	}
	t := time.Now().Add(-ReviewAges[i].For)
	return &t, nil
}

// reviewSelect reads reward tokens r with their campaign, and the
// referral's host and guest (ri is their invitation, rewardRiskJoin).
const reviewSelect = `
	SELECT r.id, p.external_id AS participant, c.slug AS campaign, c.name AS campaign_name,
	       r.invitation_id AS invitation, r.reason, r.milestone, r.description, r.kind, r.quantity,
	       r.amount, r.currency, r.percent_off, r.status, r.issued_at, r.status_changed_at, r.expires_at,
	       r.reviewed_at, r.review_reason, ` + rewardRiskColumn + `, hp.external_id AS host, gp.external_id AS guest
	FROM reward_tokens r
	JOIN participants p ON p.tenant_id = r.tenant_id AND p.id = r.participant_id
	JOIN campaigns c ON c.tenant_id = r.tenant_id AND c.id = r.campaign_id` + rewardRiskJoin + `
	JOIN participants hp ON hp.tenant_id = ri.tenant_id AND hp.id = ri.host_id
	JOIN participants gp ON gp.tenant_id = ri.tenant_id AND gp.id = ri.guest_id`

// reviewPageFilter keeps the held tokens r of the campaign id, held before
// a time (NULL for any) and after the page's last (its id; empty for the
// first page).
const reviewPageFilter = `
	    AND r.status = 'held'
	    AND (@campaign = '' OR r.campaign_id = @campaign)
	    AND (CAST(@held_before AS timestamptz) IS NULL OR r.issued_at < @held_before)
	    AND (@after = '' OR (r.issued_at, r.id) > (SELECT issued_at, id FROM reward_tokens WHERE tenant_id = @tenant AND id = @after))
	  ORDER BY r.issued_at, r.id
	  LIMIT @limit
	)` + reviewSelect + `
	WHERE r.tenant_id = @tenant AND r.id IN (SELECT id FROM page)
	ORDER BY r.issued_at, r.id`

// qReviewQueue: held tokens, oldest first (the reward_tokens_held index),
// filtered as reviewPageFilter says. The page's ids are chosen first, from
// the tokens alone; only the page's rows are then joined and built.
const qReviewQueue = `
	WITH page AS (
	  SELECT r.id FROM reward_tokens r
	  WHERE r.tenant_id = @tenant` + reviewPageFilter

// qReviewQueueBySignal: qReviewQueue's tokens whose referral carries the
// signal code. The referrals that carry it are found by their tenant and
// code (invitation_signals_by_code), their held tokens by the referral
// (reward_tokens_held_by_invitation), when the statistics say few carry
// it; for a signal most carry, the planner may walk the held tokens in
// order instead, each referral's code looked up by its key, and stop at a
// page. Reading every held token and each one's invitation, a signal that
// none carried cost the whole queue.
const qReviewQueueBySignal = `
	WITH page AS (
	  SELECT r.id FROM invitation_signals s
	  JOIN reward_tokens r ON r.tenant_id = s.tenant_id AND r.invitation_id = s.invitation_id
	  WHERE s.tenant_id = @tenant AND s.code = @signal AND r.tenant_id = @tenant` + reviewPageFilter

// qReviewedReward: one token as the queue shows it, held or decided.
const qReviewedReward = reviewSelect + `
	WHERE r.tenant_id = @tenant AND r.id = @id`

// ListReviewQueue returns the held reward tokens f selects, oldest first.
// A campaign slug no campaign has selects nothing.
func ListReviewQueue(ctx context.Context, f ReviewFilter, page Page) ([]HeldReward, bool, error) {
	if f.Signal != "" && !slices.Contains(RiskSignalCodes, f.Signal) {
		return nil, false, invalid("signal", "invalid_signal", "signal must be one of %v", RiskSignalCodes)
	}
	heldBefore, err := f.heldBefore()
	if err != nil {
		return nil, false, err
	}
	campaign, ok, err := filterCampaign(ctx, f.Campaign)
	if err != nil || !ok {
		return nil, false, err
	}
	tx, err := db(ctx)
	if err != nil {
		return nil, false, err
	}
	query, args := qReviewQueue, map[string]any{"tenant": tenantOf(ctx), "campaign": campaign,
		"held_before": heldBefore, "after": page.After, "limit": page.limit() + 1}
	if f.Signal != "" {
		query, args["signal"] = qReviewQueueBySignal, f.Signal
	}
	var rs []HeldReward
	err = tx.Raw(query, args).Scan(&rs).Error
	if err != nil {
		return nil, false, fmt.Errorf("list review queue: %w", err)
	}
	rs, more := trimPage(page, rs)
	return rs, more, nil
}

// GetReviewedReward returns one reward token as the review queue shows
// it, whatever its status.
func GetReviewedReward(ctx context.Context, id string) (HeldReward, error) {
	tx, err := db(ctx)
	if err != nil {
		return HeldReward{}, err
	}
	var rs []HeldReward
	if err := tx.Raw(qReviewedReward, map[string]any{"tenant": tenantOf(ctx), "id": id}).Scan(&rs).Error; err != nil {
		return HeldReward{}, fmt.Errorf("get reviewed reward %s: %w", id, err)
	}
	if len(rs) == 0 {
		return HeldReward{}, fmt.Errorf("get reviewed reward %s: %w", id, ErrRewardNotFound)
	}
	return rs[0], nil
}

// HostReferral is one referral of a host, as a reviewer compares it with
// the one under review.
type HostReferral struct {
	Host         string     `json:"host"`
	Invitation   string     `json:"invitation"`
	Guest        string     `json:"guest"`
	CampaignName string     `json:"campaign_name"`
	ClaimedAt    time.Time  `json:"claimed_at"`
	CompletedAt  *time.Time `json:"completed_at"`
	RiskLevel    *string    `json:"risk_level"`
}

// HostReferrals are the claimed invitations of hosts (external ids), at
// most perHost of each host, newest first, and how many each host has in
// all.
type HostReferrals struct {
	Recent map[string][]HostReferral
	Total  map[string]int
}

// qHostReferrals: each host's newest claimed invitations across
// campaigns (invitations_by_host per host). The lateral subquery names the
// tenant as a value so that Citus routes it to the tenant's shard.
const qHostReferrals = `
	SELECT hp.external_id AS host, x.invitation, gp.external_id AS guest, c.name AS campaign_name,
	       x.claimed_at, x.completed_at, x.risk_level
	FROM participants hp
	CROSS JOIN LATERAL (
	  SELECT i.id AS invitation, i.guest_id, i.campaign_id, i.claimed_at, i.completed_at, i.risk_level
	  FROM invitations i
	  WHERE i.tenant_id = @tenant AND i.host_id = hp.id AND i.guest_id IS NOT NULL
	  ORDER BY i.claimed_at DESC, i.id DESC
	  LIMIT @per_host
	) x
	JOIN participants gp ON gp.tenant_id = @tenant AND gp.id = x.guest_id
	JOIN campaigns c ON c.tenant_id = @tenant AND c.id = x.campaign_id
	WHERE hp.tenant_id = @tenant AND hp.external_id = ANY (CAST(@hosts AS text[]))
	ORDER BY hp.external_id, x.claimed_at DESC, x.invitation DESC`

// qHostReferralCounts: how many claimed invitations each host has.
const qHostReferralCounts = `
	SELECT hp.external_id AS host, count(*) AS total
	FROM participants hp
	JOIN invitations i ON i.tenant_id = hp.tenant_id AND i.host_id = hp.id
	WHERE hp.tenant_id = @tenant AND hp.external_id = ANY (CAST(@hosts AS text[])) AND i.guest_id IS NOT NULL
	GROUP BY hp.external_id`

// ListHostReferrals reads the referrals of hosts, at most perHost each.
func ListHostReferrals(ctx context.Context, hosts []string, perHost int) (HostReferrals, error) {
	out := HostReferrals{Recent: map[string][]HostReferral{}, Total: map[string]int{}}
	if len(hosts) == 0 {
		return out, nil
	}
	tx, err := db(ctx)
	if err != nil {
		return out, err
	}
	args := map[string]any{"tenant": tenantOf(ctx), "hosts": array(hosts), "per_host": perHost}
	var recent []HostReferral
	if err := tx.Raw(qHostReferrals, args).Scan(&recent).Error; err != nil {
		return out, fmt.Errorf("list host referrals: %w", err)
	}
	for _, r := range recent {
		out.Recent[r.Host] = append(out.Recent[r.Host], r)
	}
	var counts []struct {
		Host  string
		Total int
	}
	if err := tx.Raw(qHostReferralCounts, args).Scan(&counts).Error; err != nil {
		return out, fmt.Errorf("count host referrals: %w", err)
	}
	for _, c := range counts {
		out.Total[c.Host] = c.Total
	}
	return out, nil
}

// ReviewRewards approves (reason nil) or rejects (for *reason) every held
// token of ids, each decided and audited on its own as ApproveReward and
// RejectReward do; the others are skipped, not refused, since another
// member may have decided some meanwhile. The held tokens are locked
// first, in id order, so two bulk decisions over the same tokens take
// turns and never deadlock.
func ReviewRewards(ctx context.Context, ids []string, reason *string) (BulkResult, error) {
	ids = uniqueIDs(ids)
	if len(ids) > MaxBulkRewards {
		return BulkResult{}, invalid("ids", "too_many_rewards", "at most %d rewards at once", MaxBulkRewards)
	}
	if reason != nil {
		r := strings.TrimSpace(*reason)
		if err := validateText("reason", r, 1, 500); err != nil {
			return BulkResult{}, err
		}
		reason = &r
	}
	if len(ids) == 0 {
		return BulkResult{}, nil
	}
	tx, err := db(ctx)
	if err != nil {
		return BulkResult{}, err
	}
	var held []string
	err = tx.Raw(`SELECT id FROM reward_tokens WHERE tenant_id = ? AND id = ANY (string_to_array(?, ',')) AND status = 'held'
		ORDER BY id FOR UPDATE`, tenantOf(ctx), strings.Join(ids, ",")).Scan(&held).Error
	if err != nil {
		return BulkResult{}, fmt.Errorf("lock held rewards: %w", err)
	}
	for _, id := range held {
		if reason == nil {
			_, err = ApproveReward(ctx, id)
		} else {
			_, err = RejectReward(ctx, id, *reason)
		}
		if err != nil {
			return BulkResult{}, err
		}
	}
	return BulkResult{Settled: held, Skipped: len(ids) - len(held)}, nil
}
