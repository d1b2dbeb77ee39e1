package models_test

// Billing (migrations/00025_billing.sql): each plan limit attacked through
// models and in raw SQL, concurrently where two requests could both pass;
// Stripe's events applied once and in order, whatever order they arrive in.

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/tandemhq/tandem/internal/dbtest"
	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

// meteredTenant creates a tenant as sign-up does with billing on: on the
// free plan.
func meteredTenant(t *testing.T) uuid.UUID {
	t.Helper()
	return env.NewMeteredTenant(t, "").TenantID
}

// stripeEvent applies a Stripe event to tenant and returns the outcome.
func stripeEvent(t *testing.T, tenant uuid.UUID, e models.StripeEvent) string {
	t.Helper()
	var outcome string
	env.InTenant(t, tenant, func(ctx context.Context) error {
		var err error
		outcome, err = models.ApplyStripeEvent(ctx, e)
		return err
	})
	return outcome
}

// billingOf reads tenant's plan ("" unmetered) and status.
func billingOf(t *testing.T, tenant uuid.UUID) (plan, status string) {
	t.Helper()
	env.InTenant(t, tenant, func(ctx context.Context) error {
		b, err := models.CurrentBilling(ctx)
		if b.Plan != nil {
			plan = b.Plan.ID
		}
		status = b.Status
		return err
	})
	return plan, status
}

// wantLimit fails unless err is the plan limit named limit.
func wantLimit(t *testing.T, err error, limit string) {
	t.Helper()
	var le *models.PlanLimitError
	if !errors.As(err, &le) || le.Limit != limit || !errors.Is(err, models.ErrPlanLimitReached) {
		t.Fatalf("want plan limit %s, got %v", limit, err)
	}
}

// draft saves a one-step campaign draft.
func draft(t *testing.T, tenant uuid.UUID, slug string) {
	t.Helper()
	env.InTenant(t, tenant, func(ctx context.Context) error {
		if _, _, err := models.DefineEvent(ctx, "signup_complete", ""); err != nil {
			return err
		}
		_, _, err := models.SaveCampaignDraft(ctx, slug, models.CampaignInput{Name: slug, Mode: models.ModeInvitation,
			Rules: models.Rules{Steps: []string{"signup_complete"}}})
		return err
	})
}

func tryPublish(tenant uuid.UUID, slug string) error {
	return env.TryInTenant(tenant, func(ctx context.Context) error {
		_, err := models.PublishCampaign(ctx, slug, models.InflightKeep)
		return err
	})
}

func tryStatus(tenant uuid.UUID, slug, action string) error {
	return env.TryInTenant(tenant, func(ctx context.Context) error {
		_, err := models.ChangeCampaignStatus(ctx, slug, action)
		return err
	})
}

var t0 = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

func subscription(id, typ, sub, status, plan string, at time.Duration) models.StripeEvent {
	return models.StripeEvent{ID: id, Type: typ, Created: t0.Add(at), SubscriptionID: sub, Status: status, Plan: plan}
}

func TestBillingActiveCampaignsLimit(t *testing.T) {
	tenant := meteredTenant(t)
	for _, slug := range []string{"one", "two", "three"} {
		draft(t, tenant, slug)
	}
	must(t, tryPublish(tenant, "one"))
	wantLimit(t, tryPublish(tenant, "two"), models.LimitActiveCampaigns)

	// Growth allows five.
	stripeEvent(t, tenant, subscription("evt_up", "customer.subscription.created", "sub_a", "active", models.PlanGrowth, 0))
	must(t, tryPublish(tenant, "two"))

	// Back on free: nothing is taken back, but nothing new starts.
	stripeEvent(t, tenant, subscription("evt_down", "customer.subscription.deleted", "sub_a", "canceled", models.PlanGrowth, time.Hour))
	if plan, status := billingOf(t, tenant); plan != models.PlanFree || status != "canceled" {
		t.Fatalf("after the subscription ended: plan %q, status %q", plan, status)
	}
	var active int64
	env.InTenant(t, tenant, func(ctx context.Context) error {
		return models.TxOf(ctx).Raw(`SELECT count(*) FROM campaigns WHERE status = 'active'`).Scan(&active).Error
	})
	if active != 2 {
		t.Fatalf("%d campaigns active after the downgrade, want the 2 that were", active)
	}
	wantLimit(t, tryPublish(tenant, "three"), models.LimitActiveCampaigns)
	must(t, tryStatus(tenant, "two", models.ActionPause))
	wantLimit(t, tryStatus(tenant, "two", models.ActionResume), models.LimitActiveCampaigns)
	must(t, tryStatus(tenant, "one", models.ActionPause))
	must(t, tryStatus(tenant, "two", models.ActionResume))
}

