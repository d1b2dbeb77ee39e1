package models

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// The marketers' dashboard: one campaign's funnel, rewards per currency,
// top hosts and daily claims and completions. LoadDashboard reads the
// rollups of migrations/00011_dashboard_rollups.sql, a few dozen rows
// whatever the campaign's size; LoadDashboardFromBase computes the same
// numbers from the base tables, slowly, to check them (models'
// dashboard_test.go, bench/dashboard). Both return the same Dashboard for
// the same data.

// DashboardDays is how many days the daily series covers, today included.
const DashboardDays = 30

// DashboardTopHosts is how many hosts the top-hosts table lists.
const DashboardTopHosts = 10

// Dashboard is what the dashboard shows of one campaign.
type Dashboard struct {
	Campaign Campaign
	// Steps are the quest steps of the campaign's current version.
	Steps []string
	// QuestChanged says some other published version has other steps:
	// the funnel then counts invitations by step position (progress ≥ k,
	// whatever version they are pinned to) under the current names.
	QuestChanged bool
	Funnel       Funnel
	Rewards      []RewardTotal
	TopHosts     []TopHost
	// Days are the last DashboardDays UTC days, oldest first, today last.
	Days []DayTotal
}

// Funnel counts a campaign's invitations by how far they got.
type Funnel struct {
	Created int64
	Claimed int64
	// Reached[k-1] is how many claimed invitations have done step k: at
	// least one entry per current step, more when an older version had more.
	Reached   []int64
	Completed int64
}

// RewardTotal counts a campaign's reward tokens with an amount in one
// currency (Currency set, Kind empty: every kind adds up, within the
// currency), or those of one kind without an amount (Currency empty).
// Issued counts every token ever issued; the others, those that have since
// reached that status. Quantities and amounts are sums over the same tokens.
type RewardTotal struct {
	Currency         string
	Kind             string
	Issued           int64
	IssuedQuantity   int64
	IssuedAmount     int64
	Redeemed         int64
	RedeemedQuantity int64
	RedeemedAmount   int64
	Voided           int64
	VoidedAmount     int64
	Expired          int64
	ExpiredAmount    int64
}

// TopHost is a host with their completed invitations in the campaign and
// the host rewards issued to them there.
type TopHost struct {
	ParticipantID string
	ExternalID    string
	DisplayName   string
	Completed     int64
	Rewards       []HostReward
}

// HostReward sums a host's reward tokens in one currency (Kind empty), or
// of one kind without an amount (Currency empty).
type HostReward struct {
	Currency string
	Kind     string
	Tokens   int64
	Quantity int64
	Amount   int64
}

// DayTotal is one UTC day of a campaign: invitations created, claimed and
// completed that day.
type DayTotal struct {
	Day       time.Time
	Created   int64
	Claimed   int64
	Completed int64
}

// NamedQuery is one of the dashboard's statements, with the named
// parameters it takes (@campaign, @today, @days, @limit, @hosts).
type NamedQuery struct {
	Name string
	SQL  string
}

// Every dashboard query reads the current tenant's rows only: RLS sees to
// that, and each also names tenant_id = app_tenant_id() so that the
// planner matches the leading column of the indexes.

// qSteps: the quest of every published version of the campaign, to label
// the funnel with the current version's steps and to tell whether the
// quest ever changed. A handful of rows (campaign_version_steps' key).
const qSteps = `
SELECT s.version, s.position, s.event_name
FROM campaign_version_steps s
JOIN campaign_versions v ON v.tenant_id = s.tenant_id AND v.campaign_id = s.campaign_id AND v.version = s.version
WHERE s.tenant_id = app_tenant_id() AND s.campaign_id = @campaign AND v.published_at IS NOT NULL
ORDER BY s.version, s.position`

// qFunnel: created, claimed and completed, summed over the campaign's 16
// shard rows of campaign_rollups (its primary key).
const qFunnel = `
SELECT coalesce(sum(r.created), 0) AS created, coalesce(sum(r.claimed), 0) AS claimed,
       coalesce(sum(r.completed), 0) AS completed
FROM campaign_rollups r
WHERE r.tenant_id = app_tenant_id() AND r.campaign_id = @campaign`

