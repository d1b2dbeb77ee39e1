package web

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stripe/stripe-go/v76/webhook"

	"github.com/tandemhq/tandem/internal/stripebilling"
	"github.com/tandemhq/tandem/internal/stripemock"
	"github.com/tandemhq/tandem/internal/webtest"
	"github.com/tandemhq/tandem/models"
)

// The webhook end to end: Stripe's signed events move a tenant between
// plans, the API enforces the plan with 402, and nothing unsigned, wrongly
// signed or stale changes anything.

const testWebhookSecret = "whsec_test_tandem"

func billingConfig(t *testing.T) stripebilling.Config {
	return stripebilling.Config{SecretKey: "sk_test_tandem", WebhookSecret: testWebhookSecret, APIBase: stripemock.URL(t),
		Prices: map[string]string{models.PlanGrowth: "price_growth", models.PlanScale: "price_scale"}}
}

var stripeEventCounter atomic.Int64

// stripeEvent is an event's JSON as Stripe sends it.
func stripeEvent(typ string, created time.Time, object map[string]any) []byte {
	raw, _ := json.Marshal(map[string]any{"id": fmt.Sprintf("evt_web%d%d", time.Now().UnixNano(), stripeEventCounter.Add(1)),
		"object": "event", "type": typ, "created": created.Unix(), "api_version": "2023-10-16",
		"data": map[string]any{"object": object}})
	return raw
}

func subscriptionObject(tenant uuid.UUID, sub, status, price string) map[string]any {
	return map[string]any{"id": sub, "object": "subscription", "customer": "cus_" + sub[4:], "status": status,
		"metadata": map[string]any{"tandem_tenant_id": tenant.String()},
		"items": map[string]any{"object": "list", "data": []any{map[string]any{"id": "si_1", "object": "subscription_item",
			"price": map[string]any{"id": price, "object": "price"}}}}}
}

// deliver posts payload to the webhook, signed with secret at signedAt.
func deliver(t *testing.T, app webtest.App, payload []byte, secret string, signedAt time.Time) webtest.Response {
	t.Helper()
	signed := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: secret, Timestamp: signedAt})
	return webtest.Do(t, app, http.MethodPost, "/stripe/webhook", string(payload), "Stripe-Signature", signed.Header)
}

func planOf(t *testing.T, tenant uuid.UUID) (plan, status string, events int64) {
	t.Helper()
	var row struct {
		Plan   *string
		Status string
		Events int64
	}
	err := env.Owner.Raw(`SELECT plan, billing_status AS status, (SELECT count(*) FROM stripe_events WHERE tenant_id = @tenant) AS events
		FROM tenants WHERE id = @tenant`, sql.Named("tenant", tenant)).Take(&row).Error
	if err != nil {
		t.Fatal(err)
	}
	if row.Plan != nil {
		plan = *row.Plan
	}
	return plan, row.Status, row.Events
}

