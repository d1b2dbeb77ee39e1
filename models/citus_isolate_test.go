package models_test

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"github.com/tandemhq/tandem/internal/dbtest"
	"github.com/tandemhq/tandem/models"
)

// TestCitusOnlyIsolatedTenant follows docs/scale.md's "Isolating a hot
// tenant" on the test cluster: a tenant in the middle of a referral is
// given shards of its own in every co-located table
// (isolate_tenant_to_new_shard … CASCADE) and they move to the other
// worker (citus_move_shard_placement); the referral then completes there,
// rewards issued once, with nothing in Tandem told, and a tenant left on
// the old shard goes on as before.
func TestCitusOnlyIsolatedTenant(t *testing.T) {
	if !dbtest.Citus() {
		t.Skip("needs the Citus cluster of make test-citus (withpg -citus)")
	}
	hot, neighbour := env.NewTenant(t, "").TenantID, env.NewTenant(t, "").TenantID

	for _, tenant := range []uuid.UUID{hot, neighbour} {
		env.InTenant(t, tenant, func(ctx context.Context) error {
			publish(t, ctx, campaignSpec{slug: "spring", mode: models.ModeInvitation,
				steps: []string{"signup_complete", "purchase_complete"}, milestones: []int64{1000}, guestAmount: 500})
			inv, err := models.CreateInvitation(ctx, "spring", models.InvitationInput{Host: "alice"})
			must(t, err)
			_, err = models.Claim(ctx, inv.Code, "bob")
			must(t, err)
			return event(ctx, "bob", "signup_complete")
		})
	}

	type placement struct {
		Shard    int64
		Nodename string
		Nodeport int
		Single   bool
	}
	placementOf := func(tenant uuid.UUID) placement {
		t.Helper()
		var p placement
		must(t, env.Owner.Raw(`SELECT s.shardid AS shard, n.nodename, n.nodeport, s.shardminvalue = s.shardmaxvalue AS single
			FROM pg_dist_shard s JOIN pg_dist_placement p USING (shardid) JOIN pg_dist_node n ON n.groupid = p.groupid
			WHERE s.shardid = get_shard_id_for_distribution_column('events', CAST(? AS uuid))`, tenant).Scan(&p).Error)
		return p
	}
	before := placementOf(hot)
	if before.Single {
		t.Fatalf("the tenant has a shard of its own already: %+v", before)
	}
	must(t, env.Owner.Exec(`SELECT isolate_tenant_to_new_shard('events', CAST(? AS uuid), 'CASCADE', shard_transfer_mode => 'block_writes')`, hot).Error)
	isolated := placementOf(hot)
	var other struct {
		Nodename string
		Nodeport int
	}
	must(t, env.Owner.Raw(`SELECT nodename, nodeport FROM pg_dist_node WHERE noderole = 'primary' AND shouldhaveshards
		AND (nodename, nodeport) <> (?, ?) AND groupid <> 0 LIMIT 1`, isolated.Nodename, isolated.Nodeport).Scan(&other).Error)
	must(t, env.Owner.Exec(`SELECT citus_move_shard_placement(?, ?, ?, ?, ?, shard_transfer_mode => 'block_writes')`,
		isolated.Shard, isolated.Nodename, isolated.Nodeport, other.Nodename, other.Nodeport).Error)
	after := placementOf(hot)
	if !after.Single || after.Shard == before.Shard || after.Nodeport != other.Nodeport {
		t.Fatalf("after isolating and moving: %+v (before %+v, to port %d)", after, before, other.Nodeport)
	}
	if placementOf(neighbour).Single {
		t.Fatal("the neighbour was isolated too")
	}

	for _, tenant := range []uuid.UUID{hot, neighbour} {
		env.InTenant(t, tenant, func(ctx context.Context) error {
			must(t, event(ctx, "bob", "purchase_complete"))
			must(t, event(ctx, "bob", "purchase_complete"))
			host, _, err := models.ListParticipantRewards(ctx, "alice", models.Page{})
			must(t, err)
			guest, _, err := models.ListParticipantRewards(ctx, "bob", models.Page{})
			must(t, err)
			if len(host) != 1 || *host[0].Amount != 1000 || len(guest) != 1 || *guest[0].Amount != 500 {
				t.Errorf("tenant %s: host rewards %+v, guest rewards %+v; want one each", tenant, host, guest)
			}
			return nil
		})
	}
}
