package api

import (
	"net/http"
	"testing"
)

// Through the API, nothing personal is recorded under an erased
// participant's pseudonym: an upsert or a claim that brings the client it
// was made from, and an invitation with a recipient, answer 409
// participant_erased, and no client hash or recipient is kept for them.
// Under the pseudonym without personal data, they go through.
func TestErasedParticipantRecordsNothingThroughTheAPI(t *testing.T) {
	a := newAPITenant(t)
	call := func(method, path string, body any, status int) apiResponse {
		t.Helper()
		return mustCall(t, a, method, path, body, status)
	}
	call("POST", "/v1/event-definitions", map[string]any{"name": "signed_up"}, http.StatusCreated)
	call("PUT", "/v1/campaigns/spring", map[string]any{"name": "Spring", "mode": "invitation", "quest": map[string]any{"steps": []string{"signed_up"}},
		"host_milestones": []any{map[string]any{"count": 1, "reward": map[string]any{"description": "$10", "kind": "cash", "amount": 1000, "currency": "USD"}}}}, http.StatusOK)
	call("POST", "/v1/campaigns/spring/publish", nil, http.StatusOK)
	client := map[string]any{"ip": "192.0.2.1", "user_agent": "Zoe's browser"}
	call("POST", "/v1/participants", map[string]any{"external_id": "zoe", "email": "zoe@example.com", "client": client}, http.StatusCreated)
	code := call("POST", "/v1/campaigns/spring/invitations", map[string]any{"host": "amy"}, http.StatusCreated).JSON["code"]
	erased := call("POST", "/v1/participants/zoe/erase", nil, http.StatusOK)
	pseudonym, id := erased.JSON["external_id"], erased.JSON["id"]

	wantError(t, "an upsert with a client under the pseudonym",
		a.call(t, "POST", "/v1/participants", map[string]any{"external_id": pseudonym, "client": client}), http.StatusConflict, "participant_erased", "")
	wantError(t, "a claim with a client under the pseudonym",
		a.call(t, "POST", "/v1/claims", map[string]any{"code": code, "guest": pseudonym, "client": client}), http.StatusConflict, "participant_erased", "")
	wantError(t, "an invitation with a recipient from the pseudonym",
		a.call(t, "POST", "/v1/campaigns/spring/invitations", map[string]any{"host": pseudonym, "channel": "email", "recipient": "friend@example.com"}),
		http.StatusConflict, "participant_erased", "")

	call("POST", "/v1/participants", map[string]any{"external_id": pseudonym}, http.StatusOK)
	call("POST", "/v1/campaigns/spring/invitations", map[string]any{"host": pseudonym}, http.StatusCreated)
	call("POST", "/v1/claims", map[string]any{"code": code, "guest": pseudonym}, http.StatusCreated)
	var kept int64
	if err := env.Owner.Raw(`SELECT (SELECT count(*) FROM participant_clients WHERE tenant_id = ? AND participant_id = ?)
		+ (SELECT count(*) FROM invitations WHERE tenant_id = ? AND host_id = ? AND recipient <> '')`,
		a.created.TenantID, id, a.created.TenantID, id).Scan(&kept).Error; err != nil {
		t.Fatal(err)
	}
	if kept != 0 {
		t.Errorf("%d client hashes or recipients kept for the erased participant", kept)
	}
}
