package models_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/tandemhq/tandem/models"
)

// TestDashboardHeldRewards: in a campaign that holds every reward, the
// dashboard counts held rewards per currency apart from issued ones, an
// approved one as issued (and, voided afterwards, as voided), a rejected
// one nowhere, and the rollups agree with the base tables throughout.
func TestDashboardHeldRewards(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	rules := dashRules("s1")
	rules.Review = models.ReviewAll
	env.InTenant(t, tenant, func(ctx context.Context) error {
		if _, _, err := models.DefineEvent(ctx, "s1", ""); err != nil {
			return err
		}
		dashCampaign(t, ctx, "held", models.ModeInvitation, false, rules)
		for i := range 3 {
			guest := fmt.Sprintf("g%d", i)
			mustClaim(t, ctx, mustInvite(t, ctx, "held", "host").Code, guest)
			must(t, event(ctx, guest, "s1"))
		}
		return nil
	})
	usd := func(d models.Dashboard) models.RewardTotal {
		for _, r := range d.Rewards {
			if r.Currency == "USD" {
				return r
			}
		}
		t.Fatalf("no USD row in %+v", d.Rewards)
		return models.RewardTotal{}
	}
	// host: $10 (1st), €15 (2nd), two tickets (3rd); each guest $5.
	if r := usd(compareDashboards(t, tenant, "held")); r.Held != 4 || r.HeldAmount != 2500 || r.Issued != 0 {
		t.Fatalf("before any decision, USD: %+v", r)
	}
	ids := map[string]string{}
	env.InTenant(t, tenant, func(ctx context.Context) error {
		for _, p := range []string{"host", "g0", "g1"} {
			rs, _, err := models.ListRewardQueue(ctx, models.RewardFilter{Participant: p, Status: models.RewardHeld}, models.Page{Limit: 10})
			must(t, err)
			for _, r := range rs {
				if r.Currency != nil && *r.Currency == "USD" {
					ids[p] = r.ID
				}
			}
		}
		return nil
	})
	env.InTenant(t, tenant, func(ctx context.Context) error {
		_, err := models.ApproveReward(ctx, ids["host"])
		must(t, err)
		_, err = models.RejectReward(ctx, ids["g0"], "test account")
		must(t, err)
		_, err = models.ApproveReward(ctx, ids["g1"])
		must(t, err)
		_, err = models.VoidReward(ctx, ids["g1"])
		return err
	})
	if r := usd(compareDashboards(t, tenant, "held")); r.Held != 1 || r.HeldAmount != 500 || r.Issued != 2 || r.IssuedAmount != 1500 ||
		r.Voided != 1 || r.VoidedAmount != 500 {
		t.Errorf("after approving $10 and $5, rejecting $5 and voiding the approved $5, USD: %+v", r)
	}
}
