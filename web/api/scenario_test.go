package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// apiScenario is one HTTP step of a scenario (pocketbase's ApiScenario).
// Steps run in order against one tenant and share variables: "{name}" in
// path, body, headers and expectations is replaced by the variable, and
// "{lower:name}" by its lowercase form. A step saves variables from its
// response with save (variable → JSON path, see jsonPath).
type apiScenario struct {
	name    string
	method  string
	path    string
	body    any      // nil, a string sent as is, or anything sent as JSON
	headers []string // name, value pairs, after the secret key (so they may replace it)
	noKey   bool     // send no Authorization header at all
	live    bool     // send over a real loopback connection, for what app.Test cannot show

	wantStatus   int
	wantCode     string         // the error code, "" for a success
	wantContains []string       // substrings of the body
	notContains  []string       // substrings the body must not hold
	wantJSON     map[string]any // JSON path → value (compared as fmt.Sprint)
	save         map[string]string

	before func(t *testing.T, vars map[string]string) // set-up the HTTP API cannot do
	after  func(t *testing.T, r apiResponse, vars map[string]string)
}

// runScenarios runs steps in order, stopping at the first failed step:
// later steps depend on earlier ones.
func runScenarios(t *testing.T, a *apiTenant, vars map[string]string, steps []apiScenario) {
	t.Helper()
	for _, s := range steps {
		if !t.Run(s.name, func(t *testing.T) { runScenario(t, a, vars, s) }) {
			t.FailNow()
		}
	}
}

func runScenario(t *testing.T, a *apiTenant, vars map[string]string, s apiScenario) {
	t.Helper()
	if s.before != nil {
		s.before(t, vars)
	}
	var body any
	switch b := s.body.(type) {
	case nil:
	case string:
		body = substitute(t, vars, b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		body = substitute(t, vars, string(raw))
	}
	headers := make([]string, len(s.headers))
	for i, h := range s.headers {
		headers[i] = substitute(t, vars, h)
	}
	if !s.noKey {
		headers = append([]string{"Authorization", "Bearer " + a.secretKey}, headers...)
	}
	var r apiResponse
	if s.live {
		r = liveRequest(t, s.method, substitute(t, vars, s.path), body, headers...)
	} else {
		r = doRequest(t, a.app, s.method, substitute(t, vars, s.path), body, headers...)
	}
	if r.Status != s.wantStatus || r.ErrorCode() != s.wantCode {
		t.Fatalf("%s %s: got %d %q, want %d %q\n%s", s.method, s.path, r.Status, r.ErrorCode(), s.wantStatus, s.wantCode, r.Body)
	}
	var decoded any
	if len(r.Body) > 0 {
		if err := json.Unmarshal(r.Body, &decoded); err != nil {
			t.Fatalf("response is not JSON: %s", r.Body)
		}
	}
	for name, path := range s.save {
		v, ok := jsonPath(decoded, substitute(t, vars, path))
		if !ok || v == nil {
			t.Fatalf("save %s: no %s in %s", name, path, r.Body)
		}
		vars[name] = fmt.Sprint(v)
	}
	for _, want := range s.wantContains {
		if want = substitute(t, vars, want); !strings.Contains(string(r.Body), want) {
			t.Errorf("body lacks %s\n%s", want, r.Body)
		}
	}
	for _, unwanted := range s.notContains {
		if unwanted = substitute(t, vars, unwanted); strings.Contains(string(r.Body), unwanted) {
			t.Errorf("body holds %s\n%s", unwanted, r.Body)
		}
	}
	for path, want := range s.wantJSON {
		path = substitute(t, vars, path)
		got, ok := jsonPath(decoded, path)
		wantText := fmt.Sprint(want)
		if s, isString := want.(string); isString {
			wantText = substitute(t, vars, s)
		}
		if !ok || fmt.Sprint(got) != wantText {
			t.Errorf("%s = %v (found: %v), want %s\n%s", path, got, ok, wantText, r.Body)
		}
	}
	if s.after != nil && !t.Failed() {
		s.after(t, r, vars)
	}
}

var placeholder = regexp.MustCompile(`\{(lower:)?([a-z][a-z0-9_]*)\}`)

// substitute replaces {name} and {lower:name} with variables; an unknown
// name fails the test rather than send a literal placeholder.
func substitute(t *testing.T, vars map[string]string, s string) string {
	t.Helper()
	return placeholder.ReplaceAllStringFunc(s, func(m string) string {
		parts := placeholder.FindStringSubmatch(m)
		v, ok := vars[parts[2]]
		if !ok {
			t.Fatalf("unknown variable %s", m)
		}
		if parts[1] != "" {
			v = strings.ToLower(v)
		}
		return v
	})
}

// jsonPath finds a value in decoded JSON by a dotted path. A segment is an
// object key, an array index ("data.0.id"), or an array element chosen by
// one of its fields ("data[milestone=1].id", "data[guest=bob].status").
func jsonPath(v any, path string) (any, bool) {
	for _, seg := range strings.Split(path, ".") {
		key, selector, hasSelector := strings.Cut(seg, "[")
		switch node := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = node[key]; !ok {
				return nil, false
			}
		case []any:
			i, err := strconv.Atoi(key)
			if err != nil || i < 0 || i >= len(node) {
				return nil, false
			}
			v = node[i]
		default:
			return nil, false
		}
		if hasSelector {
			field, want, _ := strings.Cut(strings.TrimSuffix(selector, "]"), "=")
			items, _ := v.([]any)
			found := false
			for _, item := range items {
				if obj, ok := item.(map[string]any); ok && fmt.Sprint(obj[field]) == want {
					v, found = item, true
					break
				}
			}
			if !found {
				return nil, false
			}
		}
	}
	return v, true
}

