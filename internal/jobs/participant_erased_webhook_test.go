package jobs_test

import (
	"strings"
	"testing"
	"time"
)

// Erasure records participant.erased, whose data is the participant as the
// API answers it afterwards; every message about them that is sent after
// the erasure, however old, is rendered without their personal data (and
// every body still matches the OpenAPI document: the receiver checks).
func TestParticipantErasedWebhook(t *testing.T) {
	rcv, srv := newReceiver(t, 0)
	api := newAPIClient(t)
	call := api.call
	ep := call("POST", "/v1/webhook-endpoints", map[string]any{"url": srv.URL, "events": []string{"*"}}, 201)
	rcv.setSecret(ep.JSON["secret"].(string))
	call("POST", "/v1/event-definitions", map[string]any{"name": "signup_complete"}, 201)
	call("PUT", "/v1/campaigns/spring", map[string]any{"name": "Spring", "mode": "invitation",
		"quest": map[string]any{"steps": []string{"signup_complete"}}}, 200)
	call("POST", "/v1/campaigns/spring/publish", nil, 200)
	call("POST", "/v1/participants", map[string]any{"external_id": "hana-7c2e", "email": "hana.erase@example.com"}, 201)
	call("POST", "/v1/participants", map[string]any{"external_id": "hana-7c2e", "display_name": "Hana Erasmus"}, 200)
	call("POST", "/v1/campaigns/spring/invitations", map[string]any{"host": "hana-7c2e", "recipient": "ivy.erase@example.com"}, 201)
	erased := call("POST", "/v1/participants/hana-7c2e/erase", nil, 200)
	pseudonym := erased.JSON["external_id"].(string)
	after := call("GET", "/v1/participants/"+pseudonym, nil, 200)

	startServer(t, time.Now)
	eventually(t, "every delivery to finish", func() bool {
		return pendingDeliveries(t, api.created.TenantID) == 0 && len(typesOf(rcv)) > 0
	})
	bodies := bodiesByType(t, rcv)
	if e := bodies["participant.erased"]; len(e) != 1 || !sameJSON(e[0].Data, after.JSON) {
		t.Errorf("participant.erased sent %v; the API answers\n%v", e, after.JSON)
	}
	if len(bodies["participant.created"]) != 1 || len(bodies["participant.updated"]) != 1 || len(bodies["invitation.created"]) != 1 {
		t.Errorf("delivered %v", typesOf(rcv))
	}
	rcv.mu.Lock()
	defer rcv.mu.Unlock()
	for id, body := range rcv.bodies {
		for _, v := range []string{"hana-7c2e", "hana.erase@example.com", "Hana Erasmus", "ivy.erase@example.com"} {
			if strings.Contains(body, v) {
				t.Errorf("message %s, sent after the erasure, holds %s: %s", id, v, body)
			}
		}
	}
}
