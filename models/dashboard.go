package models

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
)

// The marketers' dashboard: one campaign's funnel, rewards per currency,
// top hosts and daily claims and completions. LoadDashboard reads the
// rollups of migrations/00011_dashboard_rollups.sql with the queries of
// dashboard_queries.go, a few dozen rows whatever the campaign's size.
// dashboard_test.go computes the same numbers from the base tables, slowly,
// and checks that the two agree.

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
// Issued counts every token ever issued; Held, the tokens waiting for a
// person's review now (they count as issued once approved); the others,
// those that have since reached that status. Quantities and amounts are
// sums over the same tokens.
type RewardTotal struct {
	Currency         string
	Kind             string
	Issued           int64
	IssuedQuantity   int64
	IssuedAmount     int64
	Held             int64
	HeldAmount       int64
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

// dashboardSQL is one way to compute the dashboard: from the rollups here,
// from the base tables in dashboard_test.go's check. funnel, funnelSteps
// and rewards take the tenant and the campaign id, topHosts those and a
// limit; daysArgs gives days its parameters.
type dashboardSQL struct {
	funnel, funnelSteps, days, rewards, topHosts string
	daysArgs                                     func(tenant uuid.UUID, campaignID, today string) []any
}

var fromRollups = dashboardSQL{qFunnel, qFunnelSteps, qDays, qRewards, qTopHosts,
	func(tenant uuid.UUID, campaignID, today string) []any {
		return []any{today, DashboardDays, today, tenant, campaignID, today, DashboardDays, today}
	}}

// LoadDashboard returns campaign c's dashboard as of today (a UTC day),
// from the rollups.
func LoadDashboard(ctx context.Context, c Campaign, today time.Time) (Dashboard, error) {
	return loadDashboard(ctx, c, today, fromRollups)
}

func loadDashboard(ctx context.Context, c Campaign, today time.Time, q dashboardSQL) (Dashboard, error) {
	tx, err := db(ctx)
	if err != nil {
		return Dashboard{}, err
	}
	d := Dashboard{Campaign: c}
	day := today.UTC().Format(time.DateOnly)
	if d.Steps, d.QuestChanged, err = dashboardSteps(ctx, c); err != nil {
		return Dashboard{}, err
	}
	var totals struct{ Created, Claimed, Completed int64 }
	if err := tx.Raw(q.funnel, tenantOf(ctx), c.ID).Scan(&totals).Error; err != nil {
		return Dashboard{}, fmt.Errorf("dashboard funnel: %w", err)
	}
	d.Funnel = Funnel{Created: totals.Created, Claimed: totals.Claimed, Completed: totals.Completed}
	var steps []struct {
		Position int
		Total    int64
	}
	if err := tx.Raw(q.funnelSteps, tenantOf(ctx), c.ID).Scan(&steps).Error; err != nil {
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
	if err := tx.Raw(q.days, q.daysArgs(tenantOf(ctx), c.ID, day)...).Scan(&d.Days).Error; err != nil {
		return Dashboard{}, fmt.Errorf("dashboard days: %w", err)
	}
	for i := range d.Days {
		t := d.Days[i].Day
		d.Days[i].Day = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	}
	if err := tx.Raw(q.rewards, tenantOf(ctx), c.ID).Scan(&d.Rewards).Error; err != nil {
		return Dashboard{}, fmt.Errorf("dashboard rewards: %w", err)
	}
	var hosts []struct {
		ParticipantID, ExternalID, DisplayName string
		Completed                              int64
	}
	if err := tx.Raw(q.topHosts, tenantOf(ctx), c.ID, DashboardTopHosts).Scan(&hosts).Error; err != nil {
		return Dashboard{}, fmt.Errorf("dashboard top hosts: %w", err)
	}
	for _, h := range hosts {
		d.TopHosts = append(d.TopHosts, TopHost{ParticipantID: h.ParticipantID, ExternalID: h.ExternalID,
			DisplayName: h.DisplayName, Completed: h.Completed})
	}
	if err := hostRewards(ctx, c.ID, d.TopHosts); err != nil {
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
	if err := tx.Raw(qSteps, tenantOf(ctx), c.ID).Scan(&rows).Error; err != nil {
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
func hostRewards(ctx context.Context, campaignID string, hosts []TopHost) error {
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
	if err := tx.Raw(qHostRewards, tenantOf(ctx), campaignID, ids).Scan(&rows).Error; err != nil {
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
	err = tx.Raw(`SELECT `+campaignColumns+` FROM campaigns WHERE tenant_id = ? ORDER BY created_at DESC, id DESC LIMIT 500`,
		tenantOf(ctx)).Scan(&cs).Error
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
