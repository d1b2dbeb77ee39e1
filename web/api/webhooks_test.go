package api

import (
	"net/http"
	"testing"
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