// post and get start a step; the methods below complete it.
func post(name, path string, body any, status int) apiScenario {
	return apiScenario{name: name, method: http.MethodPost, path: path, body: body, wantStatus: status}
}

func get(name, path string, status int) apiScenario {
	return apiScenario{name: name, method: http.MethodGet, path: path, wantStatus: status}
}

func (s apiScenario) code(code string) apiScenario            { s.wantCode = code; return s }
func (s apiScenario) with(headers ...string) apiScenario      { s.headers = headers; return s }
func (s apiScenario) contains(subs ...string) apiScenario     { s.wantContains = subs; return s }
func (s apiScenario) lacks(subs ...string) apiScenario        { s.notContains = subs; return s }
func (s apiScenario) expect(want map[string]any) apiScenario  { s.wantJSON = want; return s }
func (s apiScenario) keep(vars map[string]string) apiScenario { s.save = vars; return s }

// then adds assertions the declarative fields cannot express.
func (s apiScenario) then(fn func(t *testing.T, r apiResponse, vars map[string]string)) apiScenario {
	s.after = fn
	return s
}

// event is an event body; an empty key is left out.
func event(participant, name, key string) map[string]any {
	e := map[string]any{"participant": participant, "name": name}
	if key != "" {
		e["idempotency_key"] = key
	}
	return e
}

func reward(description, kind string, quantity int) map[string]any {
	return map[string]any{"description": description, "kind": kind, "quantity": quantity}
}

func moneyReward(description, kind string, amount int) map[string]any {
	return map[string]any{"description": description, "kind": kind, "amount": amount, "currency": "USD"}
}

// defineEvents declares the tenant's custom events.
func defineEvents(names ...string) []apiScenario {
	steps := make([]apiScenario, len(names))
	for i, name := range names {
		steps[i] = post("define "+name, "/v1/event-definitions", map[string]any{"name": name, "description": "test"}, http.StatusCreated)
	}
	return steps
}

