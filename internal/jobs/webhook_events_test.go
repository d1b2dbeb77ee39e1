package jobs_test

import (
	"maps"
	"testing"
	"time"

	"github.com/tandemhq/tandem/internal/jobs"
)

// typesOf counts the delivered messages by type.
func typesOf(rcv *receiver) map[string]int {
	rcv.mu.Lock()
	defer rcv.mu.Unlock()
	got := map[string]int{}
	for _, typ := range rcv.types {
		got[typ]++
	}
	return got
}

// Participants: created by the API and on first mention by ingestion (one
// message each), updated when a field the API shows changes, and silent
// when an upsert changes nothing; each message's data is the participant
// as the API answered that change.
func TestParticipantWebhooks(t *testing.T) {
	rcv, srv := newReceiver(t, 0)
	api := newAPIClient(t)
	call := api.call
	ep := call("POST", "/v1/webhook-endpoints", map[string]any{"url": srv.URL,
		"events": []string{"participant.created", "participant.updated"}}, 201)
	rcv.setSecret(ep.JSON["secret"].(string))
	call("POST", "/v1/event-definitions", map[string]any{"name": "signup_complete"}, 201)

	created := call("POST", "/v1/participants", map[string]any{"external_id": "hana", "email": "hana@example.com"}, 201)
	updated := call("POST", "/v1/participants", map[string]any{"external_id": "hana", "display_name": "Hana"}, 200)
	call("POST", "/v1/participants", map[string]any{"external_id": "hana", "display_name": "Hana"}, 200)
	call("POST", "/v1/events/batch", map[string]any{"events": []any{
		map[string]any{"participant": "ida", "name": "signup_complete"},
		map[string]any{"participant": "jon", "name": "signup_complete"},
		map[string]any{"participant": "hana", "name": "signup_complete"}}}, 200)

	startServer(t, time.Now)
	eventually(t, "every delivery to finish", func() bool {
		return pendingDeliveries(t, api.created.TenantID) == 0 && len(typesOf(rcv)) > 0
	})
	if got, want := typesOf(rcv), map[string]int{"participant.created": 3, "participant.updated": 1}; !maps.Equal(got, want) {
		t.Errorf("delivered %v, want %v", got, want)
	}
	bodies := bodiesByType(t, rcv)
	var sawHana bool
	for _, b := range bodies["participant.created"] {
		if b.Data["external_id"] == "hana" {
			sawHana = true
			if !sameJSON(b.Data, created.JSON) {
				t.Errorf("participant.created sent\n%v\nthe API answered\n%v", b.Data, created.JSON)
			}
		}
	}
	if !sawHana {
		t.Errorf("no participant.created for hana: %v", bodies["participant.created"])
	}
	if u := bodies["participant.updated"]; len(u) != 1 || !sameJSON(u[0].Data, updated.JSON) {
		t.Errorf("participant.updated sent %v; the API answered\n%v", u, updated.JSON)
	}
}

// Campaigns: paused and ended, each with the campaign as that change left
// it (a published one's version in force, no draft).
func TestCampaignStatusWebhooks(t *testing.T) {
	rcv, srv := newReceiver(t, 0)
	api := newAPIClient(t)
	call := api.call
	ep := call("POST", "/v1/webhook-endpoints", map[string]any{"url": srv.URL,
		"events": []string{"campaign.paused", "campaign.ended"}}, 201)
	rcv.setSecret(ep.JSON["secret"].(string))
	call("POST", "/v1/event-definitions", map[string]any{"name": "signup_complete"}, 201)
	call("PUT", "/v1/campaigns/winter", map[string]any{"name": "Winter", "mode": "invitation",
		"quest": map[string]any{"steps": []string{"signup_complete"}}}, 200)
	call("POST", "/v1/campaigns/winter/publish", nil, 200)
	call("POST", "/v1/campaigns/winter/pause", nil, 200)
	call("POST", "/v1/campaigns/winter/resume", nil, 200)
	call("POST", "/v1/campaigns/winter/end", nil, 200)

	startServer(t, time.Now)
	eventually(t, "every delivery to finish", func() bool {
		return pendingDeliveries(t, api.created.TenantID) == 0 && len(typesOf(rcv)) > 0
	})
	bodies := bodiesByType(t, rcv)
	paused, ended := bodies["campaign.paused"], bodies["campaign.ended"]
	if len(paused) != 1 || len(ended) != 1 || len(bodies) != 2 {
		t.Fatalf("delivered %v", bodies)
	}
	if paused[0].Data["status"] != "paused" || ended[0].Data["status"] != "ended" || ended[0].Data["draft"] != nil ||
		ended[0].Data["version"].(map[string]any)["version"] != 1.0 || paused[0].ID >= ended[0].ID {
		t.Errorf("paused %v, then ended %v", paused[0], ended[0])
	}
}

// A Stripe reward's fulfilment: reward.fulfilment_failed while Stripe is
// down (with Stripe's error), reward.fulfilled after a retry, each with
// the reward's fulfilment as it then stood.
func TestRewardFulfilmentWebhooks(t *testing.T) {
	rec := newStripeRecorder(t)
	call := stripeTenant(t, rec)
	rcv, srv := newReceiver(t, 0)
	ep := call("POST", "/v1/webhook-endpoints", map[string]any{"url": srv.URL,
		"events": []string{"reward.fulfilled", "reward.fulfilment_failed"}}, 201)
	rcv.setSecret(ep.JSON["secret"].(string))
	startServer(t, time.Now, func(c *jobs.Config) {
		c.StripeAPIBase = rec.URL
		c.FulfilmentBackoff = func(int) time.Duration { return time.Hour }
	})
	rec.down.Store(true)
	call("POST", "/v1/participants", map[string]any{"external_id": "kai", "stripe_customer_id": "cus_Kai1"}, 201)
	coupon, _ := completeQuest(call, "paid", "lea", "kai",
		map[string]any{"description": "5 EUR off", "kind": "stripe_coupon", "amount": 500, "currency": "EUR"},
		map[string]any{"description": "thanks", "kind": "credit", "amount": 100, "currency": "EUR"})
	eventually(t, "the failure's message", func() bool { return typesOf(rcv)["reward.fulfilment_failed"] == 1 })
	rec.down.Store(false)
	call("POST", "/v1/rewards/"+coupon+"/retry-fulfilment", nil, 200)
	eventually(t, "the fulfilment's message", func() bool { return typesOf(rcv)["reward.fulfilled"] == 1 })

	bodies := bodiesByType(t, rcv)
	failed, fulfilled := bodies["reward.fulfilment_failed"][0], bodies["reward.fulfilled"][0]
	ff, _ := failed.Data["fulfilment"].(map[string]any)
	fd, _ := fulfilled.Data["fulfilment"].(map[string]any)
	if failed.Data["id"] != coupon || ff["status"] != "failed" || ff["error"] == "" {
		t.Errorf("reward.fulfilment_failed sent %v", failed.Data)
	}
	if fulfilled.Data["id"] != coupon || fd["status"] != "fulfilled" || fd["code"] == nil || failed.ID >= fulfilled.ID {
		t.Errorf("reward.fulfilled sent %v", fulfilled.Data)
	}
	if got := typesOf(rcv); len(got) != 2 {
		t.Errorf("delivered %v: only the subscribed types", got)
	}
}