// qFunnelSteps: how many claimed invitations reached each step position,
// the element-wise sum of the shards' reached arrays.
const qFunnelSteps = `
SELECT u.k AS position, sum(u.n) AS total
FROM campaign_rollups r, unnest(r.reached) WITH ORDINALITY AS u(n, k)
WHERE r.tenant_id = app_tenant_id() AND r.campaign_id = @campaign
GROUP BY u.k
ORDER BY u.k`

// qDays: created, claimed and completed per UTC day for the @days days up
// to @today, zeros included: at most 16 rows per day of
// campaign_day_rollups (its primary key, a range on day).
const qDays = `
SELECT d.day::date AS day, coalesce(sum(r.created), 0) AS created,
       coalesce(sum(r.claimed), 0) AS claimed, coalesce(sum(r.completed), 0) AS completed
FROM generate_series(CAST(@today AS date) - (CAST(@days AS integer) - 1), CAST(@today AS date), interval '1 day') AS d(day)
LEFT JOIN campaign_day_rollups r
  ON r.tenant_id = app_tenant_id() AND r.campaign_id = @campaign AND r.day = d.day::date
 AND r.day BETWEEN CAST(@today AS date) - (CAST(@days AS integer) - 1) AND CAST(@today AS date)
GROUP BY d.day
ORDER BY d.day`

// qRewards: reward tokens per currency (any kind), and per kind for tokens
// without an amount, from campaign_reward_rollups; money first. Amounts are
// summed within a currency only: it is part of every group.
const qRewards = `
SELECT r.currency, CASE WHEN r.currency = '' THEN r.kind ELSE '' END AS kind,
       sum(r.issued) AS issued, sum(r.issued_quantity) AS issued_quantity, sum(r.issued_amount) AS issued_amount,
       sum(r.redeemed) AS redeemed, sum(r.redeemed_quantity) AS redeemed_quantity, sum(r.redeemed_amount) AS redeemed_amount,
       sum(r.voided) AS voided, sum(r.voided_amount) AS voided_amount,
       sum(r.expired) AS expired, sum(r.expired_amount) AS expired_amount
FROM campaign_reward_rollups r
WHERE r.tenant_id = app_tenant_id() AND r.campaign_id = @campaign
GROUP BY 1, 2
ORDER BY r.currency = '', 1, 2`

// qTopHosts: the hosts with the most completed invitations, from their
// completion counters (host_completions_top, read from the top), ties by id.
const qTopHosts = `
SELECT h.host_id AS participant_id, p.external_id, p.display_name, h.completed
FROM host_completions h
JOIN participants p ON p.tenant_id = h.tenant_id AND p.id = h.host_id
WHERE h.tenant_id = app_tenant_id() AND h.campaign_id = @campaign
ORDER BY h.completed DESC, h.host_id
LIMIT @limit`

// qHostRewards: the host rewards of the top hosts in the campaign, per
// currency and, without an amount, per kind (the partial unique index
// reward_tokens_one_host_milestone finds each host's tokens).
const qHostRewards = `
SELECT r.participant_id, coalesce(r.currency, '') AS currency,
       CASE WHEN r.currency IS NULL THEN r.kind ELSE '' END AS kind,
       count(*) AS tokens, sum(r.quantity) AS quantity, coalesce(sum(r.amount), 0) AS amount
FROM reward_tokens r
WHERE r.tenant_id = app_tenant_id() AND r.campaign_id = @campaign AND r.reason = 'host_milestone'
  AND r.participant_id IN @hosts
GROUP BY 1, 2, 3
ORDER BY 1, coalesce(r.currency, '') = '', 2, 3`

// DashboardQueries are the statements LoadDashboard runs, by name, for
// EXPLAIN (bench/dashboard).
var DashboardQueries = []NamedQuery{
	{"steps", qSteps},
	{"funnel", qFunnel},
	{"funnel-steps", qFunnelSteps},
	{"days", qDays},
	{"rewards", qRewards},
	{"top-hosts", qTopHosts},
	{"host-rewards", qHostRewards},
}

