package api

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/tandemhq/tandem/internal/webtest"
)

// A URL webhooks may not reach is refused at creation with a clear 422,
// checked after DNS (localhost), for IPv4 and IPv6, metadata included.
func TestWebhookEndpointRefusesPrivateURLs(t *testing.T) {
	a := newAPITenant(t)
	for url, code := range map[string]string{
		"https://127.0.0.1/hook":                   "webhook_url_blocked",
		"https://localhost:8443/hook":              "webhook_url_blocked",
		"https://[::1]/hook":                       "webhook_url_blocked",
		"https://10.1.2.3/hook":                    "webhook_url_blocked",
		"https://192.168.0.10/hook":                "webhook_url_blocked",
		"https://169.254.169.254/latest/meta-data": "webhook_url_blocked",
		"https://[::ffff:169.254.169.254]/":        "webhook_url_blocked",
		"http://93.184.216.34/hook":                "invalid_webhook_url",
		"https://user:pw@93.184.216.34/hook":       "invalid_webhook_url",
	} {
		r := a.call(t, "POST", "/v1/webhook-endpoints", map[string]any{"url": url, "events": []string{"*"}})
		if r.Status != http.StatusUnprocessableEntity || r.ErrorCode() != code {
			t.Errorf("%s: %d %s, want 422 %s", url, r.Status, r.Body, code)
		}
	}
	r := a.call(t, "GET", "/v1/webhook-endpoints", nil)
	if data := r.JSON["data"].([]any); len(data) != 0 {
		t.Errorf("a refused URL was stored: %s", r.Body)
	}
	// The secret is in the creating answer only, and never replayed.
	r = a.call(t, "POST", "/v1/webhook-endpoints", map[string]any{"url": "https://93.184.216.34/hook", "events": []string{"*"}},
		"Idempotency-Key", "k1")
	if r.Status != http.StatusUnprocessableEntity || r.ErrorCode() != "idempotency_key_unsupported" {
		t.Errorf("with an Idempotency-Key: %d %s", r.Status, r.Body)
	}
	r = a.call(t, "POST", "/v1/webhook-endpoints", map[string]any{"url": "https://93.184.216.34/hook", "events": []string{"*"}})
	if r.Status != http.StatusCreated || r.JSON["secret"] == nil {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	if s := a.call(t, "GET", "/v1/webhook-endpoints/"+r.JSON["id"].(string), nil); s.JSON["secret"] != nil {
		t.Errorf("the secret is shown again: %s", s.Body)
	}
}

// Endpoints are a plan limit (50 for an unmetered tenant), refused with
// 402 plan_limit_reached; the list pages through every endpoint the
// tenant has, those from before the cap included.
func TestWebhookEndpointsCapAndList(t *testing.T) {
	a := newAPITenant(t)
	for i := range 50 {
		r := a.call(t, "POST", "/v1/webhook-endpoints", map[string]any{"url": fmt.Sprintf("https://93.184.216.34/hook/%d", i), "events": []string{"*"}})
		if r.Status != http.StatusCreated {
			t.Fatalf("endpoint %d: %d %s", i, r.Status, r.Body)
		}
	}
	r := a.call(t, "POST", "/v1/webhook-endpoints", map[string]any{"url": "https://93.184.216.34/hook/51", "events": []string{"*"}})
	if r.Status != http.StatusPaymentRequired || r.ErrorCode() != "plan_limit_reached" || r.JSON["error"].(map[string]any)["limit"] != "webhook_endpoints" {
		t.Fatalf("the 51st endpoint: %d %s, want 402 plan_limit_reached (webhook_endpoints)", r.Status, r.Body)
	}
	if n := len(listAllEndpoints(t, a, 20)); n != 50 {
		t.Errorf("the list shows %d of 50 endpoints", n)
	}

	// A tenant that had more before the cap sees them all, page by page,
	// and can add none.
	b := newAPITenant(t)
	webtest.EndpointsFromBeforeTheCap(t, env.Owner, b.created.TenantID, 150)
	if n := len(listAllEndpoints(t, b, 100)); n != 150 {
		t.Errorf("the list shows %d of 150 endpoints", n)
	}
	if r := b.call(t, "POST", "/v1/webhook-endpoints", map[string]any{"url": "https://93.184.216.34/hook", "events": []string{"*"}}); r.Status != http.StatusPaymentRequired {
		t.Errorf("over the cap: %d %s", r.Status, r.Body)
	}
	for _, q := range []string{"limit=0", "limit=101", "starting_after=nope"} {
		if r := b.call(t, "GET", "/v1/webhook-endpoints?"+q, nil); r.Status != http.StatusBadRequest {
			t.Errorf("?%s: %d %s", q, r.Status, r.Body)
		}
	}
}

// listAllEndpoints follows the list's pages of size to the end and returns
// the ids it saw, each once.
func listAllEndpoints(t *testing.T, a *apiTenant, size int) map[string]bool {
	t.Helper()
	seen := map[string]bool{}
	after := ""
	for {
		r := a.call(t, "GET", fmt.Sprintf("/v1/webhook-endpoints?limit=%d&starting_after=%s", size, after), nil)
		if r.Status != http.StatusOK {
			t.Fatalf("list: %d %s", r.Status, r.Body)
		}
		data := r.JSON["data"].([]any)
		for _, d := range data {
			id := d.(map[string]any)["id"].(string)
			if seen[id] {
				t.Fatalf("%s shown twice", id)
			}
			seen[id] = true
		}
		if r.JSON["has_more"] != true {
			return seen
		}
		after = data[len(data)-1].(map[string]any)["id"].(string)
	}
}

// A scheme in capitals is the same https URL: stored in lower case, on
// creation and on change (it was a 500: the schema's check is
// case-sensitive).
func TestWebhookURLSchemeInCapitals(t *testing.T) {
	a := newAPITenant(t)
	r := a.call(t, "POST", "/v1/webhook-endpoints", map[string]any{"url": "HTTPS://93.184.216.34/Hook", "events": []string{"*"}})
	if r.Status != http.StatusCreated || r.JSON["url"] != "https://93.184.216.34/Hook" {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	r = a.call(t, "PATCH", "/v1/webhook-endpoints/"+r.JSON["id"].(string), map[string]any{"url": "HtTpS://93.184.216.34/Other"})
	if r.Status != http.StatusOK || r.JSON["url"] != "https://93.184.216.34/Other" {
		t.Fatalf("update: %d %s", r.Status, r.Body)
	}
	for _, url := range []string{"HTTP://93.184.216.34/hook", "FTP://93.184.216.34/hook"} {
		if r := a.call(t, "POST", "/v1/webhook-endpoints", map[string]any{"url": url, "events": []string{"*"}}); r.Status != http.StatusUnprocessableEntity ||
			r.ErrorCode() != "invalid_webhook_url" {
			t.Errorf("%s: %d %s, want 422 invalid_webhook_url", url, r.Status, r.Body)
		}
	}
}
