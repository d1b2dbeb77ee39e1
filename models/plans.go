package models

import (
	"context"
	"fmt"
)

// The limits a plan sets, by the name the API reports in
// {"error":{"code":"plan_limit_reached","limit":…}}.
const (
	LimitActiveCampaigns = "active_campaigns"
	LimitParticipants    = "participants"
	LimitEventsPerMonth  = "events_per_month"
	LimitTeamSeats       = "team_seats"
	// LimitWebhookEndpoints holds for unmetered tenants too: every event
	// fans out to each endpoint, on workers all tenants share.
	LimitWebhookEndpoints = "webhook_endpoints"
)

// limitLabels says each limit in words.
var limitLabels = map[string]string{
	LimitActiveCampaigns:  "active campaigns",
	LimitParticipants:     "participants",
	LimitEventsPerMonth:   "events this month",
	LimitTeamSeats:        "team seats",
	LimitWebhookEndpoints: "webhook endpoints",
}

// ErrPlanLimitReached is what every PlanLimitError is: its kind and code.
var ErrPlanLimitReached = &Error{OverLimit, "plan_limit_reached", "the plan's limit is reached; an owner can upgrade the plan on the Billing page"}

// PlanLimitError refuses something new because the tenant's plan allows no
// more of Limit. Nothing already there is taken back.
type PlanLimitError struct {
	Limit string
}

func (e *PlanLimitError) Error() string {
	return fmt.Sprintf("your plan's limit of %s is reached; an owner can upgrade the plan on the Billing page", limitLabels[e.Limit])
}

// Unwrap makes a PlanLimitError an ErrPlanLimitReached, for the surfaces'
// kind tables.
func (e *PlanLimitError) Unwrap() error { return ErrPlanLimitReached }

// Plan is one plan on sale; a nil maximum is no limit.
type Plan struct {
	ID                 string `gorm:"column:id"`
	Name               string `gorm:"column:name"`
	MaxActiveCampaigns *int   `gorm:"column:max_active_campaigns"`
	MaxParticipants    *int   `gorm:"column:max_participants"`
	MaxEventsPerMonth  *int   `gorm:"column:max_events_per_month"`
	MaxTeamSeats       *int   `gorm:"column:max_team_seats"`
}

// The plans' ids.
const (
	PlanFree   = "free"
	PlanGrowth = "growth"
	PlanScale  = "scale"
)

// ListPlans returns the plans, cheapest first.
func ListPlans(ctx context.Context) ([]Plan, error) {
	tx, err := db(ctx)
	if err != nil {
		return nil, err
	}
	var plans []Plan
	err = tx.Raw(`SELECT id, name, max_active_campaigns, max_participants, max_events_per_month, max_team_seats
		FROM plans ORDER BY rank`).Scan(&plans).Error
	return plans, dbError("list plans", err, nil)
}
