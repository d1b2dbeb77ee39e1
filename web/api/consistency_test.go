package api

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// consistencyTenant has a manual campaign "spring" and a referrer-code
// campaign "friends", both live, whose quest is signup_complete.
func consistencyTenant(t *testing.T) *apiTenant {
	t.Helper()
	a := newAPITenant(t)
	mustCall(t, a, "POST", "/v1/event-definitions", map[string]any{"name": "signup_complete"}, http.StatusCreated)
	mustCall(t, a, "POST", "/v1/event-definitions", map[string]any{"name": "purchase_complete"}, http.StatusCreated)
	for slug, mode := range map[string]string{"spring": "invitation", "friends": "referrer_code"} {
		mustCall(t, a, "PUT", "/v1/campaigns/"+slug, map[string]any{"name": slug, "mode": mode,
			"quest":           map[string]any{"steps": []string{"signup_complete"}},
			"host_milestones": []any{map[string]any{"count": 1, "reward": moneyReward("$5", "cash", 500)}}, "repeat_last_milestone": true,
			"guest_reward": reward("1 ticket", "ticket", 1)}, http.StatusOK)
		mustCall(t, a, "POST", "/v1/campaigns/"+slug+"/publish", nil, http.StatusOK)
	}
	return a
}

// wantError fails unless r is status with code, and, when field is not
// empty, that field; it returns the message.
func wantError(t *testing.T, what string, r apiResponse, status int, code, field string) string {
	t.Helper()
	e, _ := r.JSON["error"].(map[string]any)
	if r.Status != status || r.ErrorCode() != code || (field != "" && e["field"] != field) {
		t.Fatalf("%s: %d %s, want %d %s (field %q)", what, r.Status, r.Body, status, code, field)
	}
	message, _ := e["message"].(string)
	return message
}

// A referrer code names its host as an invitation does (host), and still
// takes participant, the name it had first.
func TestReferrerCodeTakesHost(t *testing.T) {
	a := consistencyTenant(t)
	path := "/v1/campaigns/friends/referrer-code"
	byHost := mustCall(t, a, "POST", path, map[string]any{"host": "erin"}, http.StatusOK).JSON["code"]
	byParticipant := mustCall(t, a, "POST", path, map[string]any{"participant": "erin"}, http.StatusOK).JSON["code"]
	both := mustCall(t, a, "POST", path, map[string]any{"host": "erin", "participant": "erin"}, http.StatusOK).JSON["code"]
	if byHost == nil || byHost != byParticipant || byHost != both {
		t.Errorf("one host, three codes: %v %v %v", byHost, byParticipant, both)
	}
	wantError(t, "two different hosts", a.call(t, "POST", path, map[string]any{"host": "erin", "participant": "frank"}),
		http.StatusUnprocessableEntity, "conflicting_fields", "participant")
	wantError(t, "no host", a.call(t, "POST", path, map[string]any{}), http.StatusUnprocessableEntity, "missing_field", "host")
}

// Every resource with a PUT has a GET that reads what the PUT saved.
func TestWidgetSettingsCanBeRead(t *testing.T) {
	a := newAPITenant(t)
	r := mustCall(t, a, "GET", "/v1/widget/settings", nil, http.StatusOK)
	if origins, _ := r.JSON["allowed_origins"].([]any); origins == nil || len(origins) != 0 || r.JSON["updated_at"] != nil {
		t.Errorf("before any save: %s", r.Body)
	}
	mustCall(t, a, "PUT", "/v1/widget/settings", map[string]any{"allowed_origins": []string{"https://Shop.example:443"}}, http.StatusOK)
	r = mustCall(t, a, "GET", "/v1/widget/settings", nil, http.StatusOK)
	if origins, _ := r.JSON["allowed_origins"].([]any); len(origins) != 1 || origins[0] != "https://shop.example" || r.JSON["updated_at"] == nil {
		t.Errorf("after a save: %s", r.Body)
	}
}

// listIDs is the ids of a list response's data, in order.
func listIDs(r apiResponse) []string {
	var ids []string
	data, _ := r.JSON["data"].([]any)
	for _, item := range data {
		m, _ := item.(map[string]any)
		ids = append(ids, fmt.Sprint(m["id"]))
	}
	return ids
}

