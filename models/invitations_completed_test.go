package models_test

import (
	"context"
	"testing"

	"gorm.io/gorm"

	"github.com/tandemhq/tandem/internal/dbtest"
	"github.com/tandemhq/tandem/models"
)

// TestIssuingSkipsInvitationsCompleteBefore re-judges a host's three
// invitations in one statement: one complete before it, two that it
// completes (their guests' events were stored before their claims, which
// were written with the triggers off). invitations_completed must tell
// the two from the one by the statement's transition tables: each of the
// two gets its guest and milestone rewards, the first nothing more (the
// schema would refuse a second reward for it, failing the statement), and
// the host's counter catches up with the numbers 2 and 3.
func TestIssuingSkipsInvitationsCompleteBefore(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	var campaign, host string
	env.InTenant(t, tenant, func(ctx context.Context) error {
		pub := publish(t, ctx, campaignSpec{slug: "again", mode: models.ModeInvitation, steps: []string{"purchase"},
			milestones: []int64{1000}, repeatLast: true, guestAmount: 500})
		campaign = pub.Campaign.ID
		inv := mustInvite(t, ctx, "again", "host")
		must(t, models.TxOf(ctx).Raw(`SELECT host_id FROM invitations WHERE tenant_id = ? AND id = ?`, tenant, inv.ID).Row().Scan(&host))
		_, err := models.Claim(ctx, inv.Code, "guest-1")
		must(t, err)
		for _, guest := range []string{"guest-1", "guest-2", "guest-3"} {
			must(t, event(ctx, guest, "purchase"))
		}
		return nil
	})
	dbtest.WithoutTriggers(t, env.Owner, func(tx *gorm.DB) error {
		return tx.Exec(`INSERT INTO invitations (tenant_id, id, campaign_id, kind, host_id, code, expires_at, guest_id, claimed_at, version)
			SELECT ?::uuid, 'inv_again' || g, ?, 'invitation', ?, 'AGAIN' || g, now() + interval '30 days', p.id, now(), 1
			FROM generate_series(2, 3) g JOIN participants p ON p.tenant_id = ?::uuid AND p.external_id = 'guest-' || g`,
			tenant, campaign, host, tenant).Error
	})
	env.InTenant(t, tenant, func(ctx context.Context) error {
		return models.TxOf(ctx).Exec(`UPDATE invitations SET progress = progress WHERE tenant_id = ? AND host_id = ?`, tenant, host).Error
	})

	var completed, numbers, tokens, perInvitation, counter int64
	must(t, env.Owner.Raw(`
		SELECT (SELECT count(*) FROM invitations WHERE tenant_id = ? AND host_id = ? AND completed_at IS NOT NULL),
		       (SELECT count(DISTINCT completion_number) FROM invitations WHERE tenant_id = ? AND host_id = ?),
		       (SELECT count(*) FROM reward_tokens WHERE tenant_id = ? AND campaign_id = ?),
		       (SELECT max(n) FROM (SELECT count(*) AS n FROM reward_tokens WHERE tenant_id = ? GROUP BY invitation_id) x),
		       (SELECT completed FROM host_completions WHERE tenant_id = ? AND host_id = ?)`,
		tenant, host, tenant, host, tenant, campaign, tenant, tenant, host).Row().Scan(&completed, &numbers, &tokens, &perInvitation, &counter))
	if completed != 3 || numbers != 3 || tokens != 6 || perInvitation != 2 || counter != 3 {
		t.Errorf("%d completed with %d numbers, %d rewards, at most %d an invitation, host counter %d; want 3, 3, 6, 2 (a guest's and a host's each) and 3",
			completed, numbers, tokens, perInvitation, counter)
	}
}
