package jobs_test

import (
	"fmt"
	"testing"
	"time"
)

// Publishing with "migrate" answers at once, its guests still on the old
// version; the migration's job, queued by the publish, then moves every
// in-flight invitation (in batches: more than one) and finishes, each
// judged again from its stored events.
func TestCampaignMigrationJobMovesEveryInvitation(t *testing.T) {
	api := newAPIClient(t)
	for _, name := range []string{"signup_complete", "purchase_complete"} {
		api.call("POST", "/v1/event-definitions", map[string]any{"name": name}, 201)
	}
	quest := func(steps ...string) {
		api.call("PUT", "/v1/campaigns/autumn", map[string]any{"name": "Autumn", "mode": "invitation",
			"quest": map[string]any{"steps": steps}}, 200)
	}
	quest("signup_complete", "purchase_complete")
	api.call("POST", "/v1/campaigns/autumn/publish", nil, 200)
	const guests = 250 // batches of 100: three, and the one that finds none left
	for g := range guests {
		code := api.call("POST", "/v1/campaigns/autumn/invitations", map[string]any{"host": fmt.Sprintf("host-%d", g%7)}, 201).JSON["code"].(string)
		api.call("POST", "/v1/claims", map[string]any{"code": code, "guest": fmt.Sprintf("guest-%d", g)}, 201)
	}
	api.call("POST", "/v1/events", map[string]any{"participant": "guest-0", "name": "signup_complete"}, 202)

	quest("signup_complete")
	pub := api.call("POST", "/v1/campaigns/autumn/publish", map[string]any{"inflight": "migrate"}, 200)
	if got := pub.JSON["migrated"].(map[string]any)["in_flight"]; got != float64(guests) {
		t.Fatalf("the publish's preview: %v in flight, want %d", got, guests)
	}
	tenant := api.created.TenantID
	count := func(sql string) (n int) {
		env.Owner.Raw(sql, tenant).Scan(&n)
		return n
	}
	onVersion1 := `SELECT count(*) FROM invitations WHERE tenant_id = ? AND version = 1`
	if n := count(onVersion1); n != guests {
		t.Fatalf("%d invitations on version 1 right after the publish, want all %d: the publish moves none", n, guests)
	}

	startServer(t, time.Now)
	eventually(t, "the migration to finish", func() bool {
		return count(`SELECT count(*) FROM campaign_migrations WHERE tenant_id = ? AND finished_at IS NOT NULL`) == 1
	})
	if n := count(onVersion1); n != 0 {
		t.Errorf("%d invitations left on version 1", n)
	}
	if n := count(`SELECT migrated FROM campaign_migrations WHERE tenant_id = ?`); n != guests {
		t.Errorf("the migration counts %d moved, want %d", n, guests)
	}
	// guest-0 had sent the new quest's one step: judged again, complete.
	if n := count(`SELECT count(*) FROM invitations WHERE tenant_id = ? AND completed_at IS NOT NULL`); n != 1 {
		t.Errorf("%d invitations complete after the migration, want guest-0's", n)
	}
}