// TestManualCampaignScenario walks a campaign of single-use invitations:
// a host invites three guests; their events arrive out of order, duplicated
// and with keys in the body or the header; the host's progress and
// milestones (with the last one repeating) follow; rewards are redeemed and
// voided; a batch mixes good and bad events.
func TestManualCampaignScenario(t *testing.T) {
	a := newAPITenant(t)
	steps := defineEvents("signup_complete", "form_a_complete", "purchase_complete")
	steps = append(steps,
		apiScenario{name: "draft", method: http.MethodPut, path: "/v1/campaigns/spring", wantStatus: http.StatusOK, body: map[string]any{
			"name": "Spring", "mode": "invitation", "quest": map[string]any{"steps": []string{"signup_complete", "purchase_complete"}},
			"host_milestones":       []any{map[string]any{"count": 1, "reward": moneyReward("$10", "cash", 1000)}, map[string]any{"count": 2, "reward": moneyReward("$20", "cash", 2000)}},
			"repeat_last_milestone": true, "guest_reward": moneyReward("$5 credit", "credit", 500),
			"invitation_ttl_hours": 72, "signup_url": "https://shop.example/signup",
		}}.expect(map[string]any{"status": "draft", "draft.quest.steps.1": "purchase_complete"}),
		post("publish", "/v1/campaigns/spring/publish", map[string]any{"inflight": "keep"}, http.StatusOK).
			expect(map[string]any{"version": 1, "campaign.status": "active"}),

		// Participants: null or absent keeps a field, "" clears it.
		post("identify alice", "/v1/participants", map[string]any{"external_id": "alice", "email": "alice@example.com", "display_name": "Alice"}, http.StatusCreated).
			expect(map[string]any{"external_id": "alice", "email": "alice@example.com", "display_name": "Alice", "phone": nil}).keep(map[string]string{"alice_id": "id"}),
		post("update alice keeps her e-mail", "/v1/participants", map[string]any{"external_id": "alice", "display_name": "Alice A.", "email": nil, "phone": "+15551234567"}, http.StatusOK).
			expect(map[string]any{"id": "{alice_id}", "email": "alice@example.com", "display_name": "Alice A.", "phone": "+15551234567"}),
		post("clearing alice's phone", "/v1/participants", map[string]any{"external_id": "alice", "phone": ""}, http.StatusOK).
			expect(map[string]any{"phone": nil, "display_name": "Alice A."}),
		get("read alice", "/v1/participants/alice", http.StatusOK).expect(map[string]any{"id": "{alice_id}", "email": "alice@example.com"}),
		get("an unknown participant", "/v1/participants/nobody", http.StatusNotFound).code("participant_not_found"),
		post("an external id with a slash", "/v1/participants", map[string]any{"external_id": "org/42"}, http.StatusCreated),
		get("is read back escaped", "/v1/participants/org%2F42", http.StatusOK).expect(map[string]any{"external_id": "org/42"}),

		// Invitations.
		post("invite bob", "/v1/campaigns/spring/invitations", map[string]any{"host": "alice", "channel": "email", "recipient": "bob@example.com"}, http.StatusCreated).
			expect(map[string]any{"status": "pending", "host": "alice", "guest": nil, "kind": "invitation", "url": "https://tandem.test/i/{inv_bob_code}"}).
			contains(`"expires_at":"`, `"id":"inv_`).keep(map[string]string{"inv_bob": "id", "inv_bob_code": "code"}),
		post("invite carol", "/v1/campaigns/spring/invitations", map[string]any{"host": "alice", "channel": "sms"}, http.StatusCreated).
			with("Idempotency-Key", "invite-carol").keep(map[string]string{"inv_carol": "id", "inv_carol_code": "code"}),
		post("invite carol again with the same key", "/v1/campaigns/spring/invitations", map[string]any{"host": "alice", "channel": "sms"}, http.StatusCreated).
			with("Idempotency-Key", "invite-carol").expect(map[string]any{"id": "{inv_carol}"}),
		post("invite dave", "/v1/campaigns/spring/invitations", map[string]any{"host": "alice"}, http.StatusCreated).
			keep(map[string]string{"inv_dave": "id", "inv_dave_code": "code"}),
		post("a referrer code in a manual campaign", "/v1/campaigns/spring/referrer-code", map[string]any{"participant": "alice"}, http.StatusConflict).
			code("campaign_mode_mismatch"),

		// Claims: codes are case-insensitive.
		post("bob claims in lowercase", "/v1/claims", map[string]any{"code": "{lower:inv_bob_code}", "guest": "bob"}, http.StatusCreated).
			expect(map[string]any{"invitation.id": "{inv_bob}", "invitation.status": "claimed", "invitation.guest": "bob", "invitation.version": 1,
				"invitation.progress.done": 0, "invitation.progress.total": 2, "invitation.progress.next_step": "signup_complete",
				"invitation.url": "https://tandem.test/i/{inv_bob_code}"}),
		post("carol claims", "/v1/claims", map[string]any{"code": "{inv_carol_code}", "guest": "carol"}, http.StatusCreated),
		post("dave claims", "/v1/claims", map[string]any{"code": "{inv_dave_code}", "guest": "dave"}, http.StatusCreated),
		post("erin claims bob's invitation", "/v1/claims", map[string]any{"code": "{inv_bob_code}", "guest": "erin"}, http.StatusConflict).
			code("invitation_already_claimed"),

		// Events out of order and duplicated.
		post("bob purchases before signing up", "/v1/events", event("bob", "purchase_complete", "bob-purchase"), http.StatusAccepted).
			expect(map[string]any{"duplicate": false}).contains(`"id":"evt_`).keep(map[string]string{"evt_bob_purchase": "id"}),
		post("the same purchase again", "/v1/events", event("bob", "purchase_complete", "bob-purchase"), http.StatusAccepted).
			expect(map[string]any{"id": "{evt_bob_purchase}", "duplicate": true}),
		get("bob waits at his first step", "/v1/participants/alice/invitations", http.StatusOK).
			expect(map[string]any{"data[guest=bob].status": "claimed", "data[guest=bob].progress.done": 0, "data[guest=bob].progress.next_step": "signup_complete"}),
		post("bob signs up, key in the header", "/v1/events", map[string]any{"participant": "bob", "name": "signup_complete", "occurred_at": "2026-01-02T15:04:05Z"}, http.StatusAccepted).
			with("Idempotency-Key", "bob-signup").expect(map[string]any{"duplicate": false}).keep(map[string]string{"evt_bob_signup": "id"}),
		post("the same signup, key in the body", "/v1/events", map[string]any{"participant": "bob", "name": "signup_complete", "occurred_at": "2026-01-02T15:04:05Z", "idempotency_key": "bob-signup"}, http.StatusAccepted).
			expect(map[string]any{"id": "{evt_bob_signup}", "duplicate": true}),
		post("the same key in both", "/v1/events", map[string]any{"participant": "bob", "name": "signup_complete", "occurred_at": "2026-01-02T15:04:05Z", "idempotency_key": "bob-signup"}, http.StatusAccepted).
			with("Idempotency-Key", "bob-signup").expect(map[string]any{"id": "{evt_bob_signup}", "duplicate": true}),
		post("two different keys", "/v1/events", event("bob", "signup_complete", "bob-signup"), http.StatusUnprocessableEntity).
			with("Idempotency-Key", "other").code("idempotency_key_mismatch").expect(map[string]any{"error.field": "idempotency_key"}),
		post("the key with another event", "/v1/events", event("bob", "form_a_complete", "bob-signup"), http.StatusUnprocessableEntity).
			code("idempotency_key_reused"),
		post("an event without key, with properties", "/v1/events", map[string]any{"participant": "carol", "name": "signup_complete", "properties": map[string]any{"plan": "pro"}}, http.StatusAccepted).
			expect(map[string]any{"duplicate": false}),

		// Progress.
		get("alice's invitations", "/v1/participants/alice/invitations", http.StatusOK).
			expect(map[string]any{
				"object": "list", "has_more": false,
				"data[guest=bob].status": "completed", "data[guest=bob].progress.done": 2, "data[guest=bob].progress.next_step": nil,
				"data[guest=bob].completion_number": 1, "data[guest=bob].url": "https://tandem.test/i/{inv_bob_code}",
				"data[guest=carol].status": "claimed", "data[guest=carol].progress.done": 1, "data[guest=carol].progress.next_step": "purchase_complete",
				"data[guest=dave].progress.done": 0,
			}),
		get("a page of one", "/v1/participants/alice/invitations?limit=1", http.StatusOK).
			expect(map[string]any{"has_more": true, "data.0.id": "{inv_dave}"}).keep(map[string]string{"page1": "data.0.id"}),
		get("the next page", "/v1/participants/alice/invitations?limit=1&starting_after={page1}", http.StatusOK).
			expect(map[string]any{"has_more": true, "data.0.id": "{inv_carol}"}),
		get("an unknown host", "/v1/participants/nobody/invitations", http.StatusNotFound).code("participant_not_found"),

		// Rewards: bob's guest reward and alice's milestones, the last repeating.
		get("bob's guest reward", "/v1/participants/bob/rewards", http.StatusOK).
			expect(map[string]any{"data.0.reason": "guest", "data.0.amount": 500, "data.0.currency": "USD", "data.0.status": "issued", "data.0.invitation": "{inv_bob}"}),
		post("carol purchases", "/v1/events", event("carol", "purchase_complete", "carol-purchase"), http.StatusAccepted),
		post("dave completes through a batch", "/v1/events/batch", map[string]any{"events": []any{
			event("dave", "signup_complete", "dave-signup"), event("dave", "purchase_complete", "dave-purchase"),
		}}, http.StatusOK).expect(map[string]any{"results.0.status": "created", "results.1.status": "created"}),
		get("alice's milestones", "/v1/participants/alice/rewards", http.StatusOK).
			expect(map[string]any{
				"data[milestone=1].amount": 1000, "data[milestone=1].invitation": "{inv_bob}",
				"data[milestone=2].amount": 2000, "data[milestone=2].invitation": "{inv_carol}",
				"data[milestone=3].amount": 2000, "data[milestone=3].invitation": "{inv_dave}", "data[milestone=3].reason": "host_milestone",
			}).lacks(`"milestone":4`).keep(map[string]string{"m1": "data[milestone=1].id", "m2": "data[milestone=2].id", "m3": "data[milestone=3].id"}),

		// Redeem and void: repeating is a no-op, an impossible change a 409.
		post("redeem milestone 1", "/v1/rewards/{m1}/redeem", nil, http.StatusOK).expect(map[string]any{"id": "{m1}", "status": "redeemed"}),
		post("redeem it again", "/v1/rewards/{m1}/redeem", nil, http.StatusOK).expect(map[string]any{"status": "redeemed"}),
		post("void a redeemed token", "/v1/rewards/{m1}/void", nil, http.StatusConflict).code("reward_status_transition"),
		post("void milestone 2", "/v1/rewards/{m2}/void", "{}", http.StatusOK).expect(map[string]any{"status": "voided"}),
		post("void it again", "/v1/rewards/{m2}/void", nil, http.StatusOK).expect(map[string]any{"status": "voided"}),
		post("redeem a voided token", "/v1/rewards/{m2}/redeem", nil, http.StatusConflict).code("reward_status_transition"),
		post("redeem with a body", "/v1/rewards/{m3}/redeem", map[string]any{"note": "x"}, http.StatusUnprocessableEntity).
			code("unknown_field").expect(map[string]any{"error.field": "note"}),
		post("an unknown token", "/v1/rewards/rwd_nope/redeem", nil, http.StatusNotFound).code("reward_not_found"),
		get("the changes show", "/v1/participants/alice/rewards", http.StatusOK).
			expect(map[string]any{"data[milestone=1].status": "redeemed", "data[milestone=2].status": "voided", "data[milestone=3].status": "issued"}),

		// A batch with good and bad events: one result each, in order.
		post("a mixed batch", "/v1/events/batch", map[string]any{"events": []any{
			event("frank", "signup_complete", "frank-signup"),                                         // 0 created
			event("frank", "no_such_event", "frank-nope"),                                             // 1 unknown event
			map[string]any{"participant": "frank", "name": "signup_complete", "colour": "blue"},       // 2 unknown field
			event("bob", "purchase_complete", "bob-purchase"),                                         // 3 duplicate of an earlier event
			event("frank", "form_a_complete", "bob-purchase"),                                         // 4 key reused
			map[string]any{"name": "signup_complete"},                                                 // 5 no participant
			map[string]any{"participant": "frank", "name": "form_a_complete", "occurred_at": "x"},     // 6 bad timestamp
			map[string]any{"participant": "frank", "name": "form_a_complete", "properties": []int{1}}, // 7 properties not an object
			event("frank", "signup_complete", "frank-signup"),                                         // 8 duplicate within the batch
			"not an event",                           // 9
			event("frank", "invitation_claimed", ""), // 10 built in: only Tandem records it
		}}, http.StatusOK).expect(map[string]any{
			"results.0.index": 0, "results.0.status": "created", "results.0.duplicate": false,
			"results.1.status": "error", "results.1.error.code": "unknown_event", "results.1.error.field": "events[1].name",
			"results.2.error.code": "unknown_field", "results.2.error.field": "events[2].colour",
			"results.3.status": "duplicate", "results.3.duplicate": true, "results.3.id": "{evt_bob_purchase}",
			"results.4.error.code": "idempotency_key_reused", "results.4.error.field": "events[4].idempotency_key",
			"results.5.error.code": "missing_field", "results.5.error.field": "events[5].participant",
			"results.6.error.code": "invalid_timestamp", "results.6.error.field": "events[6].occurred_at",
			"results.7.error.code": "invalid_properties", "results.7.error.field": "events[7].properties",
			"results.8.status": "duplicate", "results.8.id": "{batch_first}",
			"results.9.index": 9, "results.9.error.code": "invalid_type", "results.9.error.field": "events[9]",
			"results.10.error.code": "reserved_event", "results.10.error.field": "events[10].name",
		}).keep(map[string]string{"batch_first": "results.0.id"}),
	)
	runScenarios(t, a, map[string]string{}, steps)
}
