package models

// The dashboard's queries, named so each can be read and EXPLAINed on its
// own. Every one reads the current tenant's rows only: RLS sees to that,
// and each also names the tenant (tenant_id = ?), so that the planner
// matches the leading column of the indexes and Citus sends the query to
// the tenant's worker. Each takes the tenant and the campaign id, except
// where its comment says otherwise.

// qSteps: the quest of every published version of the campaign, to label
// the funnel with the current version's steps and to tell whether the
// quest ever changed. A handful of rows (campaign_version_steps' key).
const qSteps = `
SELECT s.version, s.position, s.event_name
FROM campaign_version_steps s
JOIN campaign_versions v ON v.tenant_id = s.tenant_id AND v.campaign_id = s.campaign_id AND v.version = s.version
WHERE s.tenant_id = ? AND s.campaign_id = ? AND v.published_at IS NOT NULL
ORDER BY s.version, s.position`

// qFunnel: created, claimed and completed, summed over the campaign's 16
// shard rows of campaign_rollups (its primary key).
const qFunnel = `
SELECT coalesce(sum(r.created), 0) AS created, coalesce(sum(r.claimed), 0) AS claimed,
       coalesce(sum(r.completed), 0) AS completed
FROM campaign_rollups r
WHERE r.tenant_id = ? AND r.campaign_id = ?`

// qFunnelSteps: how many claimed invitations reached each step position,
// the element-wise sum of the shards' reached arrays.
const qFunnelSteps = `
SELECT u.k AS position, sum(u.n) AS total
FROM campaign_rollups r, unnest(r.reached) WITH ORDINALITY AS u(n, k)
WHERE r.tenant_id = ? AND r.campaign_id = ?
GROUP BY u.k
ORDER BY u.k`

// qDays: created, claimed and completed per UTC day for the days days up
// to today, zeros included: at most 16 rows per day of
// campaign_day_rollups (its primary key, a range on day). Parameters:
// today, days, today, the tenant, the campaign id, today, days, today.
const qDays = `
SELECT d.day::date AS day, coalesce(sum(r.created), 0) AS created,
       coalesce(sum(r.claimed), 0) AS claimed, coalesce(sum(r.completed), 0) AS completed
FROM generate_series(CAST(? AS date) - (CAST(? AS integer) - 1), CAST(? AS date), interval '1 day') AS d(day)
LEFT JOIN campaign_day_rollups r
  ON r.tenant_id = ? AND r.campaign_id = ? AND r.day = d.day::date
 AND r.day BETWEEN CAST(? AS date) - (CAST(? AS integer) - 1) AND CAST(? AS date)
GROUP BY d.day
ORDER BY d.day`

// qRewards: reward tokens per currency (any kind), and per kind for tokens
// without an amount, from campaign_reward_rollups; money first. Amounts are
// summed within a currency only: it is part of every group.
const qRewards = `
SELECT r.currency, CASE WHEN r.currency = '' THEN r.kind ELSE '' END AS kind,
       sum(r.issued) AS issued, sum(r.issued_quantity) AS issued_quantity, sum(r.issued_amount) AS issued_amount,
       sum(r.held) AS held, sum(r.held_amount) AS held_amount,
       sum(r.redeemed) AS redeemed, sum(r.redeemed_quantity) AS redeemed_quantity, sum(r.redeemed_amount) AS redeemed_amount,
       sum(r.voided) AS voided, sum(r.voided_amount) AS voided_amount,
       sum(r.expired) AS expired, sum(r.expired_amount) AS expired_amount
FROM campaign_reward_rollups r
WHERE r.tenant_id = ? AND r.campaign_id = ?
GROUP BY 1, 2
ORDER BY r.currency = '', 1, 2`

// qTopHosts: the hosts with the most completed invitations, from their
// completion counters (host_completions_top, read from the top), ties by
// id. Parameters: the tenant, the campaign id and how many hosts.
const qTopHosts = `
SELECT h.host_id AS participant_id, p.external_id, p.display_name, h.completed
FROM host_completions h
JOIN participants p ON p.tenant_id = h.tenant_id AND p.id = h.host_id
WHERE h.tenant_id = ? AND h.campaign_id = ?
ORDER BY h.completed DESC, h.host_id
LIMIT ?`

// qHostRewards: the host rewards of the top hosts in the campaign, per
// currency and, without an amount, per kind (the partial unique index
// reward_tokens_one_host_milestone finds each host's tokens). Parameters:
// the tenant, the campaign id and the hosts' participant ids (a list for IN).
const qHostRewards = `
SELECT r.participant_id, coalesce(r.currency, '') AS currency,
       CASE WHEN r.currency IS NULL THEN r.kind ELSE '' END AS kind,
       count(*) AS tokens, sum(r.quantity) AS quantity, coalesce(sum(r.amount), 0) AS amount
FROM reward_tokens r
WHERE r.tenant_id = ? AND r.campaign_id = ? AND r.reason = 'host_milestone'
  AND r.participant_id IN ?
GROUP BY 1, 2, 3
ORDER BY 1, coalesce(r.currency, '') = '', 2, 3`
