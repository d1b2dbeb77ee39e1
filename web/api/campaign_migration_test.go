package api

import (
	"net/http"
	"testing"
)

// Publishing with "migrate" answers at once with the preview's forecast,
// the invitations still on their version (the migration's job moves them);
// until that migration finishes, publishing again and ending the campaign
// answer 409 campaign_migration_running, and nothing changes.
func TestPublishWhileMigrating(t *testing.T) {
	a := newAPITenant(t)
	must := func(r apiResponse, status int, what string) apiResponse {
		t.Helper()
		if r.Status != status {
			t.Fatalf("%s: %d %s", what, r.Status, r.Body)
		}
		return r
	}
	must(a.call(t, "POST", "/v1/event-definitions", map[string]any{"name": "signup_complete"}), http.StatusCreated, "define event")
	quest := map[string]any{"name": "Spring", "mode": "invitation", "quest": map[string]any{"steps": []string{"signup_complete"}}}
	must(a.call(t, "PUT", "/v1/campaigns/spring", quest), http.StatusOK, "draft")
	must(a.call(t, "POST", "/v1/campaigns/spring/publish", nil), http.StatusOK, "publish")
	code := must(a.call(t, "POST", "/v1/campaigns/spring/invitations", map[string]any{"host": "hana"}), http.StatusCreated, "invite").JSON["code"]
	must(a.call(t, "POST", "/v1/claims", map[string]any{"code": code, "guest": "gus"}), http.StatusCreated, "claim")

	must(a.call(t, "PUT", "/v1/campaigns/spring", quest), http.StatusOK, "second draft")
	r := must(a.call(t, "POST", "/v1/campaigns/spring/publish", map[string]any{"inflight": "migrate"}), http.StatusOK, "publish with migrate")
	if r.JSON["version"] != float64(2) || r.JSON["migrated"].(map[string]any)["in_flight"] != float64(1) {
		t.Fatalf("publish with migrate: %s", r.Body)
	}
	must(a.call(t, "PUT", "/v1/campaigns/spring", quest), http.StatusOK, "third draft")
	for _, path := range []string{"/v1/campaigns/spring/publish", "/v1/campaigns/spring/end"} {
		if r := a.call(t, "POST", path, nil); r.Status != http.StatusConflict || r.ErrorCode() != "campaign_migration_running" {
			t.Errorf("%s while migrating: %d %s", path, r.Status, r.Body)
		}
	}
	r = must(a.call(t, "GET", "/v1/campaigns/spring", nil), http.StatusOK, "campaign")
	if r.JSON["status"] != "active" || r.JSON["current_version"] != float64(2) {
		t.Errorf("the refused calls changed the campaign: %s", r.Body)
	}
}
