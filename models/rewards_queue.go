package models

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tandemhq/tandem/internal/money"
)

// QueuedReward is a reward token as the rewards queue shows it: with its
// campaign's name and, once settled, who settled it (a member's e-mail, a
// key's name, or Tandem) — StatusChangedAt says when.
type QueuedReward struct {
	RewardToken
	CampaignName string  `json:"campaign_name"`
	SettledBy    *string `json:"settled_by"`
}

// Settled reports when the token left issued, if it did.
func (r QueuedReward) Settled() (time.Time, bool) {
	if r.Status == RewardIssued || r.StatusChangedAt == nil {
		return time.Time{}, false
	}
	return *r.StatusChangedAt, true
}

// RewardFilter selects reward tokens; an empty field matches any.
type RewardFilter struct {
	Status   string
	Campaign string // campaign slug
	Kind     string
	// Participant is a participant's external id.
	Participant string
	// IDs, when not empty, keeps only these tokens.
	IDs []string
	// IssuedAfter and IssuedBefore, when set, keep the tokens issued
	// strictly after the one and strictly before the other, as the API's
	// created_after and created_before say.
	IssuedAfter, IssuedBefore *time.Time
}

func (f RewardFilter) validate() error {
	if f.Status != "" && !slices.Contains(RewardStatuses, f.Status) {
		return invalid("status", "invalid_status", "status must be one of %v", RewardStatuses)
	}
	if f.Kind != "" && !slices.Contains(RewardKinds, f.Kind) {
		return invalid("kind", "invalid_reward_kind", "kind must be one of %v", RewardKinds)
	}
	for _, id := range f.IDs {
		if strings.Contains(id, ",") {
			return invalid("ids", "invalid_id", "not a reward id")
		}
	}
	return nil
}

// args are qRewardQueue's parameters for f and a page (after, limit); an
// unknown participant is ErrParticipantNotFound, and a campaign slug no
// campaign has selects nothing (ok is false).
func (f RewardFilter) args(ctx context.Context, after string, limit int) (args map[string]any, ok bool, err error) {
	if err := f.validate(); err != nil {
		return nil, false, err
	}
	campaign, ok, err := filterCampaign(ctx, f.Campaign)
	if err != nil || !ok {
		return nil, false, err
	}
	participant, err := filterParticipant(ctx, f.Participant)
	if err != nil {
		return nil, false, err
	}
	return map[string]any{"tenant": tenantOf(ctx), "status": f.Status, "campaign": campaign, "kind": f.Kind,
		"participant": participant, "ids": strings.Join(f.IDs, ","), "issued_after": f.IssuedAfter,
		"issued_before": f.IssuedBefore, "after": after, "limit": limit}, true, nil
}

// qRewardQueue: reward tokens with their participant and campaign, and who
// settled them — the actor of the token's last reward.* audit entry
// (audit_log_by_subject), or who drew the raffle that used a ticket, named
// afterwards (loadActorLabels) —
// filtered by status, campaign id, kind, participant id, for bulk
// actions a set of ids (a comma-separated list, empty for any) and a range
// of issue times (NULL for open), newest first. The settling entry's
// subquery names the tenant as the value, not through the token's row:
// Citus routes a lateral subquery to the tenant's shard only so.
const qRewardQueue = `
	SELECT r.id, p.external_id AS participant, c.slug AS campaign, c.name AS campaign_name,
	       r.invitation_id AS invitation, r.reason, r.milestone, r.description, r.kind, r.quantity,
	       r.amount, r.currency, r.percent_off, r.status, r.issued_at, r.status_changed_at, r.raffle_draw_id AS raffle_draw, r.expires_at,
	       r.reviewed_at, r.review_reason, ` + rewardRiskColumn + `, coalesce(d.drawn_by, s.settled_by) AS settled_by, ` + fulfilmentColumn + `
	FROM reward_tokens r
	JOIN participants p ON p.tenant_id = r.tenant_id AND p.id = r.participant_id
	JOIN campaigns c ON c.tenant_id = r.tenant_id AND c.id = r.campaign_id
	LEFT JOIN reward_fulfilments f ON f.tenant_id = r.tenant_id AND f.reward_id = r.id` + rewardRiskJoin + `
	LEFT JOIN raffle_draws d ON d.tenant_id = r.tenant_id AND d.id = r.raffle_draw_id
	LEFT JOIN LATERAL (
	  SELECT a.actor AS settled_by
	  FROM audit_log a
	  WHERE a.tenant_id = @tenant AND a.subject = r.id
	    AND a.action IN ('reward.redeemed', 'reward.voided', 'reward.expired', 'reward.rejected')
	  ORDER BY a.id DESC
	  LIMIT 1
	) s ON r.status NOT IN ('held', 'issued') AND r.raffle_draw_id IS NULL
	WHERE r.tenant_id = @tenant
	  AND (@status = '' OR r.status = @status)
	  AND (@campaign = '' OR r.campaign_id = @campaign)
	  AND (@kind = '' OR r.kind = @kind)
	  AND (@participant = '' OR r.participant_id = @participant)
	  AND (@ids = '' OR r.id = ANY (string_to_array(@ids, ',')))
	  AND (CAST(@issued_after AS timestamptz) IS NULL OR r.issued_at > @issued_after)
	  AND (CAST(@issued_before AS timestamptz) IS NULL OR r.issued_at < @issued_before)
	  AND (@after = '' OR (r.issued_at, r.id) < (SELECT issued_at, id FROM reward_tokens WHERE tenant_id = @tenant AND id = @after))
	ORDER BY r.issued_at DESC, r.id DESC
	LIMIT @limit`

