package api

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// Found in the hardening review: bad input is a precise 4xx, never a 500. These
// requests each reached the database and failed there.

// An Idempotency-Key the database cannot store (a NUL, bytes that are not
// UTF-8) is refused before any transaction, on the generic replay
// (inTenant) and on the event endpoint that reads it as the event's key.
func TestIdempotencyKeyHeaderRefusesNULAndInvalidUTF8(t *testing.T) {
	a := newAPITenant(t)
	var steps []apiScenario
	for name, value := range map[string]string{"a NUL": "k\x00ey", "byte 0xFF": "k\xffey", "a lone NUL": "\x00"} {
		badKey := func(s apiScenario) apiScenario {
			return s.with("Idempotency-Key", value).code("invalid_idempotency_key").
				expect(map[string]any{"error.field": "Idempotency-Key"})
		}
		steps = append(steps,
			badKey(post("a participant with "+name+" in its Idempotency-Key", "/v1/participants",
				map[string]any{"external_id": "idem"}, http.StatusBadRequest)),
			badKey(post("an event definition with "+name+" in its Idempotency-Key", "/v1/event-definitions",
				map[string]any{"name": "signup_complete"}, http.StatusBadRequest)),
			badKey(post("an event with "+name+" in its Idempotency-Key", "/v1/events",
				event("idem", "signup_complete", ""), http.StatusBadRequest)),
		)
	}
	steps = append(steps,
		get("nothing was created", "/v1/participants/idem", http.StatusNotFound).code("participant_not_found"),
		post("a good key still works", "/v1/participants", map[string]any{"external_id": "idem"}, http.StatusCreated).
			with("Idempotency-Key", "good-key"),
	)
	runScenarios(t, a, map[string]string{}, steps)
}

// The Authorization header with a NUL or bytes that are not UTF-8 is an
// invalid key, refused before any lookup.
func TestAuthorizationHeaderRefusesNULAndInvalidUTF8(t *testing.T) {
	a := newAPITenant(t)
	body := strings.Repeat("a", 47)
	var steps []apiScenario
	for name, value := range map[string]string{
		"a NUL in the key": "Bearer sk_" + body + "\x00", "byte 0xFF in the key": "Bearer sk_" + body + "\xff",
		"a NUL before the key": "Bearer \x00" + a.secretKey, "byte 0xFF in the scheme": "Bear\xffer " + a.secretKey,
	} {
		steps = append(steps, get(name, "/v1/campaigns", http.StatusUnauthorized).with("Authorization", value).code("invalid_api_key"))
	}
	runScenarios(t, a, map[string]string{}, steps)
}

// Property numbers jsonb cannot hold (beyond 10^±1000 or so) are the
// event's invalid_properties; in a batch only that event's, and the others
// are stored.
func TestEventPropertyNumbersOutOfRange(t *testing.T) {
	a := newAPITenant(t)
	mustCall(t, a, "POST", "/v1/event-definitions", map[string]any{"name": "signup_complete"}, http.StatusCreated)
	for _, number := range []string{"1e131072", "1e-16384", "-1e131072", "0e-17000", "0.0e-16383"} {
		body := fmt.Sprintf(`{"participant": "huge", "name": "signup_complete", "properties": {"n": %s}}`, number)
		r := a.call(t, "POST", "/v1/events", body)
		if r.Status != http.StatusUnprocessableEntity || r.ErrorCode() != "invalid_properties" {
			t.Fatalf("%s: %d %s, want 422 invalid_properties", number, r.Status, r.Body)
		}
		if field, _ := jsonPath(r.JSON, "error.field"); field != "properties" {
			t.Errorf("%s: field %v, want properties", number, field)
		}
	}
	r := mustCall(t, a, "POST", "/v1/events/batch", `{"events": [
		{"participant": "batch1", "name": "signup_complete"},
		{"participant": "batch2", "name": "signup_complete", "properties": {"n": 1e131072}},
		{"participant": "batch3", "name": "signup_complete", "properties": {"n": [1e-16384, 0e-17000]}},
		{"participant": "batch4", "name": "signup_complete", "properties": {"n": 1e300}}]}`, http.StatusOK)
	want := []struct{ status, field string }{{"created", ""}, {"error", "events[1].properties"}, {"error", "events[2].properties"}, {"created", ""}}
	for i, w := range want {
		status, _ := jsonPath(r.JSON, fmt.Sprintf("results.%d.status", i))
		field, _ := jsonPath(r.JSON, fmt.Sprintf("results.%d.error.field", i))
		code, _ := jsonPath(r.JSON, fmt.Sprintf("results.%d.error.code", i))
		if status != w.status || (w.field != "" && (field != w.field || code != "invalid_properties")) {
			t.Errorf("results[%d]: %v %v %v, want %s %s invalid_properties: %s", i, status, code, field, w.status, w.field, r.Body)
		}
	}
	for participant, n := range map[string]int{"huge": 0, "batch1": 1, "batch2": 0, "batch3": 0, "batch4": 1} {
		if got := countEvents(t, a, participant, "signup_complete"); got != n {
			t.Errorf("%s has %d events, want %d", participant, got, n)
		}
	}
}

