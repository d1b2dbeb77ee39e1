package models

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tandemhq/tandem/money"
)

// RewardStatuses lists a reward token's statuses.
var RewardStatuses = []string{RewardIssued, RewardRedeemed, RewardVoided, RewardExpired}

// QueuedReward is a reward token as the rewards queue shows it: with its
// campaign's name and, once settled, who settled it (a member's e-mail, a
// key's name, or Tandem) — StatusChangedAt says when.
type QueuedReward struct {
	RewardToken
	CampaignName string  `json:"campaign_name"`
	SettledBy    *string `json:"settled_by"`
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

// args are qRewardQueue's parameters for f; an unknown participant is
// ErrParticipantNotFound.
func (f RewardFilter) args(ctx context.Context) (map[string]any, error) {
	if err := f.validate(); err != nil {
		return nil, err
	}
	participant := ""
	if f.Participant != "" {
		p, err := GetParticipant(ctx, f.Participant)
		if err != nil {
			return nil, err
		}
		participant = p.ID
	}
	return map[string]any{"status": f.Status, "campaign": f.Campaign, "kind": f.Kind,
		"participant": participant, "ids": strings.Join(f.IDs, ","), "after": "", "limit": 1}, nil
}

// ListRewardQueue returns the reward tokens f selects, newest first.
func ListRewardQueue(ctx context.Context, f RewardFilter, page Page) ([]QueuedReward, bool, error) {
	args, err := f.args(ctx)
	if err != nil {
		return nil, false, err
	}
	args["after"], args["limit"] = page.After, page.limit()+1
	tx, err := db(ctx)
	if err != nil {
		return nil, false, err
	}
	var rs []QueuedReward
	if err := tx.Raw(qRewardQueue, args).Scan(&rs).Error; err != nil {
		return nil, false, fmt.Errorf("list reward queue: %w", err)
	}
	rs, more := trimPage(page, rs)
	return rs, more, nil
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
	args, err := f.args(ctx)
	if err != nil {
		return err
	}
	args["limit"] = MaxRewardExportRows
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
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// MaxBulkRewards bounds one bulk redeem or void.
const MaxBulkRewards = 500

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
	err = tx.Raw(`SELECT id FROM reward_tokens WHERE id = ANY (string_to_array(?, ',')) AND status = 'issued'
		ORDER BY id FOR UPDATE`, strings.Join(ids, ",")).Scan(&issued).Error
	if err != nil {
		return BulkResult{}, fmt.Errorf("lock rewards: %w", err)
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

// Settled reports when the token left issued, if it did.
func (r QueuedReward) Settled() (time.Time, bool) {
	if r.Status == RewardIssued || r.StatusChangedAt == nil {
		return time.Time{}, false
	}
	return *r.StatusChangedAt, true
}