// DashboardArgs are the named parameters of the dashboard's queries for
// one campaign on one day; hosts are the top hosts' participant ids.
func DashboardArgs(campaignID string, today time.Time, hosts []string) map[string]any {
	return map[string]any{"campaign": campaignID, "today": today.UTC().Format(time.DateOnly),
		"days": DashboardDays, "limit": DashboardTopHosts, "hosts": hosts}
}

// The same numbers from the base tables: every invitation and reward token
// of the campaign is read. For checking the rollups, never for a page.

const qBaseFunnel = `
SELECT count(*) AS created, count(i.claimed_at) AS claimed, count(i.completed_at) AS completed
FROM invitations i
WHERE i.tenant_id = app_tenant_id() AND i.campaign_id = @campaign`

const qBaseFunnelSteps = `
SELECT k AS position, count(*) AS total
FROM invitations i, generate_series(1, i.progress) AS k
WHERE i.tenant_id = app_tenant_id() AND i.campaign_id = @campaign AND i.guest_id IS NOT NULL
GROUP BY k
ORDER BY k`

const qBaseDays = `
WITH changes AS (
  SELECT utc_day(i.created_at) AS day, 1 AS created, 0 AS claimed, 0 AS completed
  FROM invitations i WHERE i.tenant_id = app_tenant_id() AND i.campaign_id = @campaign
  UNION ALL
  SELECT utc_day(i.claimed_at), 0, 1, 0
  FROM invitations i WHERE i.tenant_id = app_tenant_id() AND i.campaign_id = @campaign AND i.claimed_at IS NOT NULL
  UNION ALL
  SELECT utc_day(i.completed_at), 0, 0, 1
  FROM invitations i WHERE i.tenant_id = app_tenant_id() AND i.campaign_id = @campaign AND i.completed_at IS NOT NULL
)
SELECT d.day::date AS day, coalesce(sum(c.created), 0) AS created,
       coalesce(sum(c.claimed), 0) AS claimed, coalesce(sum(c.completed), 0) AS completed
FROM generate_series(CAST(@today AS date) - (CAST(@days AS integer) - 1), CAST(@today AS date), interval '1 day') AS d(day)
LEFT JOIN changes c ON c.day = d.day::date
GROUP BY d.day
ORDER BY d.day`

const qBaseRewards = `
SELECT coalesce(r.currency, '') AS currency, CASE WHEN r.currency IS NULL THEN r.kind ELSE '' END AS kind,
       count(*) AS issued, sum(r.quantity) AS issued_quantity, coalesce(sum(r.amount), 0) AS issued_amount,
       count(*) FILTER (WHERE r.status = 'redeemed') AS redeemed,
       coalesce(sum(r.quantity) FILTER (WHERE r.status = 'redeemed'), 0) AS redeemed_quantity,
       coalesce(sum(r.amount) FILTER (WHERE r.status = 'redeemed'), 0) AS redeemed_amount,
       count(*) FILTER (WHERE r.status = 'voided') AS voided,
       coalesce(sum(r.amount) FILTER (WHERE r.status = 'voided'), 0) AS voided_amount,
       count(*) FILTER (WHERE r.status = 'expired') AS expired,
       coalesce(sum(r.amount) FILTER (WHERE r.status = 'expired'), 0) AS expired_amount
FROM reward_tokens r
WHERE r.tenant_id = app_tenant_id() AND r.campaign_id = @campaign
GROUP BY 1, 2
ORDER BY coalesce(r.currency, '') = '', 1, 2`

const qBaseTopHosts = `
SELECT i.host_id AS participant_id, p.external_id, p.display_name, count(*) AS completed
FROM invitations i
JOIN participants p ON p.tenant_id = i.tenant_id AND p.id = i.host_id
WHERE i.tenant_id = app_tenant_id() AND i.campaign_id = @campaign AND i.completed_at IS NOT NULL
GROUP BY i.host_id, p.external_id, p.display_name
ORDER BY count(*) DESC, i.host_id
LIMIT @limit`

// dashboardSQL is one way to compute the dashboard: from the rollups or
// from the base tables.
type dashboardSQL struct {
	funnel, funnelSteps, days, rewards, topHosts string
}