func TestStripeWebhookMovesThePlanAndTheAPIEnforcesIt(t *testing.T) {
	app := New(Config{DB: env.App, PublicURL: "https://tandem.test", Billing: billingConfig(t)})
	created := env.NewMeteredTenant(t, "Webhook Co")
	tenant, auth := created.TenantID, []string{"Authorization", "Bearer " + created.SecretKey}
	call := func(method, path string, body any) webtest.Response {
		return webtest.Do(t, app, method, path, body, auth...)
	}
	call("POST", "/v1/event-definitions", map[string]any{"name": "signup_complete"})
	for _, slug := range []string{"one", "two"} {
		if r := call("PUT", "/v1/campaigns/"+slug, map[string]any{"name": slug, "mode": "invitation",
			"quest": map[string]any{"steps": []string{"signup_complete"}}}); r.Status != http.StatusOK {
			t.Fatalf("put %s: %d %s", slug, r.Status, r.Body)
		}
	}
	if r := call("POST", "/v1/campaigns/one/publish", nil); r.Status != http.StatusOK {
		t.Fatalf("publish one: %d %s", r.Status, r.Body)
	}
	r := call("POST", "/v1/campaigns/two/publish", nil)
	if r.Status != http.StatusPaymentRequired || r.ErrorCode() != "plan_limit_reached" ||
		r.JSON["error"].(map[string]any)["limit"] != "active_campaigns" {
		t.Fatalf("a second active campaign on Free: %d %s; want 402 plan_limit_reached active_campaigns", r.Status, r.Body)
	}

	now := time.Now()
	checkout := stripeEvent("checkout.session.completed", now.Add(-time.Minute), map[string]any{"id": "cs_test_1", "object": "checkout.session",
		"client_reference_id": tenant.String(), "customer": "cus_web" + tenant.String()[:8], "subscription": "sub_web1"})
	if r := deliver(t, app, checkout, testWebhookSecret, now); r.Status != http.StatusOK || r.JSON["outcome"] != "applied" {
		t.Fatalf("checkout.session.completed: %d %s", r.Status, r.Body)
	}
	upgrade := stripeEvent("customer.subscription.created", now.Add(-time.Minute), subscriptionObject(tenant, "sub_web1", "active", "price_growth"))
	if r := deliver(t, app, upgrade, testWebhookSecret, now); r.Status != http.StatusOK || r.JSON["outcome"] != "applied" {
		t.Fatalf("subscription created: %d %s", r.Status, r.Body)
	}
	if plan, status, _ := planOf(t, tenant); plan != models.PlanGrowth || status != "active" {
		t.Fatalf("after the subscription: %q %q, want growth active", plan, status)
	}
	if r := call("POST", "/v1/campaigns/two/publish", nil); r.Status != http.StatusOK {
		t.Fatalf("publish two on Growth: %d %s", r.Status, r.Body)
	}

	// Redelivered: a duplicate, nothing changes.
	if r := deliver(t, app, upgrade, testWebhookSecret, now); r.Status != http.StatusOK || r.JSON["outcome"] != "duplicate" {
		t.Fatalf("redelivery: %d %s", r.Status, r.Body)
	}
	// An older update arriving late does not roll the plan back.
	scale := stripeEvent("customer.subscription.updated", now, subscriptionObject(tenant, "sub_web1", "active", "price_scale"))
	older := stripeEvent("customer.subscription.updated", now.Add(-30*time.Second), subscriptionObject(tenant, "sub_web1", "active", "price_growth"))
	deliver(t, app, scale, testWebhookSecret, now)
	if r := deliver(t, app, older, testWebhookSecret, now); r.Status != http.StatusOK || r.JSON["outcome"] != "stale" {
		t.Fatalf("older update: %d %s", r.Status, r.Body)
	}
	// invoice.payment_failed finds the tenant by its customer alone.
	failed := stripeEvent("invoice.payment_failed", now.Add(time.Second), map[string]any{"id": "in_1", "object": "invoice",
		"customer": "cus_web" + tenant.String()[:8], "subscription": "sub_web1"})
	if r := deliver(t, app, failed, testWebhookSecret, now); r.Status != http.StatusOK || r.JSON["outcome"] != "applied" {
		t.Fatalf("payment failed: %d %s", r.Status, r.Body)
	}
	if plan, status, _ := planOf(t, tenant); plan != models.PlanScale || status != "past_due" {
		t.Fatalf("after all that: %q %q, want scale past_due", plan, status)
	}
}

