package jobs_test

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/tandemhq/tandem/models"
)

// webhookBody is a delivered body, its data left as decoded JSON.
type webhookBody struct {
	ID         string         `json:"id"`
	Type       string         `json:"type"`
	APIVersion string         `json:"api_version"`
	CreatedAt  time.Time      `json:"created_at"`
	Data       map[string]any `json:"data"`
}

// bodiesByType decodes the bodies a receiver got, keyed by type, checking
// the envelope: the body's id is the webhook-id it came with.
func bodiesByType(t *testing.T, rcv *receiver) map[string][]webhookBody {
	t.Helper()
	rcv.mu.Lock()
	defer rcv.mu.Unlock()
	out := map[string][]webhookBody{}
	for id, raw := range rcv.bodies {
		var b webhookBody
		if err := json.Unmarshal([]byte(raw), &b); err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		if b.ID != id || b.APIVersion != models.WebhookAPIVersion || b.CreatedAt.IsZero() {
			t.Errorf("envelope of %s: id %q, api_version %q, created_at %v", id, b.ID, b.APIVersion, b.CreatedAt)
		}
		out[b.Type] = append(out[b.Type], b)
	}
	return out
}

// sameJSON compares two decoded JSON objects, reading strings that are
// times as instants (the database and Go print the same time differently).
func sameJSON(a, b any) bool {
	as, aok := a.(string)
	bs, bok := b.(string)
	if aok && bok {
		at, aerr := time.Parse(time.RFC3339Nano, as)
		bt, berr := time.Parse(time.RFC3339Nano, bs)
		if aerr == nil && berr == nil {
			return at.Equal(bt)
		}
		return as == bs
	}
	am, aok := a.(map[string]any)
	bm, bok := b.(map[string]any)
	if aok && bok {
		if len(am) != len(bm) {
			return false
		}
		for k, v := range am {
			if w, ok := bm[k]; !ok || !sameJSON(v, w) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(a, b)
}

// A message carries its object as the change left it, even when later
// changes commit before it is first sent: the jobs start only after the
// invitation is created, claimed and its guest's first step done, and
// invitation.created still shows it pending, as the API answered its
// creation; invitation.claimed shows the claim as the API answered it.
func TestWebhookDataIsTheObjectAsCommitted(t *testing.T) {
	rcv, srv := newReceiver(t, 0)
	api := newAPIClient(t)
	call := api.call
	ep := call("POST", "/v1/webhook-endpoints", map[string]any{"url": srv.URL + "/hooks", "events": []string{"*"}}, 201)
	rcv.setSecret(ep.JSON["secret"].(string))
	for _, name := range []string{"signup_complete", "purchase_complete"} {
		call("POST", "/v1/event-definitions", map[string]any{"name": name}, 201)
	}
	call("PUT", "/v1/campaigns/summer", map[string]any{"name": "Summer", "mode": "invitation",
		"quest": map[string]any{"steps": []string{"signup_complete", "purchase_complete"}}}, 200)
	call("POST", "/v1/campaigns/summer/publish", nil, 200)
	created := call("POST", "/v1/campaigns/summer/invitations", map[string]any{"host": "hana"}, 201)
	claimed := call("POST", "/v1/claims", map[string]any{"code": created.JSON["code"], "guest": "gus"}, 201)
	call("POST", "/v1/events", map[string]any{"participant": "gus", "name": "signup_complete"}, 202)
	now := call("GET", "/v1/participants/hana/invitations", nil, 200).JSON["data"].([]any)[0].(map[string]any)

	startServer(t, time.Now)
	eventually(t, "every delivery to finish", func() bool {
		rcv.mu.Lock()
		defer rcv.mu.Unlock()
		return len(rcv.delivered) >= 4 && pendingDeliveries(t, api.created.TenantID) == 0
	})
	got := bodiesByType(t, rcv)
	if len(got["invitation.created"]) != 1 || len(got["invitation.claimed"]) != 1 || len(got["quest.progressed"]) != 1 {
		t.Fatalf("delivered %v", got)
	}
	if data := got["invitation.created"][0].Data; !sameJSON(data, created.JSON) {
		t.Errorf("invitation.created sent\n%v\nthe API answered its creation\n%v", data, created.JSON)
	}
	if data := got["invitation.claimed"][0].Data; !sameJSON(data, claimed.JSON["invitation"]) {
		t.Errorf("invitation.claimed sent\n%v\nthe API answered the claim\n%v", data, claimed.JSON["invitation"])
	}
	progressed := got["quest.progressed"][0].Data
	if progressed["step"] != "signup_complete" || progressed["done"] != 1.0 || !sameJSON(progressed["invitation"], now) {
		t.Errorf("quest.progressed sent\n%v\nthe invitation is now\n%v", progressed, now)
	}
	published := got["campaign.published"]
	if len(published) != 1 || published[0].Data["status"] != "active" || published[0].Data["current_version"] != 1.0 ||
		published[0].Data["version"].(map[string]any)["version"] != 1.0 {
		t.Errorf("campaign.published sent %v", published)
	}
}
