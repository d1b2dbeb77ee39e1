package jobs_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/tandemhq/tandem/jobs"
)

// Tokens of a version with reward_expires_after_days expire once past
// expires_at, on a controlled clock, whatever the number of runs at once,
// each with one reward.expired message; a settled token never expires.
func TestRewardExpiryOnAControlledClock(t *testing.T) {
	api := newAPIClient(t)
	call, created := api.call, api.created
	// Messages are recorded (no worker runs here; a later test's workers
	// find nobody listening on the discard port).
	call("POST", "/v1/webhook-endpoints", map[string]any{"url": "http://127.0.0.1:9/hook", "events": []string{"reward.expired"}}, 201)
	call("POST", "/v1/event-definitions", map[string]any{"name": "signup_complete"}, 201)
	credit := map[string]any{"description": "credit", "kind": "credit", "amount": 500, "currency": "USD"}
	draft := call("PUT", "/v1/campaigns/autumn", map[string]any{"name": "Autumn", "mode": "invitation",
		"quest":           map[string]any{"steps": []string{"signup_complete"}},
		"host_milestones": []any{map[string]any{"count": 1, "reward": credit}}, "repeat_last_milestone": true,
		"guest_reward": credit, "reward_expires_after_days": 30}, 200)
	if got := draft.JSON["draft"].(map[string]any)["reward_expires_after_days"]; got != 30.0 {
		t.Fatalf("the draft says reward_expires_after_days %v", got)
	}
	call("POST", "/v1/campaigns/autumn/publish", nil, 200)
	for _, guest := range []string{"g1", "g2"} {
		inv := call("POST", "/v1/campaigns/autumn/invitations", map[string]any{"host": "hana"}, 201)
		call("POST", "/v1/claims", map[string]any{"code": inv.JSON["code"], "guest": guest}, 201)
		call("POST", "/v1/events", map[string]any{"participant": guest, "name": "signup_complete"}, 202)
	}
	// hana 2, g1 1, g2 1; g2's is redeemed and never expires.
	g2 := call("GET", "/v1/participants/g2/rewards", nil, 200).JSON["data"].([]any)[0].(map[string]any)
	issued, err := time.Parse(time.RFC3339Nano, g2["issued_at"].(string))
	if err != nil {
		t.Fatal(err)
	}
	expires, err := time.Parse(time.RFC3339Nano, g2["expires_at"].(string))
	if err != nil || !expires.Equal(issued.Add(30*24*time.Hour)) {
		t.Fatalf("expires_at %v for a token issued %v (%v)", g2["expires_at"], issued, err)
	}
	call("POST", "/v1/rewards/"+g2["id"].(string)+"/redeem", nil, 200)

	at := func(d time.Duration) jobs.Config {
		return jobs.Config{DB: env.App, Now: func() time.Time { return issued.Add(d) }}
	}
	if n, err := jobs.ExpireRewards(context.Background(), at(29*24*time.Hour)); err != nil || n != 0 {
		t.Fatalf("a day early: %d expired, %v", n, err)
	}
	// Two runs at once, as two servers might: three tokens, each expired once.
	var wg sync.WaitGroup
	counts := make([]int, 2)
	for i := range counts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := jobs.ExpireRewards(context.Background(), at(31*24*time.Hour))
			if err != nil {
				t.Error(err)
			}
			counts[i] = n
		}()
	}
	wg.Wait()
	if counts[0]+counts[1] != 3 {
		t.Errorf("expired %v, want 3 in all", counts)
	}
	if n, err := jobs.ExpireRewards(context.Background(), at(40*24*time.Hour)); err != nil || n != 0 {
		t.Errorf("again later: %d expired, %v", n, err)
	}
	for _, p := range []string{"hana", "g1"} {
		for _, r := range call("GET", "/v1/participants/"+p+"/rewards", nil, 200).JSON["data"].([]any) {
			if s := r.(map[string]any)["status"]; s != "expired" {
				t.Errorf("%s's token is %v", p, s)
			}
		}
	}
	var messages int
	env.Owner.Raw(`SELECT count(*) FROM webhook_messages WHERE tenant_id = ? AND type = 'reward.expired'`, created.TenantID).Scan(&messages)
	if messages != 3 {
		t.Errorf("%d reward.expired messages, want 3", messages)
	}
}