// Unsigned, wrongly signed, stale or tampered: 400, and nothing changes.
func TestStripeWebhookRefusesForgeries(t *testing.T) {
	app := New(Config{DB: env.App, PublicURL: "https://tandem.test", Billing: billingConfig(t)})
	created := env.NewMeteredTenant(t, "Forged Co")
	tenant := created.TenantID
	payload := stripeEvent("customer.subscription.created", time.Now(), subscriptionObject(tenant, "sub_forged", "active", "price_scale"))
	signed := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: testWebhookSecret})
	tampered := append([]byte(nil), payload...)
	tampered[len(tampered)-3] = ' '
	for name, r := range map[string]webtest.Response{
		"unsigned":       webtest.Do(t, app, http.MethodPost, "/stripe/webhook", string(payload)),
		"other secret":   deliver(t, app, payload, "whsec_someone_else", time.Now()),
		"stale":          deliver(t, app, payload, testWebhookSecret, time.Now().Add(-time.Hour)),
		"tampered":       webtest.Do(t, app, http.MethodPost, "/stripe/webhook", string(tampered), "Stripe-Signature", signed.Header),
		"garbage header": webtest.Do(t, app, http.MethodPost, "/stripe/webhook", string(payload), "Stripe-Signature", "t=x,v1=zz"),
	} {
		if r.Status != http.StatusBadRequest || r.ErrorCode() != "invalid_signature" {
			t.Errorf("%s: %d %s; want 400 invalid_signature", name, r.Status, r.Body)
		}
	}
	if plan, status, events := planOf(t, tenant); plan != models.PlanFree || status != "none" || events != 0 {
		t.Fatalf("after the forgeries: plan %q status %q, %d events recorded; want free, none, 0", plan, status, events)
	}
	// The genuine one goes through.
	if r := webtest.Do(t, app, http.MethodPost, "/stripe/webhook", string(payload), "Stripe-Signature", signed.Header); r.Status != http.StatusOK {
		t.Fatalf("genuine: %d %s", r.Status, r.Body)
	}
	if plan, _, _ := planOf(t, tenant); plan != models.PlanScale {
		t.Fatalf("genuine event: plan %q, want scale", plan)
	}
}

// Events billing does not follow, and tenants it does not know, are
// acknowledged (Stripe would retry anything else) and change nothing.
func TestStripeWebhookAcknowledgesWhatItDoesNotUse(t *testing.T) {
	app := New(Config{DB: env.App, PublicURL: "https://tandem.test", Billing: billingConfig(t)})
	for payload, outcome := range map[string]string{
		string(stripeEvent("charge.succeeded", time.Now(), map[string]any{"id": "ch_1", "object": "charge"})):                                   stripebilling.OutcomeNotFollowed,
		string(stripeEvent("customer.subscription.updated", time.Now(), subscriptionObject(uuid.New(), "sub_nobody", "active", "price_scale"))): stripebilling.OutcomeUnknownTenant,
	} {
		if r := deliver(t, app, []byte(payload), testWebhookSecret, time.Now()); r.Status != http.StatusOK || r.JSON["outcome"] != outcome {
			t.Errorf("%d %s; want 200 %s", r.Status, r.Body, outcome)
		}
	}
}

// A signed event whose content cannot be read is refused (400, so Stripe
// does not retry it forever) and changes nothing.
func TestStripeWebhookRefusesUnreadableEvents(t *testing.T) {
	app := New(Config{DB: env.App, PublicURL: "https://tandem.test", Billing: billingConfig(t)})
	tenant := env.NewMeteredTenant(t, "Unreadable Co").TenantID
	bad := subscriptionObject(tenant, "sub_unreadable", "active", "price_scale")
	bad["customer"] = "cus_not/valid"
	for name, payload := range map[string][]byte{
		"not a subscription": stripeEvent("customer.subscription.updated", time.Now(), map[string]any{"id": "sub_x", "status": 5}),
		"malformed customer": stripeEvent("customer.subscription.updated", time.Now(), bad),
	} {
		if r := deliver(t, app, payload, testWebhookSecret, time.Now()); r.Status != http.StatusBadRequest || r.ErrorCode() != "invalid_event" {
			t.Errorf("%s: %d %s; want 400 invalid_event", name, r.Status, r.Body)
		}
	}
	if plan, status, events := planOf(t, tenant); plan != models.PlanFree || status != "none" || events != 0 {
		t.Fatalf("after unreadable events: plan %q status %q, %d events; want free, none, 0", plan, status, events)
	}
}

// With billing off the endpoint is not there to sign for.
func TestStripeWebhookWhenBillingIsOff(t *testing.T) {
	app := New(Config{DB: env.App, PublicURL: "https://tandem.test"})
	payload := stripeEvent("customer.subscription.created", time.Now(), subscriptionObject(uuid.New(), "sub_off", "active", "price_scale"))
	if r := deliver(t, app, payload, "", time.Now()); r.Status != http.StatusNotFound || r.ErrorCode() != "billing_off" {
		t.Fatalf("billing off: %d %s", r.Status, r.Body)
	}
	if r := webtest.Do(t, app, http.MethodGet, "/stripe/webhook", nil); r.Status != http.StatusMethodNotAllowed {
		t.Fatalf("GET: %d %s", r.Status, r.Body)
	}
}
