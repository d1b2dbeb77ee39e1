package models_test

// Webhook endpoints are a plan limit (migrations/00040_webhook_endpoints_within_plan.sql),
// attacked through models, in raw SQL and concurrently; every endpoint the
// tenant has is on some page of its list.

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/tandemhq/tandem/models"
)

// tryEndpoint creates an endpoint of tenant at url.
func tryEndpoint(tenant uuid.UUID, url string) error {
	return env.TryInTenant(tenant, func(ctx context.Context) error {
		_, err := models.CreateWebhookEndpoint(ctx, testBox, models.WebhookEndpointInput{URL: &url, Events: []string{"*"}})
		return err
	})
}

// addEndpoints gives tenant n more endpoints.
func addEndpoints(t *testing.T, tenant uuid.UUID, n int) {
	t.Helper()
	for i := range n {
		must(t, tryEndpoint(tenant, fmt.Sprintf("https://example.com/hook/%s/%d", uuid.NewString()[:8], i)))
	}
}

func TestWebhookEndpointsWithinPlan(t *testing.T) {
	// Free: ten, through models and in raw SQL.
	free := meteredTenant(t)
	addEndpoints(t, free, 10)
	wantLimit(t, tryEndpoint(free, "https://example.com/eleventh"), models.LimitWebhookEndpoints)
	r := newRawDB(t)
	ctx := context.Background()
	err := rolledBack(ctx, r.app, free, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO webhook_endpoints (url, events, secret) VALUES ('https://example.com/raw', '{*}', $1)`,
			make([]byte, 40))
		return err
	})
	wantPgError(t, err, "23514", "plan_limit_webhook_endpoints", "at most 10 webhook endpoints")
	// A disabled endpoint still counts: enabling it again adds no row.
	env.InTenant(t, free, func(ctx context.Context) error {
		eps, _, err := models.ListWebhookEndpoints(ctx, models.Page{Limit: 1})
		must(t, err)
		_, err = models.UpdateWebhookEndpoint(ctx, eps[0].ID, models.WebhookEndpointInput{Status: ptr(models.EndpointDisabled)})
		return err
	})
	wantLimit(t, tryEndpoint(free, "https://example.com/eleventh"), models.LimitWebhookEndpoints)

	// Growth: fifty.
	stripeEvent(t, free, subscription("evt_growth", "customer.subscription.created", "sub_w", "active", models.PlanGrowth, 0))
	addEndpoints(t, free, 40)
	wantLimit(t, tryEndpoint(free, "https://example.com/fifty-first"), models.LimitWebhookEndpoints)

	// Unmetered (no Stripe): the largest plan's cap, since every tenant's
	// fan-out shares the same workers.
	unmetered := env.NewTenant(t, "").TenantID
	addEndpoints(t, unmetered, 50)
	wantLimit(t, tryEndpoint(unmetered, "https://example.com/fifty-first"), models.LimitWebhookEndpoints)
	env.InTenant(t, unmetered, func(ctx context.Context) error {
		n, limit, err := models.WebhookEndpointCount(ctx)
		if n != 50 || limit != 50 {
			t.Errorf("count %d of %d, want 50 of 50", n, limit)
		}
		return err
	})
}

// Two creations at once for the last place: exactly one wins.
func TestWebhookEndpointsWithinPlanConcurrently(t *testing.T) {
	for round := range 3 {
		tenant := meteredTenant(t)
		addEndpoints(t, tenant, 9)
		errs := runConcurrently(2, func(i int) error { return tryEndpoint(tenant, fmt.Sprintf("https://example.com/racer/%d", i)) })
		if (errs[0] == nil) == (errs[1] == nil) {
			t.Fatalf("round %d: two creations for the last place: %v, %v; want exactly one refused", round, errs[0], errs[1])
		}
	}
}

// The list shows every endpoint the tenant has, page after page, each once.
func TestWebhookEndpointListShowsEveryEndpoint(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	addEndpoints(t, tenant, 23)
	seen := map[string]bool{}
	page := models.Page{Limit: 10}
	for pages := 0; ; pages++ {
		var eps []models.WebhookEndpoint
		var more bool
		env.InTenant(t, tenant, func(ctx context.Context) (err error) {
			eps, more, err = models.ListWebhookEndpoints(ctx, page)
			return err
		})
		for _, ep := range eps {
			if seen[ep.ID] {
				t.Fatalf("page %d shows %s again", pages, ep.ID)
			}
			seen[ep.ID] = true
		}
		if !more {
			break
		}
		page.After = eps[len(eps)-1].ID
	}
	if len(seen) != 23 {
		t.Fatalf("the pages show %d endpoints, want 23", len(seen))
	}
}

// A scheme in capitals is the same URL: stored in lower case, which the
// schema demands (its check is named, so a bug reaching it is
// invalid_webhook_url, not a 500).
func TestWebhookURLSchemeIsLowerCased(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	env.InTenant(t, tenant, func(ctx context.Context) error {
		ep, err := models.CreateWebhookEndpoint(ctx, testBox, models.WebhookEndpointInput{URL: ptr("HTTPS://example.com/Hook"), Events: []string{"*"}})
		must(t, err)
		if ep.URL != "https://example.com/Hook" {
			t.Errorf("created with %q", ep.URL)
		}
		ep, err = models.UpdateWebhookEndpoint(ctx, ep.ID, models.WebhookEndpointInput{URL: ptr("HtTpS://example.com/Other")})
		must(t, err)
		if ep.URL != "https://example.com/Other" {
			t.Errorf("updated to %q", ep.URL)
		}
		return nil
	})
	r := newRawDB(t)
	ctx := context.Background()
	err := rolledBack(ctx, r.app, tenant, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO webhook_endpoints (url, events, secret) VALUES ('HTTPS://example.com/raw', '{*}', $1)`,
			make([]byte, 40))
		return err
	})
	wantPgError(t, err, "23514", "webhook_url", "webhook_url")
}
