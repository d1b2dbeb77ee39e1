package jobs_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tandemhq/tandem/internal/jobs"
	"github.com/tandemhq/tandem/internal/webtest"
)

// jobStates are the states of a reward's fulfilment jobs, oldest first.
func jobStates(t *testing.T, reward string) []string {
	var states []string
	if err := env.Owner.Raw(`SELECT state FROM river_job WHERE kind = 'reward_fulfilment' AND args->>'reward_id' = ? ORDER BY id`,
		reward).Scan(&states).Error; err != nil {
		t.Fatal(err)
	}
	return states
}

// errorCode is an error response's code, "" for any other.
func errorCode(r webtest.Response) string {
	e, _ := r.JSON["error"].(map[string]any)
	code, _ := e["code"].(string)
	return code
}

// sentFor lists the requests recorded for reward (its objects' keys start
// with its id).
func sentFor(rec *stripeRecorder, reward string) []string {
	var sent []string
	for _, post := range rec.recorded() {
		if strings.Contains(post, " "+reward) {
			sent = append(sent, post)
		}
	}
	return sent
}

// TestVoidedRewardNeverPaid is the reproduction: a stripe_balance whose
// fulfilment failed (its host had no Stripe customer yet) is voided; once
// the customer is set, River's own retry of that job sends nothing to
// Stripe and ends cancelled, the fulfilment shows cancelled, and the retry
// button is a 409 reward_not_issued that queues no job.
func TestVoidedRewardNeverPaid(t *testing.T) {
	rec := newStripeRecorder(t)
	call := stripeTenant(t, rec)
	// River's retry comes only when the test moves it forward.
	startServer(t, time.Now, func(c *jobs.Config) {
		c.StripeAPIBase = rec.URL
		c.FulfilmentBackoff = func(int) time.Duration { return time.Hour }
	})
	_, balance := completeQuest(call, "void", "vic", "wes",
		map[string]any{"description": "thanks", "kind": "custom"},
		map[string]any{"description": "$12 credit", "kind": "stripe_balance", "amount": 1200, "currency": "USD"})
	eventually(t, "the credit to fail without a customer", func() bool {
		return fulfilment(call, "vic")["status"] == "failed" && slices.Equal(jobStates(t, balance), []string{"retryable"})
	})
	call("POST", "/v1/rewards/"+balance+"/void", nil, 200)
	call("POST", "/v1/participants", map[string]any{"external_id": "vic", "stripe_customer_id": "cus_Vic1"}, 200)
	if err := env.Owner.Exec(`UPDATE river_job SET scheduled_at = now() WHERE kind = 'reward_fulfilment' AND args->>'reward_id' = ?`,
		balance).Error; err != nil {
		t.Fatal(err)
	}
	eventually(t, "River's retry to end", func() bool {
		s := jobStates(t, balance)
		return len(s) == 1 && s[0] != "retryable" && s[0] != "available" && s[0] != "running"
	})
	if sent := sentFor(rec, balance); len(sent) != 0 {
		t.Fatalf("the voided credit was sent to Stripe: %q", sent)
	}
	if s := jobStates(t, balance); s[0] != "cancelled" {
		t.Errorf("River's retry ended %s, want cancelled", s[0])
	}
	if f := fulfilment(call, "vic"); f["status"] != "cancelled" || f["attempts"] != float64(1) || f["error"] != "" {
		t.Errorf("the voided credit's fulfilment: %v", f)
	}

	r := call("POST", "/v1/rewards/"+balance+"/retry-fulfilment", nil, 409)
	if errorCode(r) != "reward_not_issued" {
		t.Errorf("retrying the voided credit: %s", r.Body)
	}
	time.Sleep(300 * time.Millisecond) // a job queued by mistake would have run
	if s := jobStates(t, balance); len(s) != 1 {
		t.Errorf("the refused retry queued a job: %v", s)
	}
	if sent := sentFor(rec, balance); len(sent) != 0 {
		t.Errorf("the refused retry reached Stripe: %q", sent)
	}
}

// TestVoidWaitsForFulfilmentRun: a void that arrives while a run is inside
// its Stripe call waits for the run (it holds the reward), and is then
// refused as reward_fulfilled: the reward ends issued and fulfilled, never
// voided and fulfilled.
func TestVoidWaitsForFulfilmentRun(t *testing.T) {
	rec := newStripeRecorder(t)
	call, post := stripeTenantAsync(t, rec)
	gate := make(chan struct{})
	rec.gate.Store(&gate)
	startServer(t, time.Now, func(c *jobs.Config) { c.StripeAPIBase = rec.URL })
	call("POST", "/v1/participants", map[string]any{"external_id": "uma", "stripe_customer_id": "cus_Uma1"}, 201)
	_, balance := completeQuest(call, "race", "uma", "val",
		map[string]any{"description": "thanks", "kind": "custom"},
		map[string]any{"description": "$8 credit", "kind": "stripe_balance", "amount": 800, "currency": "USD"})
	select {
	case sent := <-rec.arrived:
		if !strings.HasSuffix(sent, " "+balance) {
			t.Fatalf("Stripe was asked %q", sent)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the run never reached Stripe")
	}

	voided := make(chan webtest.Response, 1)
	go func() { voided <- post("/v1/rewards/" + balance + "/void") }()
	select {
	case r := <-voided:
		close(gate)
		t.Fatalf("the void did not wait for the run inside Stripe: %d %s", r.Status, r.Body)
	case <-time.After(500 * time.Millisecond):
	}
	rec.gate.Store(nil)
	close(gate)
	r := <-voided
	if r.Status != 409 || errorCode(r) != "reward_fulfilled" {
		t.Errorf("the void after the run: %d %s, want 409 reward_fulfilled", r.Status, r.Body)
	}
	rewards := call("GET", "/v1/participants/uma/rewards", nil, 200).JSON["data"].([]any)
	if got := rewards[0].(map[string]any); got["status"] != "issued" || got["fulfilment"].(map[string]any)["status"] != "fulfilled" {
		t.Errorf("the reward after the race: %v", got)
	}
}