// ListRewardQueue returns the reward tokens f selects, newest first.
func ListRewardQueue(ctx context.Context, f RewardFilter, page Page) ([]QueuedReward, bool, error) {
	args, ok, err := f.args(ctx, page.After, page.limit()+1)
	if err != nil || !ok {
		return nil, false, err
	}
	tx, err := db(ctx)
	if err != nil {
		return nil, false, err
	}
	var rs []QueuedReward
	if err := tx.Raw(qRewardQueue, args).Scan(&rs).Error; err != nil {
		return nil, false, fmt.Errorf("list reward queue: %w", err)
	}
	rs, more := trimPage(page, rs)
	labels, err := loadActorLabels(ctx)
	if err != nil {
		return nil, false, err
	}
	for i := range rs {
		rs[i].nameSettler(labels)
	}
	return rs, more, nil
}

// nameSettler turns the actor the queue's statement reads into its name.
func (r *QueuedReward) nameSettler(labels actorLabels) {
	if r.SettledBy != nil {
		name := labels.label(*r.SettledBy)
		r.SettledBy = &name
	}
}

// GetQueuedReward returns one reward token as the queue shows it.
func GetQueuedReward(ctx context.Context, id string) (QueuedReward, error) {
	rs, _, err := ListRewardQueue(ctx, RewardFilter{IDs: []string{id}}, Page{Limit: 1})
	if err != nil {
		return QueuedReward{}, err
	}
	if len(rs) == 0 {
		return QueuedReward{}, fmt.Errorf("get reward %s: %w", id, ErrRewardNotFound)
	}
	return rs[0], nil
}

// MaxRewardExportRows bounds one CSV export.
const MaxRewardExportRows = 1_000_000

// EachQueuedReward calls fn for every reward token f selects, newest first,
// reading them from the database as fn consumes them (a CSV export streams
// through it), at most MaxRewardExportRows of them.
func EachQueuedReward(ctx context.Context, f RewardFilter, fn func(QueuedReward) error) error {
	args, ok, err := f.args(ctx, "", MaxRewardExportRows)
	if err != nil || !ok {
		return err
	}
	// Named before the rows stream: the connection is theirs until then.
	labels, err := loadActorLabels(ctx)
	if err != nil {
		return err
	}
	tx, err := db(ctx)
	if err != nil {
		return err
	}
	rows, err := tx.Raw(qRewardQueue, args).Rows()
	if err != nil {
		return fmt.Errorf("export rewards: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r QueuedReward
		if err := tx.ScanRows(rows, &r); err != nil {
			return fmt.Errorf("export rewards: %w", err)
		}
		r.nameSettler(labels)
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// RewardBatch sums up a set of reward tokens before a bulk change: how many
// are still issued (the others cannot change), and their value per
// currency — never added across currencies.
type RewardBatch struct {
	IDs []string // the issued ones, in queue order
	// Unsettleable counts the tokens asked for that are not issued (already
	// settled, or unknown).
	Unsettleable int
	Totals       []money.Total
	// NoValue counts the issued tokens without an amount.
	NoValue int
}

// SummarizeRewardBatch reads the tokens ids name and sums up those that a
// bulk change would settle.
func SummarizeRewardBatch(ctx context.Context, ids []string) (RewardBatch, error) {
	ids = uniqueIDs(ids)
	if len(ids) > MaxBulkRewards {
		return RewardBatch{}, invalid("ids", "too_many_rewards", "at most %d rewards at once", MaxBulkRewards)
	}
	var b RewardBatch
	if len(ids) == 0 {
		return b, nil
	}
	var sum money.Sum
	err := EachQueuedReward(ctx, RewardFilter{Status: RewardIssued, IDs: ids}, func(r QueuedReward) error {
		b.IDs = append(b.IDs, r.ID)
		if r.Amount == nil || r.Currency == nil {
			b.NoValue++
			return nil
		}
		sum.Add(*r.Amount, *r.Currency)
		return nil
	})
	if err != nil {
		return RewardBatch{}, err
	}
	b.Totals = sum.Totals()
	b.Unsettleable = len(ids) - len(b.IDs)
	return b, nil
}
