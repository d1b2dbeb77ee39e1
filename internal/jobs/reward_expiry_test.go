package jobs_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/tandemhq/tandem/internal/dbtest"
	"github.com/tandemhq/tandem/internal/jobs"
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

// Expiry is work per tenant: the sweep queues one job for each tenant with
// due rewards, and a tenant whose expiry cannot finish (here its tokens are
// held by another transaction, as a huge backlog would hold a worker) keeps
// no other tenant's rewards from expiring.
func TestRewardExpiryOfOneTenantWaitsForNoOther(t *testing.T) {
	noisy := tenantWithDueRewards(t)
	quiet := []*apiClient{tenantWithDueRewards(t), tenantWithDueRewards(t)}
	held := env.Owner.Begin()
	defer held.Rollback()
	if err := held.Exec(`SELECT FROM reward_tokens WHERE tenant_id = ? FOR UPDATE`, noisy.created.TenantID).Error; err != nil {
		t.Fatal(err)
	}
	later := func() time.Time { return time.Now().Add(31 * 24 * time.Hour) }
	startServer(t, later, func(cfg *jobs.Config) { cfg.ExpiryInterval = 200 * time.Millisecond })

	for _, q := range quiet {
		dbtest.WaitFor(t, func() bool {
			var issued int
			env.Owner.Raw(`SELECT count(*) FROM reward_tokens WHERE tenant_id = ? AND status = 'issued'`, q.created.TenantID).Scan(&issued)
			return issued == 0
		}, "a quiet tenant's rewards to expire")
	}
	for _, c := range append(quiet, noisy) {
		var jobs int
		env.Owner.Raw(`SELECT count(*) FROM river_job WHERE kind = 'reward_expiry_tenant' AND args->>'tenant_id' = ?`,
			c.created.TenantID.String()).Scan(&jobs)
		if jobs != 1 {
			t.Errorf("tenant %s has %d expiry jobs, want 1", c.created.TenantID, jobs)
		}
	}
	var issued int
	env.Owner.Raw(`SELECT count(*) FROM reward_tokens WHERE tenant_id = ? AND status = 'issued'`, noisy.created.TenantID).Scan(&issued)
	if issued != 2 {
		t.Errorf("the held tenant has %d issued rewards, want its 2 still waiting", issued)
	}
}

// tenantWithDueRewards is a new tenant whose campaign's rewards expire after
// 30 days, with one completed referral: the host's and the guest's tokens.
func tenantWithDueRewards(t *testing.T) *apiClient {
	t.Helper()
	api := newAPIClient(t)
	api.call("POST", "/v1/event-definitions", map[string]any{"name": "signup_complete"}, 201)
	credit := map[string]any{"description": "credit", "kind": "credit", "amount": 500, "currency": "USD"}
	api.call("PUT", "/v1/campaigns/autumn", map[string]any{"name": "Autumn", "mode": "invitation",
		"quest":           map[string]any{"steps": []string{"signup_complete"}},
		"host_milestones": []any{map[string]any{"count": 1, "reward": credit}},
		"guest_reward":    credit, "reward_expires_after_days": 30}, 200)
	api.call("POST", "/v1/campaigns/autumn/publish", nil, 200)
	inv := api.call("POST", "/v1/campaigns/autumn/invitations", map[string]any{"host": "hana"}, 201)
	api.call("POST", "/v1/claims", map[string]any{"code": inv.JSON["code"], "guest": "gus"}, 201)
	api.call("POST", "/v1/events", map[string]any{"participant": "gus", "name": "signup_complete"}, 202)
	return api
}
