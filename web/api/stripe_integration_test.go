package api

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/internal/stripereward"
	"github.com/tandemhq/tandem/tenants"
)

// stripeApp serves the API with Stripe at base.
func stripeApp(t *testing.T, base string) *apiTenant {
	t.Helper()
	x := newAPITenant(t)
	app := fiber.New(fiber.Config{DisableStartupMessage: true, Immutable: true, ErrorHandler: RenderError, BodyLimit: MaxBodyBytes})
	mount(app, Deps{DB: env.App, Keys: tenants.NewVerifier(env.App, time.Minute), Secrets: testBox, Stripe: stripereward.New(base)}, time.Now)
	x.app = app
	return x
}

// TestStripeConnection: a key is checked with Stripe, stored sealed, shown
// masked and removable; a malformed, refused or uncheckable key changes nothing.
func TestStripeConnection(t *testing.T) {
	refusing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"error":{"type":"invalid_request_error","message":"Invalid API Key provided"}}`))
	}))
	t.Cleanup(refusing.Close)
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()

	x := newAPITenant(t)
	const key = "sk_test_connectionKeyAbcd"
	for _, c := range []struct {
		name   string
		x      *apiTenant
		body   any
		status int
		code   string
	}{
		{"no key", x, map[string]any{}, 422, "missing_field"},
		{"a publishable key", x, map[string]any{"api_key": "pk_test_abcdefgh1234"}, 422, "invalid_stripe_key"},
		{"not a key", x, map[string]any{"api_key": "sk_test_ab cd"}, 422, "invalid_stripe_key"},
		{"refused by Stripe", stripeApp(t, refusing.URL), map[string]any{"api_key": key}, 422, "stripe_key_rejected"},
		{"Stripe unreachable", stripeApp(t, closed.URL), map[string]any{"api_key": key}, 502, "stripe_unavailable"},
	} {
		r := c.x.call(t, "PUT", "/v1/integrations/stripe", c.body)
		if r.Status != c.status || !strings.Contains(string(r.Body), `"`+c.code+`"`) {
			t.Errorf("%s: %d %s, want %d %s", c.name, r.Status, r.Body, c.status, c.code)
		}
		if r := c.x.call(t, "GET", "/v1/integrations/stripe", nil); !strings.Contains(string(r.Body), `"connected":false`) {
			t.Errorf("%s: connected after all: %s", c.name, r.Body)
		}
	}

	r := x.call(t, "PUT", "/v1/integrations/stripe", map[string]any{"api_key": key})
	if r.Status != 200 || !strings.Contains(string(r.Body), `"api_key":"sk_test_…Abcd"`) || strings.Contains(string(r.Body), key) {
		t.Fatalf("connect: %d %s", r.Status, r.Body)
	}
	if r := x.call(t, "GET", "/v1/integrations/stripe", nil); !strings.Contains(string(r.Body), `"connected":true,"api_key":"sk_test_…Abcd"`) {
		t.Errorf("show: %s", r.Body)
	}
	var plain int
	if err := env.Owner.Raw(`SELECT count(*) FROM stripe_connections WHERE tenant_id = ? AND strpos(encode(api_key, 'escape'), ?) > 0`,
		x.created.TenantID, "connectionKey").Scan(&plain).Error; err != nil || plain != 0 {
		t.Errorf("the key is stored in the clear: %d %v", plain, err)
	}
	if r := x.call(t, "DELETE", "/v1/integrations/stripe", nil); r.Status != 204 {
		t.Errorf("disconnect: %d %s", r.Status, r.Body)
	}
	if r := x.call(t, "GET", "/v1/integrations/stripe", nil); !strings.Contains(string(r.Body), `"connected":false,"api_key":null`) {
		t.Errorf("after disconnect: %s", r.Body)
	}
}

// TestParticipantStripeCustomer: a participant's Stripe customer is set,
// kept when absent, cleared by "", and refused when malformed.
func TestParticipantStripeCustomer(t *testing.T) {
	x := newAPITenant(t)
	steps := []struct {
		body   map[string]any
		status int
		want   string
	}{
		{map[string]any{"external_id": "u1", "stripe_customer_id": "cus_NffrFeUfNV2Hib"}, 201, `"stripe_customer_id":"cus_NffrFeUfNV2Hib"`},
		{map[string]any{"external_id": "u1", "display_name": "U"}, 200, `"stripe_customer_id":"cus_NffrFeUfNV2Hib"`},
		{map[string]any{"external_id": "u1", "stripe_customer_id": "acct_123"}, 422, `"invalid_stripe_customer_id"`},
		{map[string]any{"external_id": "u1", "stripe_customer_id": "cus_"}, 422, `"invalid_stripe_customer_id"`},
		{map[string]any{"external_id": "u1", "stripe_customer_id": ""}, 200, `"stripe_customer_id":null`},
	}
	for i, s := range steps {
		r := x.call(t, "POST", "/v1/participants", s.body)
		if r.Status != s.status || !strings.Contains(string(r.Body), s.want) {
			t.Errorf("step %d: %d %s, want %d %s", i, r.Status, r.Body, s.status, s.want)
		}
	}
}

// TestStripeRewardNeedsAnAmount: a Stripe reward is for an amount above 0
// with its currency, and says so before anything is saved.
func TestStripeRewardNeedsAnAmount(t *testing.T) {
	x := newAPITenant(t)
	x.call(t, "POST", "/v1/event-definitions", map[string]any{"name": "paid"})
	for _, reward := range []map[string]any{
		{"description": "coupon", "kind": "stripe_coupon"},
		{"description": "credit", "kind": "stripe_balance", "amount": 0, "currency": "USD"},
	} {
		r := x.call(t, "PUT", "/v1/campaigns/stripe", map[string]any{"name": "Stripe", "mode": "invitation",
			"quest": map[string]any{"steps": []string{"paid"}}, "guest_reward": reward})
		if r.Status != 422 || !strings.Contains(string(r.Body), `"invalid_amount"`) || !strings.Contains(string(r.Body), `"guest_reward.amount"`) {
			t.Errorf("%v: %d %s", reward, r.Status, r.Body)
		}
	}
	if r := x.call(t, "GET", "/v1/campaigns/stripe", nil); r.Status != 404 {
		t.Errorf("a refused campaign was saved: %d %s", r.Status, r.Body)
	}
}

// TestPercentageCouponThroughTheAPI: a stripe_coupon may be a percentage
// off instead of an amount; the campaign gives it back as saved, the token
// a quest earns carries it, and every misuse is a precise 422 that saves
// nothing.
func TestPercentageCouponThroughTheAPI(t *testing.T) {
	x := newAPITenant(t)
	x.call(t, "POST", "/v1/event-definitions", map[string]any{"name": "paid"})
	campaign := func(guest map[string]any) map[string]any {
		return map[string]any{"name": "Percent", "mode": "invitation", "quest": map[string]any{"steps": []string{"paid"}},
			"host_milestones": []any{map[string]any{"count": 1, "reward": map[string]any{"description": "ticket", "kind": "ticket"}}},
			"guest_reward":    guest}
	}
	for _, bad := range []map[string]any{
		{"description": "x", "kind": "stripe_coupon", "percent_off": 0},
		{"description": "x", "kind": "stripe_coupon", "percent_off": -5},
		{"description": "x", "kind": "stripe_coupon", "percent_off": 100.5},
		{"description": "x", "kind": "stripe_coupon", "percent_off": 12.345},
		{"description": "x", "kind": "stripe_coupon", "percent_off": 20, "amount": 500, "currency": "USD"},
		{"description": "x", "kind": "stripe_balance", "percent_off": 20},
		{"description": "x", "kind": "coupon", "percent_off": 20},
	} {
		r := x.call(t, "PUT", "/v1/campaigns/percent", campaign(bad))
		if r.Status != 422 || !strings.Contains(string(r.Body), `"invalid_percent_off"`) || !strings.Contains(string(r.Body), `"guest_reward.percent_off"`) {
			t.Errorf("%v: %d %s", bad, r.Status, r.Body)
		}
	}
	if r := x.call(t, "PUT", "/v1/campaigns/percent", map[string]any{"name": "Percent", "mode": "invitation",
		"quest": map[string]any{"steps": []string{"paid"}}, "guest_reward": map[string]any{"description": "x", "kind": "stripe_coupon", "percent_off": "20"}}); r.Status != 422 {
		t.Errorf("a percentage as a string: %d %s", r.Status, r.Body)
	}
	if r := x.call(t, "GET", "/v1/campaigns/percent", nil); r.Status != 404 {
		t.Fatalf("a refused campaign was saved: %d %s", r.Status, r.Body)
	}

	r := x.call(t, "PUT", "/v1/campaigns/percent", campaign(map[string]any{"description": "12.5% off", "kind": "stripe_coupon", "percent_off": 12.5}))
	if r.Status != 200 {
		t.Fatalf("save: %d %s", r.Status, r.Body)
	}
	r = x.call(t, "GET", "/v1/campaigns/percent", nil)
	guest := r.JSON["draft"].(map[string]any)["guest_reward"].(map[string]any)
	if guest["percent_off"] != 12.5 || guest["amount"] != nil || guest["currency"] != nil {
		t.Fatalf("the draft's guest reward: %v", guest)
	}
	if r := x.call(t, "POST", "/v1/campaigns/percent/publish", nil); r.Status != 200 {
		t.Fatalf("publish: %d %s", r.Status, r.Body)
	}
	inv := x.call(t, "POST", "/v1/campaigns/percent/invitations", map[string]any{"host": "hal"})
	x.call(t, "POST", "/v1/claims", map[string]any{"code": inv.JSON["code"], "guest": "gil"})
	x.call(t, "POST", "/v1/events", map[string]any{"participant": "gil", "name": "paid"})
	r = x.call(t, "GET", "/v1/participants/gil/rewards", nil)
	token := r.JSON["data"].([]any)[0].(map[string]any)
	if token["kind"] != "stripe_coupon" || token["percent_off"] != 12.5 || token["amount"] != nil || token["currency"] != nil {
		t.Errorf("the issued token: %v", token)
	}
	r = x.call(t, "GET", "/v1/participants/hal/rewards", nil)
	if token := r.JSON["data"].([]any)[0].(map[string]any); token["percent_off"] != nil {
		t.Errorf("a ticket with a percentage: %v", token)
	}
}