// A campaign's caps over HTTP: a URL scheme in capitals, more than 100
// milestone rows, an amount over 10^12 minor units, a made-up currency.
func TestCampaignCapsOverHTTP(t *testing.T) {
	a := newAPITenant(t)
	campaign := func(change func(body map[string]any)) map[string]any {
		body := isoCampaignBody("Caps", "invitation")
		change(body)
		return body
	}
	milestones := make([]any, 101)
	for i := range milestones {
		milestones[i] = map[string]any{"count": i + 1, "reward": moneyReward("$1", "cash", 100)}
	}
	runScenarios(t, a, map[string]string{}, append(defineEvents("signup_complete"),
		put("a signup_url in capitals", "/v1/campaigns/caps", campaign(func(b map[string]any) { b["signup_url"] = "HTTP://evil.test/" }),
			http.StatusUnprocessableEntity).code("invalid_url").expect(map[string]any{"error.field": "signup_url"}),
		put("101 milestones", "/v1/campaigns/caps", campaign(func(b map[string]any) { b["host_milestones"] = milestones }),
			http.StatusUnprocessableEntity).code("too_many_milestones").expect(map[string]any{"error.field": "host_milestones"}),
		put("an amount of 10^12 + 1", "/v1/campaigns/caps", campaign(func(b map[string]any) {
			b["host_milestones"] = []any{map[string]any{"count": 1, "reward": moneyReward("a lot", "cash", 1_000_000_000_001)}}
		}), http.StatusUnprocessableEntity).code("invalid_amount").expect(map[string]any{"error.field": "host_milestones[0].reward.amount"}),
		put("a guest amount of 10^12 + 1", "/v1/campaigns/caps", campaign(func(b map[string]any) {
			b["guest_reward"] = moneyReward("a lot", "credit", 1_000_000_000_001)
		}), http.StatusUnprocessableEntity).code("invalid_amount").expect(map[string]any{"error.field": "guest_reward.amount"}),
		put("a currency of the right shape that ISO 4217 does not have", "/v1/campaigns/caps", campaign(func(b map[string]any) {
			b["guest_reward"] = map[string]any{"description": "credit", "kind": "credit", "amount": 100, "currency": "XYZ"}
		}), http.StatusUnprocessableEntity).code("invalid_currency").expect(map[string]any{"error.field": "guest_reward.currency"}),
		get("no campaign was saved", "/v1/campaigns/caps", http.StatusNotFound).code("campaign_not_found"),
		put("the largest amount and 100 milestones", "/v1/campaigns/caps", campaign(func(b map[string]any) {
			b["host_milestones"] = append(milestones[:99:99], map[string]any{"count": 100, "reward": moneyReward("a lot", "cash", 1_000_000_000_000)})
			b["signup_url"] = "https://shop.test/"
		}), http.StatusOK),
	))
}

func put(name, path string, body any, status int) apiScenario {
	return apiScenario{name: name, method: http.MethodPut, path: path, body: body, wantStatus: status}
}
