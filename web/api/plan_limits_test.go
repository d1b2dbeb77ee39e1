package api

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

// The plan's events per month are checked per request against a count at
// most one eventQuotaTTL old: a tenant past its month's events gets 402
// plan_limit_reached (events_per_month) from the next count on, one at a
// time or in batches, and an upgrade lifts it at the next count.
func TestEventsPerMonthLimit(t *testing.T) {
	clock := time.Now()
	app, _ := newTestAppAt(testConfig{DB: env.App, PublicURL: "https://tandem.test"}, func() time.Time { return clock })
	created := env.NewMeteredTenant(t, "Quota Co")
	a := &apiTenant{app: app, created: created, secretKey: created.SecretKey}
	mustCall(t, a, "POST", "/v1/event-definitions", map[string]any{"name": "signup_complete"}, http.StatusCreated)
	one := map[string]any{"participant": "p1", "name": "signup_complete"}
	mustCall(t, a, "POST", "/v1/events", one, http.StatusAccepted)

	// The rest of Free's 10,000 events of the month, written straight in.
	err := env.Owner.Exec(`INSERT INTO events (tenant_id, participant_id, name)
		SELECT p.tenant_id, p.id, 'signup_complete' FROM participants p, generate_series(1, 9999)
		WHERE p.tenant_id = ? AND p.external_id = 'p1'`, created.TenantID).Error
	if err != nil {
		t.Fatal(err)
	}
	// Within the count's lifetime the last verdict holds (request granularity).
	mustCall(t, a, "POST", "/v1/events", one, http.StatusAccepted)

	clock = clock.Add(2 * eventQuotaTTL)
	batch := map[string]any{"events": []any{one, one}}
	for _, req := range []struct {
		path string
		body any
	}{{"/v1/events", one}, {"/v1/events/batch", batch}} {
		r := a.call(t, "POST", req.path, req.body)
		if r.Status != http.StatusPaymentRequired || r.ErrorCode() != "plan_limit_reached" ||
			r.JSON["error"].(map[string]any)["limit"] != models.LimitEventsPerMonth {
			t.Fatalf("%s over the month's events: %d %s; want 402 plan_limit_reached events_per_month", req.path, r.Status, r.Body)
		}
	}

	// Scale has no events limit.
	_, err = tenants.ApplyStripeEvent(context.Background(), env.App, created.TenantID, models.StripeEvent{ID: "evt_quotascale",
		Type: "customer.subscription.created", Created: time.Now(), SubscriptionID: "sub_quota", Status: "active", Plan: models.PlanScale})
	if err != nil {
		t.Fatal(err)
	}
	clock = clock.Add(2 * eventQuotaTTL)
	mustCall(t, a, "POST", "/v1/events/batch", batch, http.StatusOK)
}