// listAt is the ids of the list at path, in order.
func listAt(t *testing.T, a *apiTenant, path string) []string {
	t.Helper()
	return listIDs(mustCall(t, a, "GET", path, nil, http.StatusOK))
}

// sameIDs checks a list's ids, in order.
func sameIDs(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("%s: got %v, want %v", what, got, want)
	}
}

// The tenant-wide lists filter by what they say, combine filters, and page
// with the cursor every list uses, newest first.
func TestTenantWideLists(t *testing.T) {
	a := consistencyTenant(t)
	var invs []string
	for i, guest := range []string{"g1", "g2", "g3"} {
		r := mustCall(t, a, "POST", "/v1/campaigns/spring/invitations", map[string]any{"host": "hana"}, http.StatusCreated)
		invs = append(invs, fmt.Sprint(r.JSON["id"]))
		if i < 2 { // g3's stays pending
			mustCall(t, a, "POST", "/v1/claims", map[string]any{"code": r.JSON["code"], "guest": guest}, http.StatusCreated)
		}
	}
	mustCall(t, a, "POST", "/v1/events", map[string]any{"participant": "g1", "name": "signup_complete"}, http.StatusAccepted)
	code := mustCall(t, a, "POST", "/v1/campaigns/friends/referrer-code", map[string]any{"host": "ivan"}, http.StatusOK).JSON["code"]
	friendsInv := mustCall(t, a, "POST", "/v1/claims", map[string]any{"code": code, "guest": "g4"}, http.StatusCreated).JSON["invitation"].(map[string]any)["id"]

	list := func(path string) []string { t.Helper(); return listAt(t, a, path) }
	same := func(what string, got []string, want ...string) { t.Helper(); sameIDs(t, what, got, want...) }
	same("all invitations, newest first", list("/v1/invitations"), fmt.Sprint(friendsInv), invs[2], invs[1], invs[0])
	same("spring's", list("/v1/invitations?campaign=spring"), invs[2], invs[1], invs[0])
	same("pending", list("/v1/invitations?status=pending"), invs[2])
	same("completed", list("/v1/invitations?status=completed"), invs[0])
	same("hana's claimed", list("/v1/invitations?host=hana&status=claimed"), invs[1])
	same("g4's", list("/v1/invitations?guest=g4"), fmt.Sprint(friendsInv))
	same("an unknown campaign", list("/v1/invitations?campaign=nope"))
	page1 := mustCall(t, a, "GET", "/v1/invitations?limit=2", nil, http.StatusOK)
	if page1.JSON["has_more"] != true {
		t.Errorf("the first of two pages: %s", page1.Body)
	}
	same("the second page", list("/v1/invitations?limit=2&starting_after="+listIDs(page1)[1]), invs[1], invs[0])

	// Rewards: g1's ticket and hana's $5 (g1 completed).
	all := list("/v1/rewards")
	if len(all) != 2 {
		t.Fatalf("rewards: %v", all)
	}
	same("hana's", list("/v1/rewards?participant=hana"), listIDs(mustCall(t, a, "GET", "/v1/participants/hana/rewards", nil, http.StatusOK))...)
	same("spring's issued", list("/v1/rewards?status=issued&campaign=spring"), all...)
	same("friends'", list("/v1/rewards?campaign=friends"))
	mustCall(t, a, "POST", "/v1/rewards/"+all[0]+"/redeem", nil, http.StatusOK)
	same("redeemed", list("/v1/rewards?status=redeemed"), all[0])
	same("the second page", list("/v1/rewards?limit=1&starting_after="+all[0]), all[1])
	one := mustCall(t, a, "GET", "/v1/rewards/"+all[0], nil, http.StatusOK)
	if one.JSON["id"] != all[0] || one.JSON["status"] != "redeemed" {
		t.Errorf("one reward: %s", one.Body)
	}
	wantError(t, "an unknown reward", a.call(t, "GET", "/v1/rewards/rwd_00000000000000000000000000000000", nil), http.StatusNotFound, "reward_not_found", "")

	// The creation range: strictly after, strictly before.
	q := func(name string, at time.Time) string {
		return name + "=" + url.QueryEscape(at.Format(time.RFC3339Nano))
	}
	future, past := time.Now().Add(time.Hour), time.Now().Add(-time.Hour)
	same("created after the future", list("/v1/invitations?"+q("created_after", future)))
	same("created before the past", list("/v1/rewards?"+q("created_before", past)))
	same("created in the last hour", list("/v1/invitations?campaign=spring&"+q("created_after", past)+"&"+q("created_before", future)), invs[2], invs[1], invs[0])

	// Refusals name their parameter.
	wantError(t, "a bad time", a.call(t, "GET", "/v1/rewards?created_after=yesterday", nil), http.StatusUnprocessableEntity, "invalid_timestamp", "created_after")
	wantError(t, "a bad status", a.call(t, "GET", "/v1/invitations?status=lost", nil), http.StatusUnprocessableEntity, "invalid_status", "status")
	wantError(t, "an unknown participant", a.call(t, "GET", "/v1/rewards?participant=nobody", nil), http.StatusNotFound, "participant_not_found", "")
	wantError(t, "a bad cursor", a.call(t, "GET", "/v1/invitations?starting_after=x", nil), http.StatusBadRequest, "invalid_cursor", "starting_after")
}

