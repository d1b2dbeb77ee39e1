package api

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"

	"github.com/tandemhq/tandem/internal/dbtest"
)

// briefErrorCodes are the error codes the API promised from its first version: each must be
// produced through HTTP by at least one step of TestEveryErrorCode.
var briefErrorCodes = []string{
	"code_not_found", "invitation_already_claimed", "guest_already_referred", "self_referral",
	"invitation_expired", "campaign_not_active", "unknown_event", "idempotency_key_reused",
	"invalid_api_key", "secret_key_required", "reward_status_transition", "too_many_events",
	"unknown_field", "invalid_type", "invalid_timestamp", "invalid_json", "missing_field",
	"body_too_large", "method_not_allowed", "not_found", "unsupported_media_type",
}

// TestEveryErrorCode produces every error code of the API contract through
// HTTP, with its status and offending field, and checks along the way that
// a refused request wrote nothing.
func TestEveryErrorCode(t *testing.T) {
	a := newAPITenant(t)
	publishManualCampaign(t, a, "spring")
	invite := func(name string) apiScenario {
		return post("invite "+name, "/v1/campaigns/spring/invitations", map[string]any{"host": "alice"}, http.StatusCreated).
			keep(map[string]string{name: "id", name + "_code": "code"})
	}
	noParticipant := func(id string) apiScenario {
		return get("no participant "+id+" was created", "/v1/participants/"+id, http.StatusNotFound).code("participant_not_found")
	}
	steps := []apiScenario{
		invite("inv1"), invite("inv2"), invite("inv3"), invite("inv4"),

		// Claims.
		post("an unknown code", "/v1/claims", map[string]any{"code": "ABCDEFGH", "guest": "ghost1"}, http.StatusNotFound).code("code_not_found"),
		post("a code with wrong characters", "/v1/claims", map[string]any{"code": "I0I0I0I0", "guest": "ghost1"}, http.StatusUnprocessableEntity).
			code("invalid_code").expect(map[string]any{"error.field": "code"}),
		post("bob claims", "/v1/claims", map[string]any{"code": "{inv1_code}", "guest": "bob"}, http.StatusCreated),
		post("a claimed invitation", "/v1/claims", map[string]any{"code": "{inv1_code}", "guest": "ghost2"}, http.StatusConflict).code("invitation_already_claimed"),
		post("bob twice in one campaign", "/v1/claims", map[string]any{"code": "{inv2_code}", "guest": "bob"}, http.StatusConflict).code("guest_already_referred"),
		post("alice's own invitation", "/v1/claims", map[string]any{"code": "{inv2_code}", "guest": "alice"}, http.StatusUnprocessableEntity).code("self_referral"),
		{name: "an expired invitation", method: http.MethodPost, path: "/v1/claims", body: map[string]any{"code": "{inv3_code}", "guest": "ghost3"},
			wantStatus: http.StatusGone, wantCode: "invitation_expired",
			before: func(t *testing.T, vars map[string]string) {
				// An old fixture: the schema's triggers would refuse to move
				// expires_at, and replica mode skips them.
				ownerExecWithoutTriggers(t, `UPDATE invitations SET expires_at = now() - interval '1 hour' WHERE tenant_id = ? AND id = ?`,
					a.created.TenantID, vars["inv3"])
			}},
		post("pause", "/v1/campaigns/spring/pause", nil, http.StatusOK),
		post("a claim in a paused campaign", "/v1/claims", map[string]any{"code": "{inv4_code}", "guest": "ghost4"}, http.StatusGone).code("campaign_not_active"),
		post("an invitation in a paused campaign", "/v1/campaigns/spring/invitations", map[string]any{"host": "alice"}, http.StatusGone).code("campaign_not_active"),
		post("resume", "/v1/campaigns/spring/resume", nil, http.StatusOK),
		noParticipant("ghost1"), noParticipant("ghost2"), noParticipant("ghost3"), noParticipant("ghost4"),
		get("the taken invitation still has its first guest", "/v1/participants/alice/invitations", http.StatusOK).
			expect(map[string]any{"data[id={inv1}].guest": "bob", "data[id={inv3}].status": "expired", "data[id={inv4}].status": "pending"}).
			lacks("ghost"),

		// Events.
		post("an undefined event", "/v1/events", event("bob", "no_such_event", ""), http.StatusUnprocessableEntity).
			code("unknown_event"),
		post("a built-in event", "/v1/events", event("bob", "invitation_claimed", ""), http.StatusUnprocessableEntity).
			code("reserved_event"),
		post("bob completes his quest", "/v1/events", event("bob", "signup_complete", "k1"), http.StatusAccepted),
		post("its key with other properties", "/v1/events", map[string]any{"participant": "bob", "name": "signup_complete", "idempotency_key": "k1", "properties": map[string]any{"a": 1}},
			http.StatusUnprocessableEntity).code("idempotency_key_reused"),
		post("a bad timestamp", "/v1/events", map[string]any{"participant": "bob", "name": "signup_complete", "occurred_at": "yesterday"},
			http.StatusUnprocessableEntity).code("invalid_timestamp").expect(map[string]any{"error.field": "occurred_at"}),
		post("a timestamp far ahead", "/v1/events", map[string]any{"participant": "bob", "name": "signup_complete", "occurred_at": "2999-01-01T00:00:00Z"},
			http.StatusUnprocessableEntity).code("invalid_timestamp").expect(map[string]any{"error.field": "occurred_at"}),
		post("properties not an object", "/v1/events", map[string]any{"participant": "bob", "name": "signup_complete", "properties": "x"},
			http.StatusUnprocessableEntity).code("invalid_properties").expect(map[string]any{"error.field": "properties"}),
		post("properties too large", "/v1/events", map[string]any{"participant": "bob", "name": "signup_complete", "properties": map[string]any{"x": strings.Repeat("a", 16<<10)}},
			http.StatusUnprocessableEntity).code("too_large").expect(map[string]any{"error.field": "properties"}),
		post("properties with an unpaired surrogate", "/v1/events", `{"participant": "bob", "name": "signup_complete", "properties": {"a": "\ud800"}}`,
			http.StatusUnprocessableEntity).code("invalid_properties").expect(map[string]any{"error.field": "properties"}),
		post("properties that are not UTF-8", "/v1/events", "{\"participant\": \"bob\", \"name\": \"signup_complete\", \"properties\": {\"a\": \"\xff\"}}",
			http.StatusUnprocessableEntity).code("invalid_properties").expect(map[string]any{"error.field": "properties"}),
		post("properties with a NUL", "/v1/events", `{"participant": "bob", "name": "signup_complete", "properties": {"a\u0000": 1}}`,
			http.StatusUnprocessableEntity).code("invalid_properties").expect(map[string]any{"error.field": "properties"}),
		post("properties with a surrogate pair and an escaped backslash", "/v1/events",
			`{"participant": "bob", "name": "signup_complete", "properties": {"emoji": "\ud83d\ude00", "path": "C:\\u0000"}}`, http.StatusAccepted),
		post("an e-mail with a NUL", "/v1/participants", map[string]any{"external_id": "x", "email": "a\x00@example.com"}, http.StatusUnprocessableEntity).
			code("invalid_email").expect(map[string]any{"error.field": "email"}),
		get("an external id with a NUL", "/v1/participants/%00", http.StatusNotFound).code("participant_not_found"),
		get("an external id that is not UTF-8", "/v1/participants/%FF/rewards", http.StatusNotFound).code("participant_not_found"),
		post("a raffle of a campaign with a NUL", "/v1/raffles", map[string]any{"campaign": "a\x00", "winners": 1}, http.StatusNotFound).
			code("campaign_not_found"),
		post("an event name with wrong characters", "/v1/events", event("bob", "Sign Up", ""), http.StatusUnprocessableEntity).
			code("invalid_event_name").expect(map[string]any{"error.field": "name"}),
		post("too many events", "/v1/events/batch", map[string]any{"events": manyEvents(1001)}, http.StatusUnprocessableEntity).
			code("too_many_events").expect(map[string]any{"error.field": "events"}),
		noParticipant("bulk"),
		post("a batch without events", "/v1/events/batch", map[string]any{}, http.StatusUnprocessableEntity).
			code("missing_field").expect(map[string]any{"error.field": "events"}),
		post("a batch with an Idempotency-Key", "/v1/events/batch", map[string]any{"events": []any{}}, http.StatusUnprocessableEntity).
			with("Idempotency-Key", "b1").code("idempotency_key_not_supported"),

		// Rewards.
		get("alice's reward for bob", "/v1/participants/alice/rewards", http.StatusOK).keep(map[string]string{"reward": "data.0.id"}),
		post("void it", "/v1/rewards/{reward}/void", nil, http.StatusOK),
		post("redeem the voided", "/v1/rewards/{reward}/redeem", nil, http.StatusConflict).code("reward_status_transition"),

		// Decoding.
		post("an unknown field", "/v1/participants", map[string]any{"external_id": "x", "nickname": "y"}, http.StatusUnprocessableEntity).
			code("unknown_field").expect(map[string]any{"error.field": "nickname"}),
		post("a number for a string", "/v1/participants", map[string]any{"external_id": 42}, http.StatusUnprocessableEntity).
			code("invalid_type").expect(map[string]any{"error.field": "external_id"}),
		post("a string for a number", "/v1/raffles", map[string]any{"campaign": "spring", "winners": "two"}, http.StatusUnprocessableEntity).
			code("invalid_type").expect(map[string]any{"error.field": "winners"}),
		post("broken JSON", "/v1/claims", `{"code": `, http.StatusBadRequest).code("invalid_json"),
		post("two JSON values", "/v1/claims", `{}{}`, http.StatusBadRequest).code("invalid_json"),
		post("no body", "/v1/claims", nil, http.StatusBadRequest).code("invalid_json"),
		post("a missing field", "/v1/claims", map[string]any{"code": "{inv2_code}"}, http.StatusUnprocessableEntity).
			code("missing_field").expect(map[string]any{"error.field": "guest"}),
		post("an external id with a space", "/v1/participants", map[string]any{"external_id": "a b"}, http.StatusUnprocessableEntity).
			code("invalid_external_id").expect(map[string]any{"error.field": "external_id"}),
		{name: "a body over 2 MiB", method: http.MethodPost, path: "/v1/events", body: `{"participant": "` + strings.Repeat("a", MaxBodyBytes) + `"}`,
			live: true, wantStatus: http.StatusRequestEntityTooLarge, wantCode: "body_too_large"},
		post("not JSON", "/v1/participants", "external_id=x", http.StatusUnsupportedMediaType).
			with("Content-Type", "application/x-www-form-urlencoded").code("unsupported_media_type"),

		// Routing.
		{name: "a method the route lacks", method: http.MethodDelete, path: "/v1/campaigns", wantStatus: http.StatusMethodNotAllowed, wantCode: "method_not_allowed"},
		get("an unknown route", "/v1/nope", http.StatusNotFound).code("not_found"),

		// Keys.
		{name: "no key", method: http.MethodGet, path: "/v1/campaigns", noKey: true, wantStatus: http.StatusUnauthorized, wantCode: "invalid_api_key"},
		get("not a bearer token", "/v1/campaigns", http.StatusUnauthorized).with("Authorization", "Basic dXNlcjpwYXNzd29yZA==").code("invalid_api_key"),
		get("a malformed key", "/v1/campaigns", http.StatusUnauthorized).with("Authorization", "Bearer sk_nope").code("invalid_api_key"),
		get("an unknown key", "/v1/campaigns", http.StatusUnauthorized).
			with("Authorization", "Bearer sk_"+strings.Repeat("abcdefgh", 6)).code("invalid_api_key"),
		{name: "a revoked key", method: http.MethodGet, path: "/v1/campaigns", headers: []string{"Authorization", "Bearer {revoked}"},
			wantStatus: http.StatusUnauthorized, wantCode: "invalid_api_key",
			before: func(t *testing.T, vars map[string]string) {
				// Another tenant's key, never verified by a's app, so no
				// cache can remember it as valid.
				b := newAPITenant(t)
				if err := env.Owner.Exec(`UPDATE api_keys SET revoked_at = now() WHERE tenant_id = ? AND kind = 'secret'`, b.created.TenantID).Error; err != nil {
					t.Fatal(err)
				}
				vars["revoked"] = b.secretKey
			}},
		get("a publishable key", "/v1/campaigns", http.StatusForbidden).with("Authorization", "Bearer "+a.publishableKey).code("secret_key_required"),
	}
	runScenarios(t, a, map[string]string{}, steps)

	produced := map[string]bool{}
	for _, s := range steps {
		produced[s.wantCode] = true
	}
	for _, code := range briefErrorCodes {
		if !produced[code] {
			t.Errorf("no test produces %s", code)
		}
	}
}

