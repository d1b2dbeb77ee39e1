package models

import (
	"context"
	"fmt"
)

// MilestoneLine is one row of a host's reward table as the widget shows
// it: the Nth completed referral earns Reward (a description).
type MilestoneLine struct {
	Count  int    `json:"count"`
	Reward string `json:"reward"`
}

// WidgetEarnings is what a host earns by referring in a campaign: the
// reward table of its current version (at most MaxWidgetMilestones rows;
// RepeatLast when its last row repeats), how many of the host's referrals
// completed, and what the next one pays (nil when no row is left).
type WidgetEarnings struct {
	Milestones []MilestoneLine `json:"milestones"`
	RepeatLast bool            `json:"repeat_last"`
	Completed  int             `json:"completed"`
	Next       *MilestoneLine  `json:"next"`
}

// MaxWidgetMilestones bounds the rows the widget lists.
const MaxWidgetMilestones = 10

// GetWidgetEarnings reads a host's earnings in a campaign: its current
// version's table and the host's completion counter, in two statements
// on their keys.
func GetWidgetEarnings(ctx context.Context, hostID string, c Campaign) (WidgetEarnings, error) {
	out := WidgetEarnings{Milestones: []MilestoneLine{}}
	if c.CurrentVersion == nil {
		return out, nil
	}
	tx, err := db(ctx)
	if err != nil {
		return out, err
	}
	var rows []struct {
		Nth        int
		Reward     string
		RepeatLast bool
		Completed  int
	}
	// The table (every row, to find the next one past the host's count),
	// each row with the version's repeat flag and the host's counter.
	if err := tx.Raw(`
		SELECT m.nth, m.reward_description AS reward, v.repeat_last_milestone AS repeat_last,
		       coalesce((SELECT h.completed FROM host_completions h
		                 WHERE h.tenant_id = ? AND h.campaign_id = ? AND h.host_id = ?), 0) AS completed
		FROM campaign_version_milestones m
		JOIN campaign_versions v ON v.tenant_id = m.tenant_id AND v.campaign_id = m.campaign_id AND v.version = m.version
		WHERE m.tenant_id = ? AND m.campaign_id = ? AND m.version = ?
		ORDER BY m.nth`,
		tenantOf(ctx), c.ID, hostID, tenantOf(ctx), c.ID, *c.CurrentVersion).Scan(&rows).Error; err != nil {
		return out, fmt.Errorf("widget earnings: %w", err)
	}
	for _, r := range rows {
		out.RepeatLast, out.Completed = r.RepeatLast, r.Completed
		if len(out.Milestones) < MaxWidgetMilestones {
			out.Milestones = append(out.Milestones, MilestoneLine{Count: r.Nth, Reward: r.Reward})
		}
		if out.Next == nil && r.Nth > r.Completed {
			out.Next = &MilestoneLine{Count: r.Nth, Reward: r.Reward}
		}
	}
	if out.Next == nil && out.RepeatLast && len(rows) > 0 {
		out.Next = &MilestoneLine{Count: out.Completed + 1, Reward: rows[len(rows)-1].Reward}
	}
	return out, nil
}