// Two publications at once on a plan with room for one: exactly one wins.
func TestBillingActiveCampaignsLimitConcurrently(t *testing.T) {
	for round := range 5 {
		tenant := meteredTenant(t)
		draft(t, tenant, "left")
		draft(t, tenant, "right")
		errs := runConcurrently(2, func(i int) error { return tryPublish(tenant, []string{"left", "right"}[i]) })
		won, refused := 0, 0
		for _, err := range errs {
			var le *models.PlanLimitError
			switch {
			case err == nil:
				won++
			case errors.As(err, &le):
				refused++
			default:
				t.Fatalf("round %d: %v", round, err)
			}
		}
		if won != 1 || refused != 1 {
			t.Fatalf("round %d: %d published, %d refused; want 1 and 1", round, won, refused)
		}
	}
}

func TestBillingTeamSeatsLimit(t *testing.T) {
	tenant := meteredTenant(t)
	hash, err := tenants.HashSecret(dbtest.OwnerPassword)
	must(t, err)
	insert := func(email string) error {
		return env.TryInTenant(tenant, func(ctx context.Context) error {
			_, err := models.InsertMember(ctx, email, hash, models.RoleViewer)
			return err
		})
	}
	must(t, insert("second@metered.test"))
	wantLimit(t, insert("third@metered.test"), models.LimitTeamSeats)
	// Concurrently, on Growth's tenth seat: one of two wins.
	stripeEvent(t, tenant, subscription("evt_growth", "customer.subscription.created", "sub_s", "active", models.PlanGrowth, 0))
	for i := range 7 {
		must(t, insert(fmt.Sprintf("member%d@metered.test", i)))
	}
	errs := runConcurrently(2, func(i int) error { return insert(fmt.Sprintf("racer%d@metered.test", i)) })
	if (errs[0] == nil) == (errs[1] == nil) {
		t.Fatalf("two inserts for the last seat: %v, %v; want exactly one refused", errs[0], errs[1])
	}
}

func TestBillingParticipantsLimit(t *testing.T) {
	tenant := meteredTenant(t)
	r := newRawDB(t)
	ctx := context.Background()
	// A whole batch over the limit is refused whole, in raw SQL too.
	err := rolledBack(ctx, r.app, tenant, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, participantRange(1001))
		return err
	})
	wantPgError(t, err, "23514", "plan_limit_participants", "at most 1000 participants")
	addParticipantRange(t, tenant, 1000)
	env.InTenant(t, tenant, func(ctx context.Context) error {
		_, _, err := models.DefineEvent(ctx, "signup_complete", "")
		return err
	})
	// The thousand-and-first is refused; those already there still send events.
	err = env.TryInTenant(tenant, func(ctx context.Context) error { return event(ctx, "newcomer", "signup_complete") })
	wantLimit(t, err, models.LimitParticipants)
	env.InTenant(t, tenant, func(ctx context.Context) error { return event(ctx, "p1", "signup_complete") })
}

// addParticipantRange adds participants p1 … pn to tenant in one statement.
func addParticipantRange(t *testing.T, tenant uuid.UUID, n int) {
	t.Helper()
	env.InTenant(t, tenant, func(ctx context.Context) error {
		return models.TxOf(ctx).Exec(participantRange(n)).Error
	})
}

// participantRange inserts participants p1 … pn in one statement, its rows
// listed: Citus runs an INSERT … SELECT from generate_series as a COPY,
// which it refuses under row-level security.
func participantRange(n int) string {
	rows := make([]string, n)
	for i := range rows {
		rows[i] = fmt.Sprintf("('p%d')", i+1)
	}
	return `INSERT INTO participants (external_id) VALUES ` + strings.Join(rows, ", ")
}

// Without billing (a tenant created unmetered) nothing is limited.
func TestBillingUnmeteredHasNoLimits(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	for _, slug := range []string{"a", "b", "c"} {
		draft(t, tenant, slug)
		must(t, tryPublish(tenant, slug))
	}
	addParticipantRange(t, tenant, 1500)
	if plan, _ := billingOf(t, tenant); plan != "" {
		t.Fatalf("an unmetered tenant is on plan %q", plan)
	}
	env.InTenant(t, tenant, func(ctx context.Context) error {
		limit, count, err := models.EventsThisMonth(ctx, time.Now())
		if limit != nil || count != 0 {
			t.Errorf("unmetered: events limit %v, count %d; want none", limit, count)
		}
		return err
	})
}