// A batch with bad events stores exactly its good ones: the invalid and
// unknown ones leave no event and no participant behind.
func TestBatchStoresExactlyTheValidEvents(t *testing.T) {
	a := newAPITenant(t)
	mustCall(t, a, "POST", "/v1/event-definitions", map[string]any{"name": "signup_complete"}, http.StatusCreated)
	r := mustCall(t, a, "POST", "/v1/events/batch", map[string]any{"events": []any{
		event("good1", "signup_complete", "g1"),
		event("bad1", "no_such_event", "b1"),
		map[string]any{"participant": "bad2", "name": "signup_complete", "extra": true},
		map[string]any{"participant": "bad3", "name": "signup_complete", "occurred_at": 5},
		event("good2", "signup_complete", ""),
		event("bad4", "signup_complete", "g1"), // g1 again, for another participant
	}}, http.StatusOK)
	want := []string{"created", "error", "error", "error", "created", "error"}
	for i, status := range want {
		if got, _ := jsonPath(r.JSON, fmt.Sprintf("results.%d.status", i)); got != status {
			t.Errorf("results[%d].status = %v, want %s: %s", i, got, status, r.Body)
		}
	}
	for participant, n := range map[string]int{"good1": 1, "good2": 1, "bad1": 0, "bad2": 0, "bad3": 0, "bad4": 0} {
		if got := countEvents(t, a, participant, "signup_complete") + countEvents(t, a, participant, "no_such_event"); got != n {
			t.Errorf("%s has %d events, want %d", participant, got, n)
		}
	}
	for _, participant := range []string{"bad1", "bad2", "bad3"} {
		if r := a.call(t, "GET", "/v1/participants/"+participant, nil); r.Status != http.StatusNotFound {
			t.Errorf("participant %s exists: %d %s", participant, r.Status, r.Body)
		}
	}
}

