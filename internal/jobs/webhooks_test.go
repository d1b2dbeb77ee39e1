package jobs_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
	"github.com/tandemhq/tandem/web/api"
)

// receiver is a tenant's webhook endpoint: it answers 500 to the first
// failFirst attempts of every message, then 204, and keeps what it got.
type receiver struct {
	t         *testing.T
	failFirst int
	mu        sync.Mutex
	verify    *standardwebhooks.Webhook
	attempts  map[string]int      // webhook-id → attempts seen
	delivered map[string]struct{} // webhook-id → answered 2xx (once)
	types     []string            // the type of each message answered 2xx
	bodies    map[string]string   // webhook-id → the body of its first attempt
	problems  []string
}

func newReceiver(t *testing.T, failFirst int) (*receiver, *httptest.Server) {
	r := &receiver{t: t, failFirst: failFirst, attempts: map[string]int{}, delivered: map[string]struct{}{}, bodies: map[string]string{}}
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	return r, srv
}

func (r *receiver) setSecret(secret string) {
	wh, err := standardwebhooks.NewWebhook(secret)
	if err != nil {
		r.t.Fatal(err)
	}
	r.mu.Lock()
	r.verify = wh
	r.mu.Unlock()
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	defer r.mu.Unlock()
	id := req.Header.Get("webhook-id")
	// Verified by the Standard Webhooks reference library, not our code.
	if err := r.verify.Verify(body, req.Header); err != nil {
		r.problems = append(r.problems, "unverified "+id+": "+err.Error())
	}
	// Every body any test receives is held to the OpenAPI document.
	for _, p := range api.CheckWebhook(body) {
		r.t.Errorf("webhook %s does not match the OpenAPI document: %s", id, p)
	}
	if first, seen := r.bodies[id]; seen && first != string(body) {
		r.problems = append(r.problems, "a retry of "+id+" changed the body")
	}
	r.bodies[id] = string(body)
	r.attempts[id]++
	if r.attempts[id] <= r.failFirst {
		http.Error(w, "not yet", http.StatusInternalServerError)
		return
	}
	if _, again := r.delivered[id]; again {
		r.problems = append(r.problems, "delivered twice: "+id)
	}
	r.delivered[id] = struct{}{}
	var msg struct {
		Type string          `json:"type"`
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(body, &msg); err != nil || len(msg.Data) < 2 {
		r.problems = append(r.problems, "body "+string(body))
	}
	r.types = append(r.types, msg.Type)
	w.WriteHeader(http.StatusNoContent)
}

// eventually waits until done says so; the generous bound only turns a
// hang into a failure, no assertion depends on how long it takes.
func eventually(t *testing.T, what string, done func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !done() {
		if time.Now().After(deadline) {
			t.Fatalf("still waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// pendingDeliveries counts the tenant's deliveries not yet finished.
func pendingDeliveries(t *testing.T, tenant uuid.UUID) int {
	t.Helper()
	var n int
	if err := env.Owner.Raw(`SELECT count(*) FROM webhook_deliveries WHERE tenant_id = ? AND status = 'pending'`, tenant).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// TestWebhooksReferralToCompletion is the webhooks' whole path: a referral
// driven to completion through the API, with two job servers on one
// database and a receiver that fails the first two attempts of every
// message. The receiver ends with every expected message exactly once by
// webhook-id, each verified by the reference library; a change rolled
// back sends nothing.
func TestWebhooksReferralToCompletion(t *testing.T) {
	rcv, srv := newReceiver(t, 2)
	api := newAPIClient(t)
	call, created := api.call, api.created
	ep := call("POST", "/v1/webhook-endpoints", map[string]any{"url": srv.URL + "/hooks", "events": []string{"*"}}, 201)
	rcv.setSecret(ep.JSON["secret"].(string))

	// Two servers work the same queue.
	startServer(t, time.Now)
	startServer(t, time.Now)

	for _, name := range []string{"signup_complete", "purchase_complete"} {
		call("POST", "/v1/event-definitions", map[string]any{"name": name}, 201)
	}
	cash := func(amount int) map[string]any {
		return map[string]any{"description": "cash", "kind": "cash", "amount": amount, "currency": "USD"}
	}
	call("PUT", "/v1/campaigns/spring", map[string]any{"name": "Spring", "mode": "invitation",
		"quest":           map[string]any{"steps": []string{"signup_complete", "purchase_complete"}},
		"host_milestones": []any{map[string]any{"count": 1, "reward": cash(1000)}}, "guest_reward": cash(500)}, 200)
	call("POST", "/v1/campaigns/spring/publish", nil, 200)
	inv := call("POST", "/v1/campaigns/spring/invitations", map[string]any{"host": "hana"}, 201)
	call("POST", "/v1/claims", map[string]any{"code": inv.JSON["code"], "guest": "gus"}, 201)
	call("POST", "/v1/events", map[string]any{"participant": "gus", "name": "signup_complete"}, 202)
	call("POST", "/v1/events", map[string]any{"participant": "gus", "name": "purchase_complete"}, 202)
	rewards := call("GET", "/v1/participants/gus/rewards", nil, 200)
	reward := rewards.JSON["data"].([]any)[0].(map[string]any)["id"].(string)
	call("POST", "/v1/rewards/"+reward+"/redeem", nil, 200)

	// A claim that rolls back: no message, no delivery.
	rolledBack := errors.New("roll back")
	var lost models.Invitation
	err := tenants.WithTenant(context.Background(), env.App, created.TenantID, func(ctx context.Context) error {
		var err error
		if lost, err = models.CreateInvitation(ctx, "spring", models.InvitationInput{Host: "hana"}); err != nil {
			return err
		}
		return rolledBack
	})
	if !errors.Is(err, rolledBack) {
		t.Fatal(err)
	}

	want := map[string]int{"campaign.published": 1, "participant.created": 2, "invitation.created": 1, "invitation.claimed": 1,
		"quest.progressed": 2, "invitation.completed": 1, "reward.issued": 2, "reward.redeemed": 1}
	total := 0
	for _, n := range want {
		total += n
	}
	eventually(t, "every delivery to finish", func() bool {
		rcv.mu.Lock()
		defer rcv.mu.Unlock()
		return len(rcv.delivered) >= total && pendingDeliveries(t, created.TenantID) == 0
	})

	rcv.mu.Lock()
	defer rcv.mu.Unlock()
	for _, p := range rcv.problems {
		t.Error(p)
	}
	got := map[string]int{}
	for _, typ := range rcv.types {
		got[typ]++
	}
	if !maps.Equal(got, want) {
		t.Errorf("delivered %v, want %v", got, want)
	}
	for id, n := range rcv.attempts {
		if n != 3 {
			t.Errorf("%s: %d attempts, want 3 (two failures, then success)", id, n)
		}
	}
	if lost.ID == "" {
		t.Fatal("the rolled-back transaction made no invitation")
	}
	for _, body := range rcv.bodies {
		if containsID(body, lost.ID) {
			t.Errorf("the rolled-back invitation %s was sent: %s", lost.ID, body)
		}
	}
	// The delivery log says the same: three attempts each, succeeded.
	log := call("GET", "/v1/webhook-endpoints/"+ep.JSON["id"].(string)+"/deliveries?limit=100", nil, 200)
	for _, d := range log.JSON["data"].([]any) {
		d := d.(map[string]any)
		if d["status"] != "succeeded" || len(d["attempts"].([]any)) != 3 {
			t.Errorf("delivery %v: %s with %d attempts", d["id"], d["status"], len(d["attempts"].([]any)))
		}
	}
}

func containsID(body, id string) bool {
	var v struct {
		Data struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	return json.Unmarshal([]byte(body), &v) == nil && v.Data.ID == id
}

// A receiver that never answers 2xx: the delivery is tried once and then
// once per wait of the schedule, and ends failed; a replay sends it again
// with the same webhook-id.
func TestWebhookDeliveryFailsAfterTheSchedule(t *testing.T) {
	rcv, srv := newReceiver(t, 1000)
	api := newAPIClient(t)
	call, created := api.call, api.created
	ep := call("POST", "/v1/webhook-endpoints", map[string]any{"url": srv.URL, "events": []string{"*"}}, 201)
	rcv.setSecret(ep.JSON["secret"].(string))
	id := ep.JSON["id"].(string)
	msg := call("POST", "/v1/webhook-endpoints/"+id+"/test", nil, 202).JSON["message_id"].(string)
	startServer(t, time.Now)
	eventually(t, "the delivery to fail", func() bool { return pendingDeliveries(t, created.TenantID) == 0 })
	d := call("GET", "/v1/webhook-endpoints/"+id+"/deliveries", nil, 200).JSON["data"].([]any)[0].(map[string]any)
	if d["status"] != "failed" || len(d["attempts"].([]any)) != len(testSchedule)+1 {
		t.Fatalf("delivery %s after %d attempts, want failed after %d", d["status"], len(d["attempts"].([]any)), len(testSchedule)+1)
	}
	call("POST", "/v1/webhook-deliveries/"+d["id"].(string)+"/replay", nil, 202)
	eventually(t, "the replay to fail", func() bool {
		rcv.mu.Lock()
		defer rcv.mu.Unlock()
		return rcv.attempts[msg] == 2*(len(testSchedule)+1) && pendingDeliveries(t, created.TenantID) == 0
	})
	rcv.mu.Lock()
	defer rcv.mu.Unlock()
	if len(rcv.attempts) != 1 || len(rcv.problems) != 0 {
		t.Errorf("attempts by webhook-id %v, problems %v", rcv.attempts, rcv.problems)
	}
}