var (
	fromRollups = dashboardSQL{qFunnel, qFunnelSteps, qDays, qRewards, qTopHosts}
	fromBase    = dashboardSQL{qBaseFunnel, qBaseFunnelSteps, qBaseDays, qBaseRewards, qBaseTopHosts}
)

// LoadDashboard returns campaign c's dashboard as of today (a UTC day),
// from the rollups.
func LoadDashboard(ctx context.Context, c Campaign, today time.Time) (Dashboard, error) {
	return loadDashboard(ctx, c, today, fromRollups)
}

// LoadDashboardFromBase returns the same dashboard as LoadDashboard,
// computed from every invitation and reward token of the campaign: the
// check of the rollups, far too slow for a page of a large campaign.
func LoadDashboardFromBase(ctx context.Context, c Campaign, today time.Time) (Dashboard, error) {
	return loadDashboard(ctx, c, today, fromBase)
}

func loadDashboard(ctx context.Context, c Campaign, today time.Time, q dashboardSQL) (Dashboard, error) {
	tx, err := db(ctx)
	if err != nil {
		return Dashboard{}, err
	}
	d := Dashboard{Campaign: c}
	args := DashboardArgs(c.ID, today, nil)
	if d.Steps, d.QuestChanged, err = dashboardSteps(ctx, c); err != nil {
		return Dashboard{}, err
	}
	var totals struct{ Created, Claimed, Completed int64 }
	if err := tx.Raw(q.funnel, args).Scan(&totals).Error; err != nil {
		return Dashboard{}, fmt.Errorf("dashboard funnel: %w", err)
	}
	d.Funnel = Funnel{Created: totals.Created, Claimed: totals.Claimed, Completed: totals.Completed}
	var steps []struct {
		Position int
		Total    int64
	}
	if err := tx.Raw(q.funnelSteps, args).Scan(&steps).Error; err != nil {
		return Dashboard{}, fmt.Errorf("dashboard funnel steps: %w", err)
	}
	d.Funnel.Reached = make([]int64, len(d.Steps))
	for _, s := range steps {
		if s.Position > len(d.Funnel.Reached) {
			if s.Total == 0 {
				continue // a shard's leftover zero past the current quest
			}
			d.Funnel.Reached = append(d.Funnel.Reached, make([]int64, s.Position-len(d.Funnel.Reached))...)
		}
		d.Funnel.Reached[s.Position-1] = s.Total
	}
	if err := tx.Raw(q.days, args).Scan(&d.Days).Error; err != nil {
		return Dashboard{}, fmt.Errorf("dashboard days: %w", err)
	}
	for i := range d.Days {
		t := d.Days[i].Day
		d.Days[i].Day = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	}
	if err := tx.Raw(q.rewards, args).Scan(&d.Rewards).Error; err != nil {
		return Dashboard{}, fmt.Errorf("dashboard rewards: %w", err)
	}
	var hosts []struct {
		ParticipantID, ExternalID, DisplayName string
		Completed                              int64
	}
	if err := tx.Raw(q.topHosts, args).Scan(&hosts).Error; err != nil {
		return Dashboard{}, fmt.Errorf("dashboard top hosts: %w", err)
	}
	for _, h := range hosts {
		d.TopHosts = append(d.TopHosts, TopHost{ParticipantID: h.ParticipantID, ExternalID: h.ExternalID,
			DisplayName: h.DisplayName, Completed: h.Completed})
	}
	if err := hostRewards(ctx, c.ID, today, d.TopHosts); err != nil {
		return Dashboard{}, err
	}
	return d, nil
}

// dashboardSteps returns the current version's steps, and whether another
// published version of the campaign has a different quest.
func dashboardSteps(ctx context.Context, c Campaign) ([]string, bool, error) {
	tx, err := db(ctx)
	if err != nil {
		return nil, false, err
	}
	var rows []struct {
		Version   int
		Position  int
		EventName string
	}
	if err := tx.Raw(qSteps, map[string]any{"campaign": c.ID}).Scan(&rows).Error; err != nil {
		return nil, false, fmt.Errorf("dashboard steps: %w", err)
	}
	quests := map[int][]string{}
	for _, r := range rows {
		quests[r.Version] = append(quests[r.Version], r.EventName)
	}
	var current []string
	if c.CurrentVersion != nil {
		current = quests[*c.CurrentVersion]
	}
	changed := false
	for _, q := range quests {
		changed = changed || !slices.Equal(q, current)
	}
	return current, changed, nil
}

