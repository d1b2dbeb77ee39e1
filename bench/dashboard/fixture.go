package main

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

// campaignSlug is the benchmark's campaign.
const campaignSlug = "bench"

// questSteps is its quest; noiseEvent is an event no quest asks for.
var questSteps = []string{"signup_complete", "form_a_complete", "purchase_complete"}

const noiseEvent = "page_view"

// fixture is what setUp made through models.
type fixture struct {
	tenantID      uuid.UUID
	campaignID    string
	ownerEmail    string
	ownerPassword string
}

// setUp creates the tenant, its events and the published campaign: a
// 3-step quest, a $5 guest credit, and host milestones $10 (1st), €15
// (2nd), two raffle tickets (3rd, repeated for every later one), so that
// the dashboard has two currencies and a reward without an amount.
func setUp(ctx context.Context, db *gorm.DB, run string) (fixture, error) {
	f := fixture{ownerEmail: "owner+" + run + "@bench.example", ownerPassword: "bench-password-" + run}
	t, err := tenants.Create(ctx, db, tenants.NewTenant{Name: "Dashboard bench " + run, OwnerEmail: f.ownerEmail, OwnerPassword: f.ownerPassword})
	if err != nil {
		return fixture{}, err
	}
	f.tenantID = t.TenantID
	money := func(amount int64) *int64 { return &amount }
	rules := models.Rules{
		Steps:               questSteps,
		RepeatLastMilestone: true,
		GuestReward:         &models.Reward{Description: "Welcome credit", Kind: "credit", Quantity: 1, Amount: money(500), Currency: "USD"},
		Milestones: []models.Milestone{
			{Count: 1, Reward: models.Reward{Description: "$10 for your first referral", Kind: "cash", Quantity: 1, Amount: money(1000), Currency: "USD"}},
			{Count: 2, Reward: models.Reward{Description: "€15 for your second", Kind: "credit", Quantity: 1, Amount: money(1500), Currency: "EUR"}},
			{Count: 3, Reward: models.Reward{Description: "Two raffle tickets", Kind: "ticket", Quantity: 2}},
		},
	}
	err = tenants.WithTenant(ctx, db, f.tenantID, func(ctx context.Context) error {
		for _, s := range append(questSteps, noiseEvent) {
			if _, _, err := models.DefineEvent(ctx, s, "dashboard benchmark"); err != nil {
				return err
			}
		}
		in := models.CampaignInput{Name: "Dashboard benchmark", Mode: models.ModeInvitation, Rules: rules}
		if _, _, err := models.SaveCampaignDraft(ctx, campaignSlug, in); err != nil {
			return err
		}
		pub, err := models.PublishCampaign(ctx, campaignSlug, models.InflightKeep)
		f.campaignID = pub.Campaign.ID
		return err
	})
	if err != nil {
		return fixture{}, fmt.Errorf("fixture: campaign: %w", err)
	}
	return f, nil
}
