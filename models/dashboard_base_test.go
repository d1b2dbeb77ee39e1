package models

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// The dashboard's numbers from the base tables: every invitation and reward
// token of the campaign is read. dashboard_test.go checks that the rollups
// say the same; far too slow for a page of a large campaign.

const qBaseFunnel = `
SELECT count(*) AS created, count(i.claimed_at) AS claimed, count(i.completed_at) AS completed
FROM invitations i
WHERE i.tenant_id = ? AND i.campaign_id = ?`

const qBaseFunnelSteps = `
SELECT k AS position, count(*) AS total
FROM invitations i, generate_series(1, i.progress) AS k
WHERE i.tenant_id = ? AND i.campaign_id = ? AND i.guest_id IS NOT NULL
GROUP BY k
ORDER BY k`

const qBaseDays = `
WITH changes AS (
  SELECT utc_day(i.created_at) AS day, 1 AS created, 0 AS claimed, 0 AS completed
  FROM invitations i WHERE i.tenant_id = ? AND i.campaign_id = ?
  UNION ALL
  SELECT utc_day(i.claimed_at), 0, 1, 0
  FROM invitations i WHERE i.tenant_id = ? AND i.campaign_id = ? AND i.claimed_at IS NOT NULL
  UNION ALL
  SELECT utc_day(i.completed_at), 0, 0, 1
  FROM invitations i WHERE i.tenant_id = ? AND i.campaign_id = ? AND i.completed_at IS NOT NULL
)
SELECT d.day::date AS day, coalesce(sum(c.created), 0) AS created,
       coalesce(sum(c.claimed), 0) AS claimed, coalesce(sum(c.completed), 0) AS completed
FROM generate_series(CAST(? AS date) - (CAST(? AS integer) - 1), CAST(? AS date), interval '1 day') AS d(day)
LEFT JOIN changes c ON c.day = d.day::date
GROUP BY d.day
ORDER BY d.day`

// qBaseRewards: a token was issued unless it is held or was rejected (a
// held token voided with a reason), which the rollups count apart.
const qBaseRewards = `
SELECT coalesce(r.currency, '') AS currency, CASE WHEN r.currency IS NULL THEN r.kind ELSE '' END AS kind,
       count(*) FILTER (WHERE r.status <> 'held' AND r.review_reason IS NULL) AS issued,
       coalesce(sum(r.quantity) FILTER (WHERE r.status <> 'held' AND r.review_reason IS NULL), 0) AS issued_quantity,
       coalesce(sum(r.amount) FILTER (WHERE r.status <> 'held' AND r.review_reason IS NULL), 0) AS issued_amount,
       count(*) FILTER (WHERE r.status = 'held') AS held,
       coalesce(sum(r.amount) FILTER (WHERE r.status = 'held'), 0) AS held_amount,
       count(*) FILTER (WHERE r.status = 'redeemed') AS redeemed,
       coalesce(sum(r.quantity) FILTER (WHERE r.status = 'redeemed'), 0) AS redeemed_quantity,
       coalesce(sum(r.amount) FILTER (WHERE r.status = 'redeemed'), 0) AS redeemed_amount,
       count(*) FILTER (WHERE r.status = 'voided' AND r.review_reason IS NULL) AS voided,
       coalesce(sum(r.amount) FILTER (WHERE r.status = 'voided' AND r.review_reason IS NULL), 0) AS voided_amount,
       count(*) FILTER (WHERE r.status = 'expired') AS expired,
       coalesce(sum(r.amount) FILTER (WHERE r.status = 'expired'), 0) AS expired_amount
FROM reward_tokens r
WHERE r.tenant_id = ? AND r.campaign_id = ?
GROUP BY 1, 2
ORDER BY coalesce(r.currency, '') = '', 1, 2`

const qBaseTopHosts = `
SELECT i.host_id AS participant_id, p.external_id, p.display_name, count(*) AS completed
FROM invitations i
JOIN participants p ON p.tenant_id = i.tenant_id AND p.id = i.host_id
WHERE i.tenant_id = ? AND i.campaign_id = ? AND i.completed_at IS NOT NULL
GROUP BY i.host_id, p.external_id, p.display_name
ORDER BY count(*) DESC, i.host_id
LIMIT ?`

var fromBase = dashboardSQL{qBaseFunnel, qBaseFunnelSteps, qBaseDays, qBaseRewards, qBaseTopHosts,
	func(tenant uuid.UUID, campaignID, today string) []any {
		return []any{tenant, campaignID, tenant, campaignID, tenant, campaignID, today, DashboardDays, today}
	}}

// LoadDashboardFromBase returns the same dashboard as LoadDashboard,
// computed from the base tables, for the external tests' check.
func LoadDashboardFromBase(ctx context.Context, c Campaign, today time.Time) (Dashboard, error) {
	return loadDashboard(ctx, c, today, fromBase)
}