// hostRewards fills in the host rewards of hosts.
func hostRewards(ctx context.Context, campaignID string, today time.Time, hosts []TopHost) error {
	if len(hosts) == 0 {
		return nil
	}
	tx, err := db(ctx)
	if err != nil {
		return err
	}
	ids := make([]string, len(hosts))
	index := make(map[string]int, len(hosts))
	for i, h := range hosts {
		ids[i], index[h.ParticipantID] = h.ParticipantID, i
	}
	var rows []struct {
		ParticipantID string
		HostReward
	}
	if err := tx.Raw(qHostRewards, DashboardArgs(campaignID, today, ids)).Scan(&rows).Error; err != nil {
		return fmt.Errorf("dashboard host rewards: %w", err)
	}
	for _, r := range rows {
		h := &hosts[index[r.ParticipantID]]
		h.Rewards = append(h.Rewards, r.HostReward)
	}
	return nil
}

// DashboardCampaigns lists the campaigns the dashboard can show, newest
// first.
func DashboardCampaigns(ctx context.Context) ([]Campaign, error) {
	tx, err := db(ctx)
	if err != nil {
		return nil, err
	}
	var cs []Campaign
	err = tx.Raw(`SELECT ` + campaignColumns + ` FROM campaigns ORDER BY created_at DESC, id DESC LIMIT 500`).Scan(&cs).Error
	if err != nil {
		return nil, fmt.Errorf("dashboard campaigns: %w", err)
	}
	return cs, nil
}

// DefaultDashboardCampaign picks the campaign a dashboard opens on, from
// DashboardCampaigns' list: the most recent active one, else the most
// recent published one, else the most recent draft. ok is false when
// there is no campaign.
func DefaultDashboardCampaign(cs []Campaign) (c Campaign, ok bool) {
	for _, want := range []func(Campaign) bool{
		func(c Campaign) bool { return c.Status == "active" },
		func(c Campaign) bool { return c.CurrentVersion != nil },
		func(Campaign) bool { return true },
	} {
		for _, c := range cs {
			if want(c) {
				return c, true
			}
		}
	}
	return Campaign{}, false
}

// dashboardQuery finds one of DashboardQueries by name.
func dashboardQuery(name string) (NamedQuery, error) {
	for _, q := range DashboardQueries {
		if q.Name == name {
			return q, nil
		}
	}
	return NamedQuery{}, fmt.Errorf("dashboard: no query %q", name)
}

// RunDashboardQuery runs the dashboard query name with args (see
// DashboardArgs) and reads every row, returning how many: to time one
// query on its own (bench/dashboard).
func RunDashboardQuery(ctx context.Context, name string, args map[string]any) (int, error) {
	q, err := dashboardQuery(name)
	if err != nil {
		return 0, err
	}
	tx, err := db(ctx)
	if err != nil {
		return 0, err
	}
	rows, err := tx.Raw(q.SQL, args).Rows()
	if err != nil {
		return 0, fmt.Errorf("dashboard %s: %w", name, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	dest := make([]any, len(cols))
	for i := range dest {
		dest[i] = new(any)
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return n, err
		}
		n++
	}
	return n, rows.Err()
}

// ExplainDashboardQuery returns the plan of the dashboard query name, run
// with EXPLAIN (ANALYZE, BUFFERS), one line per element.
func ExplainDashboardQuery(ctx context.Context, name string, args map[string]any) ([]string, error) {
	q, err := dashboardQuery(name)
	if err != nil {
		return nil, err
	}
	tx, err := db(ctx)
	if err != nil {
		return nil, err
	}
	var lines []string
	if err := tx.Raw(`EXPLAIN (ANALYZE, BUFFERS) `+q.SQL, args).Scan(&lines).Error; err != nil {
		return nil, fmt.Errorf("explain dashboard %s: %w", name, err)
	}
	return lines, nil
}
