package models

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Billing is the current tenant's plan and Stripe subscription.
type Billing struct {
	// Plan is nil for an unmetered tenant (one created with billing off).
	Plan *Plan
	// Status is the Stripe subscription's status, "none" before any.
	Status         string
	CustomerID     string
	SubscriptionID string
}

// CurrentBilling reads the current tenant's plan and subscription.
func CurrentBilling(ctx context.Context) (Billing, error) {
	tx, err := db(ctx)
	if err != nil {
		return Billing{}, err
	}
	var row struct {
		Plan                 *string
		BillingStatus        string
		StripeCustomerID     *string
		StripeSubscriptionID *string
	}
	err = tx.Raw(`SELECT plan, billing_status, stripe_customer_id, stripe_subscription_id FROM tenants WHERE id = ?`, tenantOf(ctx)).Take(&row).Error
	if err != nil {
		return Billing{}, dbError("current billing", err, nil)
	}
	b := Billing{Status: row.BillingStatus, CustomerID: deref(row.StripeCustomerID), SubscriptionID: deref(row.StripeSubscriptionID)}
	if row.Plan != nil {
		var p Plan
		err = tx.Raw(`SELECT id, name, max_active_campaigns, max_participants, max_events_per_month, max_team_seats
			FROM plans WHERE id = ?`, *row.Plan).Take(&p).Error
		if err != nil {
			return Billing{}, dbError("current billing", err, nil)
		}
		b.Plan = &p
	}
	return b, nil
}

// Usage is what the current tenant uses of each limit.
type Usage struct {
	ActiveCampaigns int64
	Participants    int64
	EventsThisMonth int64
	TeamSeats       int64
}

// CurrentUsage counts the current tenant's usage, for the billing page.
// Events are counted only up to the plan's limit, and not at all without
// one (EventsThisMonth).
func CurrentUsage(ctx context.Context, now time.Time) (Usage, error) {
	tx, err := db(ctx)
	if err != nil {
		return Usage{}, err
	}
	var u Usage
	err = tx.Raw(`SELECT
		(SELECT count(*) FROM campaigns WHERE tenant_id = @tenant AND status = 'active') AS active_campaigns,
		(SELECT count(*) FROM participants WHERE tenant_id = @tenant) AS participants,
		(SELECT count(*) FROM members WHERE tenant_id = @tenant) AS team_seats`, sql.Named("tenant", tenantOf(ctx))).Scan(&u).Error
	if err != nil {
		return Usage{}, dbError("current usage", err, nil)
	}
	_, u.EventsThisMonth, err = EventsThisMonth(ctx, now)
	return u, err
}

// EventsThisMonth counts the current tenant's events of now's UTC month,
// up to at most max (counting further would tell nothing more), and
// returns the plan's limit of events per month, nil when there is none
// (and then counts nothing).
func EventsThisMonth(ctx context.Context, now time.Time) (limit *int, count int64, err error) {
	tx, err := db(ctx)
	if err != nil {
		return nil, 0, err
	}
	if err := tx.Raw(`SELECT plan_limit(?, ?)`, tenantOf(ctx), LimitEventsPerMonth).Row().Scan(&limit); err != nil {
		return nil, 0, dbError("events this month", err, nil)
	}
	if limit == nil {
		return nil, 0, nil
	}
	err = tx.Raw(`SELECT count(*) FROM (SELECT 1 FROM events WHERE tenant_id = ? AND id >= ? LIMIT ?) s`,
		tenantOf(ctx), monthFloorEventID(now), *limit).Row().Scan(&count)
	return limit, count, dbError("events this month", err, nil)
}

// monthFloorEventID is the smallest event id of now's UTC month: event ids
// begin with the milliseconds of their creation in 12 hex digits
// (migrations/00014_ids_in_time_order.sql), so the month's events are the
// primary key's range from here.
func monthFloorEventID(now time.Time) string {
	now = now.UTC()
	start := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	return fmt.Sprintf("evt_%012x", start.UnixMilli())
}

// StripeEvent is a verified Stripe event, reduced to what billing keeps.
type StripeEvent struct {
	ID             string
	Type           string
	Created        time.Time
	CustomerID     string
	SubscriptionID string
	// Status is the subscription's status after the event.
	Status string
	// Plan is the plan of the subscription's price, "" when it is none of ours.
	Plan string
}

// The outcomes of applying a Stripe event.
const (
	StripeEventApplied   = "applied"
	StripeEventStale     = "stale"
	StripeEventIgnored   = "ignored"
	StripeEventDuplicate = "duplicate"
)

// ApplyStripeEvent applies e to the current tenant once
// (apply_stripe_event in the schema) and returns the outcome.
func ApplyStripeEvent(ctx context.Context, e StripeEvent) (string, error) {
	tx, err := db(ctx)
	if err != nil {
		return "", err
	}
	var outcome string
	err = tx.Raw(`SELECT apply_stripe_event(?, ?, ?, ?, ?, ?, ?)`, e.ID, e.Type, e.Created,
		nullable(e.CustomerID), nullable(e.SubscriptionID), e.Status, nullable(e.Plan)).Row().Scan(&outcome)
	return outcome, dbError("apply stripe event "+e.ID, err, nil)
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