// The app cannot choose its plan: only apply_stripe_event moves it.
func TestBillingPlanMovesOnlyWithStripe(t *testing.T) {
	r := newRawDB(t)
	ctx := context.Background()
	tenant := meteredTenant(t)
	err := rolledBack(ctx, r.app, tenant, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE tenants SET plan = 'scale'`)
		return err
	})
	wantPgError(t, err, "42501", "", "permission denied")
	err = rolledBack(ctx, r.app, tenant, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO stripe_events (event_id, type, created, outcome) VALUES ('evt_forged', 'x', now(), 'applied')`)
		return err
	})
	wantPgError(t, err, "42501", "", "permission denied")
	fresh := uuid.New()
	err = rolledBack(ctx, r.app, fresh, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO tenants (id, slug, name, plan) VALUES ($1, 'paid-at-birth', 'x', 'scale')`, fresh)
		return err
	})
	wantPgError(t, err, "23514", "tenant_starts_free", "not on scale")
}

func TestBillingStripeEventsOnceAndInOrder(t *testing.T) {
	tenant := meteredTenant(t)
	steps := []struct {
		e           models.StripeEvent
		outcome     string
		plan, state string
	}{
		{subscription("evt_1", "customer.subscription.created", "sub_1", "active", models.PlanGrowth, 0), "applied", "growth", "active"},
		// Redelivered: nothing happens.
		{subscription("evt_1", "customer.subscription.created", "sub_1", "active", models.PlanGrowth, 0), "duplicate", "growth", "active"},
		{subscription("evt_3", "customer.subscription.updated", "sub_1", "active", models.PlanScale, 20*time.Second), "applied", "scale", "active"},
		// Older than the one applied: it does not roll the plan back.
		{subscription("evt_2", "customer.subscription.updated", "sub_1", "active", models.PlanGrowth, 10*time.Second), "stale", "scale", "active"},
		// A failed payment: past due, the plan stays for now.
		{models.StripeEvent{ID: "evt_4", Type: "invoice.payment_failed", Created: t0.Add(30 * time.Second), SubscriptionID: "sub_1", Status: "past_due"},
			"applied", "scale", "past_due"},
		// The end of another subscription changes nothing.
		{subscription("evt_5", "customer.subscription.deleted", "sub_old", "canceled", models.PlanGrowth, 40*time.Second), "ignored", "scale", "past_due"},
		// A price we do not sell keeps the plan.
		{subscription("evt_6", "customer.subscription.updated", "sub_1", "active", "", 50*time.Second), "applied", "scale", "active"},
		{subscription("evt_7", "customer.subscription.deleted", "sub_1", "canceled", models.PlanScale, 60*time.Second), "applied", "free", "canceled"},
	}
	for _, s := range steps {
		if got := stripeEvent(t, tenant, s.e); got != s.outcome {
			t.Fatalf("%s: outcome %q, want %q", s.e.ID, got, s.outcome)
		}
		if plan, state := billingOf(t, tenant); plan != s.plan || state != s.state {
			t.Fatalf("after %s: plan %q status %q, want %q %q", s.e.ID, plan, state, s.plan, s.state)
		}
	}
}

// Two events of the same second (Stripe's resolution) end the same way in
// either order: the later status of a subscription's life wins.
func TestBillingStripeEventsSameSecond(t *testing.T) {
	updated := subscription("evt_u", "customer.subscription.updated", "sub_1", "active", models.PlanGrowth, time.Minute)
	deleted := subscription("evt_d", "customer.subscription.deleted", "sub_1", "canceled", models.PlanGrowth, time.Minute)
	for _, order := range [][]models.StripeEvent{{updated, deleted}, {deleted, updated}} {
		tenant := meteredTenant(t)
		stripeEvent(t, tenant, subscription("evt_c", "customer.subscription.created", "sub_1", "active", models.PlanGrowth, 0))
		for _, e := range order {
			stripeEvent(t, tenant, e)
		}
		if plan, state := billingOf(t, tenant); plan != models.PlanFree || state != "canceled" {
			t.Fatalf("%s then %s: plan %q status %q, want free canceled", order[0].ID, order[1].ID, plan, state)
		}
	}
}

// The month's events are counted from the month's first event id, up to
// the limit; next month starts at zero.
func TestBillingEventsThisMonth(t *testing.T) {
	tenant := meteredTenant(t)
	env.InTenant(t, tenant, func(ctx context.Context) error {
		if _, _, err := models.DefineEvent(ctx, "signup_complete", ""); err != nil {
			return err
		}
		for range 3 {
			if err := event(ctx, "p1", "signup_complete"); err != nil {
				return err
			}
		}
		return nil
	})
	env.InTenant(t, tenant, func(ctx context.Context) error {
		now := time.Now()
		limit, count, err := models.EventsThisMonth(ctx, now)
		must(t, err)
		if limit == nil || *limit != 10000 || count != 3 {
			t.Errorf("this month: limit %v, count %d; want 10000 and 3", limit, count)
		}
		_, count, err = models.EventsThisMonth(ctx, now.AddDate(0, 1, 0))
		if count != 0 {
			t.Errorf("next month: count %d, want 0", count)
		}
		return err
	})
}
