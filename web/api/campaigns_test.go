package api

import (
	"net/http"
	"testing"
)

func TestCampaignDraftPublishAndStatus(t *testing.T) {
	a := newAPITenant(t)
	if r := a.call(t, "POST", "/v1/event-definitions", map[string]any{"name": "signup_complete"}); r.Status != http.StatusCreated {
		t.Fatalf("define event: %d %s", r.Status, r.Body)
	}
	if r := a.call(t, "POST", "/v1/event-definitions", map[string]any{"name": "signup_complete"}); r.Status != http.StatusOK {
		t.Fatalf("define event again: %d %s", r.Status, r.Body)
	}
	draft := map[string]any{
		"name": "Spring", "mode": "invitation", "quest": map[string]any{"steps": []string{"signup_complete"}},
		"host_milestones": []any{map[string]any{"count": 1, "reward": map[string]any{"description": "$10", "kind": "cash", "amount": 1000, "currency": "USD"}}},
	}
	r := a.call(t, "PUT", "/v1/campaigns/spring", draft)
	if r.Status != http.StatusOK || r.JSON["status"] != "draft" || r.JSON["draft"] == nil {
		t.Fatalf("put campaign: %d %s", r.Status, r.Body)
	}
	r = a.call(t, "POST", "/v1/campaigns/spring/publish", map[string]any{"inflight": "keep"})
	if r.Status != http.StatusOK || r.JSON["version"] != float64(1) {
		t.Fatalf("publish: %d %s", r.Status, r.Body)
	}
	for _, step := range []struct {
		action string
		status int
		code   string
	}{{"pause", 200, ""}, {"resume", 200, ""}, {"end", 200, ""}, {"resume", 409, "campaign_status_transition"}} {
		r := a.call(t, "POST", "/v1/campaigns/spring/"+step.action, nil)
		if r.Status != step.status || r.ErrorCode() != step.code {
			t.Fatalf("%s: %d %s", step.action, r.Status, r.Body)
		}
	}
	if r := a.call(t, "GET", "/v1/campaigns/nope", nil); r.Status != http.StatusNotFound || r.ErrorCode() != "campaign_not_found" {
		t.Fatalf("unknown campaign: %d %s", r.Status, r.Body)
	}
	if r := doRequest(t, a.app, "GET", "/v1/campaigns", nil); r.Status != http.StatusUnauthorized || r.ErrorCode() != "invalid_api_key" {
		t.Fatalf("no key: %d %s", r.Status, r.Body)
	}
	if r := doRequest(t, a.app, "GET", "/v1/campaigns", nil, "Authorization", "Bearer "+a.publishableKey); r.Status != http.StatusForbidden || r.ErrorCode() != "secret_key_required" {
		t.Fatalf("publishable key: %d %s", r.Status, r.Body)
	}
}
