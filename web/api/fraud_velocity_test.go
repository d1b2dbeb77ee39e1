package api

import (
	"fmt"
	"net/http"
	"testing"
)

// Velocity is a version's rule: a campaign asking for at most 2 claims in
// 30 minutes sees the velocity signal on a host's 3rd claim, another
// campaign keeps the default (10 an hour), and out-of-range limits are
// refused with invalid_velocity before anything is saved.
func TestVelocityIsPerVersion(t *testing.T) {
	a := newAPITenant(t)
	mustCall(t, a, "POST", "/v1/event-definitions", map[string]any{"name": "signup_complete"}, http.StatusCreated)
	draft := func(slug string, extra map[string]any) map[string]any {
		body := map[string]any{"name": slug, "mode": "invitation", "quest": map[string]any{"steps": []string{"signup_complete"}},
			"host_milestones": []any{map[string]any{"count": 1, "reward": moneyReward("$10", "cash", 1000)}}, "repeat_last_milestone": true}
		for k, v := range extra {
			body[k] = v
		}
		return body
	}
	for _, bad := range []map[string]any{{"velocity_claims": 1001}, {"velocity_window_minutes": 43201}, {"velocity_claims": -1}} {
		r := a.call(t, "PUT", "/v1/campaigns/bad", draft("bad", bad))
		if code, _ := jsonPath(r.JSON, "error.code"); r.Status != http.StatusUnprocessableEntity || code != "invalid_velocity" {
			t.Errorf("%v: %d %s, want 422 invalid_velocity", bad, r.Status, r.Body)
		}
	}
	if r := a.call(t, "GET", "/v1/campaigns/bad", nil); r.Status != http.StatusNotFound {
		t.Errorf("a refused draft was saved: %d %s", r.Status, r.Body)
	}

	saved := mustCall(t, a, "PUT", "/v1/campaigns/tight", draft("tight", map[string]any{"velocity_claims": 2, "velocity_window_minutes": 30}), http.StatusOK)
	if v, _ := jsonPath(saved.JSON, "draft.velocity_claims"); v != 2.0 {
		t.Errorf("the draft's velocity_claims: %v, want 2", v)
	}
	mustCall(t, a, "POST", "/v1/campaigns/tight/publish", nil, http.StatusOK)
	mustCall(t, a, "PUT", "/v1/campaigns/usual", draft("usual", nil), http.StatusOK)
	mustCall(t, a, "POST", "/v1/campaigns/usual/publish", nil, http.StatusOK)
	if v, _ := jsonPath(mustCall(t, a, "GET", "/v1/campaigns/usual", nil, http.StatusOK).JSON, "version.velocity_window_minutes"); v != 60.0 {
		t.Errorf("the default window: %v, want 60", v)
	}

	claim := func(slug, guest string) string {
		code := mustCall(t, a, "POST", "/v1/campaigns/"+slug+"/invitations", map[string]any{"host": "busy"}, http.StatusCreated).JSON["code"]
		r := mustCall(t, a, "POST", "/v1/claims", map[string]any{"code": code, "guest": guest}, http.StatusCreated)
		signals, _ := jsonPath(r.JSON, "invitation.risk.signals")
		out := ""
		for _, s := range signals.([]any) {
			m := s.(map[string]any)
			out += fmt.Sprint(m["code"], ": ", m["detail"])
		}
		return out
	}
	for i, want := range []string{"", "", "velocity: the host's 3rd claim in 30 minutes"} {
		if got := claim("tight", fmt.Sprintf("tight-%d", i)); got != want {
			t.Errorf("the tight campaign's claim %d: signals %q, want %q", i+1, got, want)
		}
	}
	for i := range 3 {
		if got := claim("usual", fmt.Sprintf("usual-%d", i)); got != "" {
			t.Errorf("the usual campaign's claim %d: signals %q, want none", i+1, got)
		}
	}
}