// A draw whose seed was changed after the fact no longer checks out.
func TestRaffleVerificationCatchesATamperedSeed(t *testing.T) {
	a := newAPITenant(t)
	mustCall(t, a, "POST", "/v1/event-definitions", map[string]any{"name": "signup_complete"}, http.StatusCreated)
	mustCall(t, a, "PUT", "/v1/campaigns/lotto", map[string]any{"name": "Lotto", "mode": "referrer_code",
		"quest":           map[string]any{"steps": []string{"signup_complete"}},
		"host_milestones": []any{map[string]any{"count": 1, "reward": reward("ticket", "ticket", 5)}}, "repeat_last_milestone": true,
		"guest_reward": reward("ticket", "ticket", 1),
	}, http.StatusOK)
	mustCall(t, a, "POST", "/v1/campaigns/lotto/publish", nil, http.StatusOK)
	for _, host := range []string{"h1", "h2", "h3"} {
		code := mustCall(t, a, "POST", "/v1/campaigns/lotto/referrer-code", map[string]any{"participant": host}, http.StatusOK).JSON["code"]
		for _, guest := range []string{"a", "b", "c"} {
			mustCall(t, a, "POST", "/v1/claims", map[string]any{"code": code, "guest": host + guest}, http.StatusCreated)
			mustCall(t, a, "POST", "/v1/events", event(host+guest, "signup_complete", ""), http.StatusAccepted)
		}
	}
	draw := mustCall(t, a, "POST", "/v1/raffles", map[string]any{"campaign": "lotto", "winners": 3}, http.StatusCreated)
	id := fmt.Sprint(draw.JSON["id"])
	if got := mustCall(t, a, "GET", "/v1/raffles/"+id, nil, http.StatusOK); got.JSON["verified"] != true {
		t.Fatalf("an honest draw: %s", got.Body)
	}
	// Find a seed that draws other winners, and store it in place of the real one.
	for i := 0; ; i++ {
		seed := fmt.Sprintf("%064x", i)
		ownerExecWithoutTriggers(t, `UPDATE raffle_draws SET seed = ? WHERE tenant_id = ? AND id = ?`, seed, a.created.TenantID, id)
		got := mustCall(t, a, "GET", "/v1/raffles/"+id, nil, http.StatusOK)
		if got.JSON["verified"] == false {
			return
		}
		if i == 20 {
			t.Fatalf("20 other seeds all verify: %s", got.Body)
		}
	}
}

