package api

import (
	"net/http"
	"strings"
	"testing"
)

// TestShowInvitationByReferrerCode: GET /v1/invitations/{code} names one
// manual invitation. A referrer code, even one that referrals were claimed
// through, names none of them: 404 invitation_not_found, as documented,
// never one of its referrals; a code that cannot be one is 422.
func TestShowInvitationByReferrerCode(t *testing.T) {
	a := newAPITenant(t)
	publishManualCampaign(t, a, "letters")
	mustCall(t, a, "PUT", "/v1/campaigns/friends", map[string]any{"name": "Friends", "mode": "referrer_code",
		"quest": map[string]any{"steps": []string{"signup_complete"}}}, http.StatusOK)
	mustCall(t, a, "POST", "/v1/campaigns/friends/publish", nil, http.StatusOK)
	for _, p := range []string{"host", "guest", "friend"} {
		mustCall(t, a, "POST", "/v1/participants", map[string]any{"external_id": p}, http.StatusCreated)
	}
	code := mustCall(t, a, "POST", "/v1/campaigns/friends/referrer-code", map[string]any{"participant": "host"}, http.StatusOK).JSON["code"].(string)
	mustCall(t, a, "POST", "/v1/claims", map[string]any{"code": code, "guest": "guest"}, http.StatusCreated)

	for _, c := range []string{code, strings.ToLower(code)} {
		if r := mustCall(t, a, "GET", "/v1/invitations/"+c, nil, http.StatusNotFound); r.ErrorCode() != "invitation_not_found" {
			t.Errorf("the referrer code %s: %s, want invitation_not_found", c, r.Body)
		}
	}
	manual := mustCall(t, a, "POST", "/v1/campaigns/letters/invitations", map[string]any{"host": "host"}, http.StatusCreated).JSON
	mustCall(t, a, "POST", "/v1/claims", map[string]any{"code": manual["code"], "guest": "friend"}, http.StatusCreated)
	if r := mustCall(t, a, "GET", "/v1/invitations/"+manual["code"].(string), nil, http.StatusOK); r.JSON["id"] != manual["id"] || r.JSON["guest"] != "friend" {
		t.Errorf("the manual invitation: %s", r.Body)
	}
	if r := mustCall(t, a, "GET", "/v1/invitations/not-a-code!", nil, http.StatusUnprocessableEntity); r.ErrorCode() != "invalid_code" {
		t.Errorf("a malformed code: %s", r.Body)
	}
}
