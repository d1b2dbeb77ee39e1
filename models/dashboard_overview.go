package models

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// The console's landing page: every campaign of the tenant with its key
// numbers, read from the same rollups as the dashboard (LoadDashboard), in
// one statement for the whole page however many campaigns it shows.

// OverviewLimit is how many campaigns the overview shows; the page says
// how many there are in all and links to the full list beyond it.
const OverviewLimit = 100

// CampaignSummary is one campaign's row of the overview.
type CampaignSummary struct {
	Campaign
	Created   int64
	Claimed   int64
	Completed int64
	// Rewards are the reward tokens ever issued, per currency (money, Kind
	// empty) and per kind without an amount (Currency empty), money first:
	// never added across currencies.
	Rewards []HostReward
	// LastActivity is the last UTC day an invitation of the campaign was
	// created, claimed or completed; nil before the first.
	LastActivity *time.Time
}

// Overview is a page of the overview: at most OverviewLimit campaigns, and
// how many the tenant has.
type Overview struct {
	Campaigns []CampaignSummary
	Total     int64
}

// qOverview: the tenant's campaigns (live ones first: active, paused,
// draft, ended; newest first within a status), each with its funnel totals
// summed over its 16 campaign_rollups shard rows, its rewards issued per
// currency and per kind from campaign_reward_rollups, and its last day in
// campaign_day_rollups (the primary key's (tenant, campaign, day) prefix
// answers max(day) from the index). The lateral subqueries run only for
// the campaigns of the page, so the statement costs a few dozen index rows
// per campaign shown. Parameters: the tenant and the limit, then the
// tenant once per rollup table.
const qOverview = `
WITH page AS (
  SELECT tenant_id, ` + campaignColumns + `, count(*) OVER () AS total,
         CASE status WHEN 'active' THEN 0 WHEN 'paused' THEN 1 WHEN 'draft' THEN 2 ELSE 3 END AS rank
  FROM campaigns
  WHERE tenant_id = ?
  ORDER BY rank, created_at DESC, id DESC
  LIMIT ?
)
SELECT p.id, p.slug, p.name, p.mode, p.status, p.current_version, p.signup_url, p.starts_at, p.ends_at,
       p.created_at, p.updated_at, p.total,
       f.created, f.claimed, f.completed, d.last_day AS last_activity, coalesce(w.rewards, '[]') AS rewards
FROM page p
CROSS JOIN LATERAL (
  SELECT coalesce(sum(r.created), 0) AS created, coalesce(sum(r.claimed), 0) AS claimed,
         coalesce(sum(r.completed), 0) AS completed
  FROM campaign_rollups r
  WHERE r.tenant_id = ? AND r.tenant_id = p.tenant_id AND r.campaign_id = p.id
) f
CROSS JOIN LATERAL (
  SELECT max(r.day) AS last_day
  FROM campaign_day_rollups r
  WHERE r.tenant_id = ? AND r.tenant_id = p.tenant_id AND r.campaign_id = p.id
) d
CROSS JOIN LATERAL (
  SELECT jsonb_agg(jsonb_build_object('currency', g.currency, 'kind', g.kind, 'tokens', g.tokens,
                                      'quantity', g.quantity, 'amount', g.amount)
                   ORDER BY g.currency = '', g.currency, g.kind) AS rewards
  FROM (
    SELECT r.currency, CASE WHEN r.currency = '' THEN r.kind ELSE '' END AS kind,
           sum(r.issued)::bigint AS tokens, sum(r.issued_quantity)::bigint AS quantity,
           sum(r.issued_amount)::bigint AS amount
    FROM campaign_reward_rollups r
    WHERE r.tenant_id = ? AND r.tenant_id = p.tenant_id AND r.campaign_id = p.id
    GROUP BY 1, 2
    HAVING sum(r.issued) > 0
  ) g
) w
ORDER BY p.rank, p.created_at DESC, p.id DESC`

// LoadOverview returns the first OverviewLimit campaigns of the overview.
func LoadOverview(ctx context.Context) (Overview, error) {
	return loadOverview(ctx, OverviewLimit)
}

func loadOverview(ctx context.Context, limit int) (Overview, error) {
	tx, err := db(ctx)
	if err != nil {
		return Overview{}, err
	}
	var rows []struct {
		Campaign
		Total                       int64
		Created, Claimed, Completed int64
		LastActivity                *time.Time
		Rewards                     string
	}
	t := tenantOf(ctx)
	if err := tx.Raw(qOverview, t, limit, t, t, t).Scan(&rows).Error; err != nil {
		return Overview{}, fmt.Errorf("overview: %w", err)
	}
	o := Overview{Campaigns: make([]CampaignSummary, 0, len(rows))}
	for _, r := range rows {
		s := CampaignSummary{Campaign: r.Campaign, Created: r.Created, Claimed: r.Claimed, Completed: r.Completed}
		if r.LastActivity != nil {
			day := time.Date(r.LastActivity.Year(), r.LastActivity.Month(), r.LastActivity.Day(), 0, 0, 0, 0, time.UTC)
			s.LastActivity = &day
		}
		if err := json.Unmarshal([]byte(r.Rewards), &s.Rewards); err != nil {
			return Overview{}, fmt.Errorf("overview rewards of %s: %w", r.Slug, err)
		}
		o.Campaigns, o.Total = append(o.Campaigns, s), r.Total
	}
	return o, nil
}
