package models_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/tandemhq/tandem/models"
)

// The overview's numbers are the dashboard's: for every campaign it lists,
// the funnel totals and the rewards issued per currency and kind equal what
// LoadDashboard reads for that campaign alone; live campaigns come first,
// the cap keeps the count of all, and another tenant's campaigns are absent.
func TestOverviewAgreesWithDashboards(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	other := env.NewTenant(t, "").TenantID
	env.InTenant(t, other, func(ctx context.Context) error {
		if _, _, err := models.DefineEvent(ctx, "s1", ""); err != nil {
			return err
		}
		dashCampaign(t, ctx, "elsewhere", models.ModeInvitation, false, models.Rules{Steps: []string{"s1"}})
		return nil
	})
	var codes [4]string
	env.InTenant(t, tenant, func(ctx context.Context) error {
		for _, e := range []string{"s1", "s2", "s3"} {
			if _, _, err := models.DefineEvent(ctx, e, ""); err != nil {
				return err
			}
		}
		dashCampaign(t, ctx, "finished", models.ModeReferrerCode, false, models.Rules{Steps: []string{"s1"}})
		if _, err := models.ChangeCampaignStatus(ctx, "finished", models.ActionEnd); err != nil {
			return err
		}
		dashCampaign(t, ctx, "dash", models.ModeInvitation, false, dashRules("s1", "s2", "s3"))
		if _, _, err := models.SaveCampaignDraft(ctx, "quiet", models.CampaignInput{Name: "quiet", Mode: models.ModeInvitation,
			Rules: models.Rules{Steps: []string{"s1"}}}); err != nil {
			return err
		}
		for i := range codes {
			codes[i] = mustInvite(t, ctx, "dash", []string{"host0", "host0", "host0", "host1"}[i]).Code
		}
		return nil
	})
	// A transaction of its own: now() orders the campaigns by creation.
	env.InTenant(t, tenant, func(ctx context.Context) error {
		dashCampaign(t, ctx, "codes", models.ModeReferrerCode, false, models.Rules{Steps: []string{"s1"}})
		return nil
	})
	step := func(fn func(ctx context.Context) error) { env.InTenant(t, tenant, fn) }
	for i, guest := range []string{"g1", "g2", "g3"} {
		step(func(ctx context.Context) error { mustClaim(t, ctx, codes[i], guest); return nil })
	}
	// host0 completes three times: $10, €15, then two tickets; each guest a $5 credit.
	for _, g := range []string{"g1", "g2", "g3"} {
		for _, s := range []string{"s1", "s2", "s3"} {
			step(func(ctx context.Context) error { return event(ctx, g, s) })
		}
	}
	step(func(ctx context.Context) error {
		code, err := models.ReferrerCode(ctx, "codes", "host1")
		if err != nil {
			return err
		}
		mustClaim(t, ctx, code, "g9")
		return nil
	})

	var all, capped models.Overview
	dashboards := map[string]models.Dashboard{}
	env.InTenant(t, tenant, func(ctx context.Context) error {
		var err error
		if all, err = models.LoadOverview(ctx); err != nil {
			return err
		}
		if capped, err = models.LoadOverviewOf(ctx, 2); err != nil {
			return err
		}
		for _, s := range all.Campaigns {
			if dashboards[s.Slug], err = models.LoadDashboard(ctx, s.Campaign, time.Now()); err != nil {
				return err
			}
		}
		return nil
	})

	var order []string
	for _, s := range all.Campaigns {
		order = append(order, s.Slug)
	}
	if want := []string{"codes", "dash", "quiet", "finished"}; !slices.Equal(order, want) || all.Total != 4 {
		t.Fatalf("overview lists %v of %d, want %v of 4 (active newest first, then drafts, then ended)", order, all.Total, want)
	}
	if len(capped.Campaigns) != 2 || capped.Total != 4 || capped.Campaigns[1].Slug != "dash" {
		t.Errorf("capped at 2: %d campaigns of %d", len(capped.Campaigns), capped.Total)
	}
	today := time.Now().UTC().Truncate(24 * time.Hour)
	for _, s := range all.Campaigns {
		d := dashboards[s.Slug]
		if s.Created != d.Funnel.Created || s.Claimed != d.Funnel.Claimed || s.Completed != d.Funnel.Completed {
			t.Errorf("%s: overview %d/%d/%d, dashboard %+v", s.Slug, s.Created, s.Claimed, s.Completed, d.Funnel)
		}
		var issued []models.HostReward
		for _, r := range d.Rewards {
			if r.Issued > 0 {
				issued = append(issued, models.HostReward{Currency: r.Currency, Kind: r.Kind, Tokens: r.Issued,
					Quantity: r.IssuedQuantity, Amount: r.IssuedAmount})
			}
		}
		if !slices.Equal(s.Rewards, issued) {
			t.Errorf("%s: overview rewards %+v, dashboard %+v", s.Slug, s.Rewards, issued)
		}
		active := d.Funnel.Created > 0
		if active != (s.LastActivity != nil) || active && !s.LastActivity.Equal(today) {
			t.Errorf("%s: last activity %v with %d invitations", s.Slug, s.LastActivity, d.Funnel.Created)
		}
	}
	dash := all.Campaigns[1]
	if dash.Completed != 3 || len(dash.Rewards) != 3 || dash.Rewards[0].Currency != "EUR" || dash.Rewards[1].Amount != 2500 ||
		dash.Rewards[2].Kind != "ticket" || dash.Rewards[2].Quantity != 2 {
		t.Errorf("dash: %d completed, rewards %+v; want 3, €15 + $25 (three guests' $5, the host's $10) + 2 tickets", dash.Completed, dash.Rewards)
	}
}