// Refusals name the values they are about: the modes of a mode mismatch,
// and the defined name nearest to an unknown event's.
func TestErrorsNameTheirValues(t *testing.T) {
	a := consistencyTenant(t)
	msg := wantError(t, "an invitation in a referrer-code campaign",
		a.call(t, "POST", "/v1/campaigns/friends/invitations", map[string]any{"host": "hana"}), http.StatusConflict, "campaign_mode_mismatch", "")
	if !strings.Contains(msg, "referrer_code mode") || !strings.Contains(msg, "in invitation mode") || !strings.Contains(msg, `"friends"`) {
		t.Errorf("the message does not name both modes: %q", msg)
	}
	msg = wantError(t, "a referrer code in a manual campaign",
		a.call(t, "POST", "/v1/campaigns/spring/referrer-code", map[string]any{"host": "hana"}), http.StatusConflict, "campaign_mode_mismatch", "")
	if !strings.Contains(msg, "is in invitation mode") || !strings.Contains(msg, "in referrer_code mode") {
		t.Errorf("the message does not name both modes: %q", msg)
	}

	msg = wantError(t, "a near miss", a.call(t, "POST", "/v1/events", map[string]any{"participant": "g1", "name": "signup_completed"}),
		http.StatusUnprocessableEntity, "unknown_event", "name")
	if !strings.Contains(msg, `did you mean "signup_complete"?`) {
		t.Errorf("no suggestion: %q", msg)
	}
	msg = wantError(t, "a far miss", a.call(t, "POST", "/v1/events", map[string]any{"participant": "g1", "name": "refund_issued"}),
		http.StatusUnprocessableEntity, "unknown_event", "name")
	if strings.Contains(msg, "did you mean") {
		t.Errorf("a suggestion for a name nothing is near: %q", msg)
	}
	// Built-in events are never suggested: they cannot be sent.
	msg = wantError(t, "near a built-in", a.call(t, "POST", "/v1/events", map[string]any{"participant": "g1", "name": "invitation_claim"}),
		http.StatusUnprocessableEntity, "unknown_event", "name")
	if strings.Contains(msg, "did you mean") {
		t.Errorf("a built-in event suggested: %q", msg)
	}

	batch := mustCall(t, a, "POST", "/v1/events/batch", map[string]any{"events": []any{
		map[string]any{"participant": "g1", "name": "signup_complete"},
		map[string]any{"participant": "g1", "name": "purchase_completed"},
	}}, http.StatusOK)
	results, _ := batch.JSON["results"].([]any)
	second, _ := results[1].(map[string]any)
	e, _ := second["error"].(map[string]any)
	if e["code"] != "unknown_event" || e["field"] != "events[1].name" || !strings.Contains(fmt.Sprint(e["message"]), `did you mean "purchase_complete"?`) {
		t.Errorf("the batch's unknown event: %s", batch.Body)
	}
}
