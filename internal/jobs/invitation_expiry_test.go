package jobs_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/tandemhq/tandem/internal/dbtest"
	"github.com/tandemhq/tandem/internal/jobs"
)

// A pending invitation past its expiry is marked by the sweep, and its
// invitation.expired message goes out through the delivery path, once,
// with the invitation as the API shows it (status expired); the receiver
// holds every body to the OpenAPI document.
func TestInvitationExpiredWebhookDelivered(t *testing.T) {
	rcv, srv := newReceiver(t, 0)
	api := newAPIClient(t)
	ep := api.call("POST", "/v1/webhook-endpoints", map[string]any{"url": srv.URL + "/hooks", "events": []string{"invitation.expired"}}, 201)
	rcv.setSecret(ep.JSON["secret"].(string))
	inv := campaignWithInvitation(t, api)
	fresh := api.call("POST", "/v1/campaigns/autumn/invitations", map[string]any{"host": "hana"}, 201).JSON["id"].(string)
	backDate(t, api.created.TenantID, inv)

	startServer(t, time.Now, func(cfg *jobs.Config) { cfg.ExpiryInterval = 200 * time.Millisecond })
	eventually(t, "invitation.expired to arrive", func() bool {
		rcv.mu.Lock()
		defer rcv.mu.Unlock()
		return len(rcv.delivered) > 0
	})
	// A few more sweeps find nothing more to mark.
	time.Sleep(time.Second)

	rcv.mu.Lock()
	defer rcv.mu.Unlock()
	for _, p := range rcv.problems {
		t.Error(p)
	}
	if len(rcv.bodies) != 1 {
		t.Fatalf("%d messages, want one invitation.expired: %v", len(rcv.bodies), rcv.bodies)
	}
	for _, body := range rcv.bodies {
		var msg struct {
			Type string
			Data struct{ ID, Status string }
		}
		if err := json.Unmarshal([]byte(body), &msg); err != nil {
			t.Fatal(err)
		}
		if msg.Type != "invitation.expired" || msg.Data.ID != inv || msg.Data.Status != "expired" {
			t.Errorf("got %s about %s (%s), want invitation.expired about %s (expired)", msg.Type, msg.Data.ID, msg.Data.Status, inv)
		}
	}
	var marked []string
	env.Owner.Raw(`SELECT id FROM invitations WHERE tenant_id = ? AND expired_at IS NOT NULL`, api.created.TenantID).Scan(&marked)
	if len(marked) != 1 || marked[0] != inv {
		t.Errorf("marked %v, want only %s (not the live %s)", marked, inv, fresh)
	}
}

// Expiry is work per tenant: a tenant whose invitations are held by
// another transaction (as a claim under way would hold one) keeps no other
// tenant's invitations from being marked, and is marked itself once
// released.
func TestInvitationExpiryOfOneTenantWaitsForNoOther(t *testing.T) {
	noisy, quiet := newAPIClient(t), newAPIClient(t)
	for _, c := range []*apiClient{noisy, quiet} {
		backDate(t, c.created.TenantID, campaignWithInvitation(t, c), campaignInvitation(t, c))
	}
	held := env.Owner.Begin()
	defer held.Rollback()
	if err := held.Exec(`SELECT FROM invitations WHERE tenant_id = ? FOR UPDATE`, noisy.created.TenantID).Error; err != nil {
		t.Fatal(err)
	}
	startServer(t, time.Now, func(cfg *jobs.Config) { cfg.ExpiryInterval = 200 * time.Millisecond })

	dbtest.WaitFor(t, func() bool { return unmarked(quiet.created.TenantID) == 0 }, "the quiet tenant's invitations to be marked")
	if n := unmarked(noisy.created.TenantID); n != 2 {
		t.Errorf("the held tenant has %d unmarked invitations, want its 2 still waiting", n)
	}
	held.Rollback()
	dbtest.WaitFor(t, func() bool { return unmarked(noisy.created.TenantID) == 0 }, "the released tenant's invitations to be marked")
}

// campaignWithInvitation publishes the tenant's campaign autumn and
// invites one of hana's guests; it returns the invitation's id.
func campaignWithInvitation(t *testing.T, api *apiClient) string {
	t.Helper()
	api.call("POST", "/v1/event-definitions", map[string]any{"name": "signup_complete"}, 201)
	api.call("PUT", "/v1/campaigns/autumn", map[string]any{"name": "Autumn", "mode": "invitation",
		"quest": map[string]any{"steps": []string{"signup_complete"}}}, 200)
	api.call("POST", "/v1/campaigns/autumn/publish", nil, 200)
	return campaignInvitation(t, api)
}

func campaignInvitation(t *testing.T, api *apiClient) string {
	t.Helper()
	return api.call("POST", "/v1/campaigns/autumn/invitations", map[string]any{"host": "hana"}, 201).JSON["id"].(string)
}

// backDate makes invitations an hour past their expiry as the owner with
// the triggers off (session_replication_role = replica, which on Citus
// reaches the shards once propagate_set_commands says so): now() cannot be
// faked, and expires_at is otherwise fixed.
func backDate(t *testing.T, tenant uuid.UUID, ids ...string) {
	t.Helper()
	err := env.Owner.Transaction(func(tx *gorm.DB) error {
		for _, sql := range []string{`SET LOCAL citus.propagate_set_commands = 'local'`, `SET LOCAL session_replication_role = replica`} {
			if err := tx.Exec(sql).Error; err != nil {
				return err
			}
		}
		return tx.Exec(`UPDATE invitations SET created_at = now() - interval '2 hours', expires_at = now() - interval '1 hour'
			WHERE tenant_id = ? AND id IN ?`, tenant, ids).Error
	})
	if err != nil {
		t.Fatalf("back-date invitations: %v", err)
	}
}

// unmarked counts the tenant's pending invitations not marked expired.
func unmarked(tenant uuid.UUID) int {
	var n int
	env.Owner.Raw(`SELECT count(*) FROM invitations WHERE tenant_id = ? AND guest_id IS NULL AND expired_at IS NULL
		AND expires_at <= now()`, tenant).Scan(&n)
	return n
}