// ownerExecWithoutTriggers changes exactly one row as the superuser with
// triggers off on every node (dbtest.WithoutTriggers, for this transaction
// only): the way to build a fixture the schema would never let the
// application write, such as an invitation that expired an hour ago.
func ownerExecWithoutTriggers(t *testing.T, sql string, args ...any) {
	t.Helper()
	dbtest.WithoutTriggers(t, env.Owner, func(tx *gorm.DB) error {
		res := tx.Exec(sql, args...)
		if res.Error == nil && res.RowsAffected != 1 {
			return fmt.Errorf("%d rows changed, want 1", res.RowsAffected)
		}
		return res.Error
	})
}

// manyEvents is n events of one participant, "bulk".
func manyEvents(n int) []any {
	events := make([]any, n)
	for i := range events {
		events[i] = event("bulk", "signup_complete", fmt.Sprintf("bulk-%d", i))
	}
	return events
}

// Work cut short (the request's deadline, a shutdown, a cancelled
// statement) is "try again", not our fault: 503 unavailable with
// Retry-After, never a 500.
func TestInterruptedRequestsAreUnavailable(t *testing.T) {
	for name, err := range map[string]error{
		"deadline":           fmt.Errorf("list campaigns: %w", context.DeadlineExceeded),
		"shutdown":           fmt.Errorf("ingest events: %w", context.Canceled),
		"statement canceled": fmt.Errorf("claim: %w", &pgconn.PgError{Code: "57014", Message: "canceling statement due to user request"}),
	} {
		app := fiber.New(fiber.Config{ErrorHandler: RenderError})
		app.Get("/x", func(*fiber.Ctx) error { return err })
		resp, terr := app.Test(httptest.NewRequest(http.MethodGet, "/x", nil))
		if terr != nil {
			t.Fatal(terr)
		}
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" ||
			!strings.Contains(string(body), `"code":"unavailable"`) {
			t.Errorf("%s: %d Retry-After %q %s", name, resp.StatusCode, resp.Header.Get("Retry-After"), body)
		}
	}
}
