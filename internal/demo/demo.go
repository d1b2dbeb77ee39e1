// Package demo seeds the demo tenant that `make run` starts with: two
// campaigns, one per mode, with participants at every stage of their quests
// and rewards in every status, so every console page has something to show.
package demo

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

// The demo login. It is only ever created on a local development database.
const (
	Slug     = "demo-coffee"
	Email    = "demo@tandem.local"
	Password = "tandem-demo-password"
)

// The demo's two published campaigns, one per mode, with the steps of
// their quests (make run prints them: the README's first API calls use
// them).
const (
	InvitationCampaign   = "bring-a-friend" // single-use invitations: signup_complete, purchase_complete
	ReferrerCodeCampaign = "refer-a-friend" // referrer codes: signup_complete, form_a_complete, purchase_complete
)

// Credentials are what a developer needs to use the demo tenant.
type Credentials struct {
	TenantID       string `json:"tenant_id"`
	Slug           string `json:"slug"`
	Email          string `json:"email"`
	Password       string `json:"password"`
	SecretKey      string `json:"secret_key"`
	PublishableKey string `json:"publishable_key"`
}

// Exists reports whether the demo tenant has been seeded.
func Exists(ctx context.Context, db *gorm.DB) (bool, error) {
	_, ok, err := tenants.FindTenantBySlug(ctx, db, Slug)
	if err != nil {
		return false, fmt.Errorf("demo: %w", err)
	}
	return ok, nil
}

// Seed creates the demo tenant and its data.
func Seed(ctx context.Context, db *gorm.DB) (Credentials, error) {
	created, err := tenants.Create(ctx, db, tenants.NewTenant{Name: "Demo Coffee", OwnerEmail: Email, OwnerPassword: Password})
	if err != nil {
		return Credentials{}, fmt.Errorf("demo: %w", err)
	}
	if created.Slug != Slug {
		return Credentials{}, fmt.Errorf("demo: got slug %q, want %q", created.Slug, Slug)
	}
	ctx = models.WithActor(ctx, "cli")
	err = tenants.WithTenant(ctx, db, created.TenantID, func(ctx context.Context) error {
		for _, step := range []struct{ name, description string }{
			{"signup_complete", "The guest finished signing up."},
			{"form_a_complete", "The guest filled in their profile."},
			{"purchase_complete", "The guest paid for a first order."},
		} {
			if _, _, err := models.DefineEvent(ctx, step.name, step.description); err != nil {
				return err
			}
		}
		if err := seedInvitationCampaign(ctx); err != nil {
			return err
		}
		return seedReferrerCodeCampaign(ctx)
	})
	if err != nil {
		return Credentials{}, fmt.Errorf("demo: %w", err)
	}
	return Credentials{TenantID: created.TenantID.String(), Slug: created.Slug, Email: Email, Password: Password,
		SecretKey: created.SecretKey, PublishableKey: created.PublishableKey}, nil
}

func usd(cents int64) *int64 { return &cents }

// seedInvitationCampaign: manual invitations, a two-step quest, $10 per
// referral for the host (repeated), $5 of credit for the guest.
func seedInvitationCampaign(ctx context.Context) error {
	rules := models.Rules{
		Steps:               []string{"signup_complete", "purchase_complete"},
		Milestones:          []models.Milestone{{Count: 1, Reward: models.Reward{Description: "$10 store credit", Kind: "credit", Amount: usd(1000), Currency: "USD"}}},
		RepeatLastMilestone: true,
		GuestReward:         &models.Reward{Description: "$5 off your first order", Kind: "coupon", Amount: usd(500), Currency: "USD"},
		InvitationTTLHours:  24 * 14,
	}
	if err := publish(ctx, InvitationCampaign, "Bring a friend", models.ModeInvitation, rules); err != nil {
		return err
	}
	// alice invites five friends, who are at every stage of the quest.
	stages := []struct {
		guest  string
		events []string
	}{
		{"", nil},     // pending: not claimed yet
		{"dana", nil}, // claimed, no step done
		{"erik", []string{"signup_complete"}},
		{"fiona", []string{"purchase_complete"}}, // a later step that waits for its turn
		{"gus", []string{"signup_complete", "purchase_complete"}},
		{"hana", []string{"purchase_complete", "signup_complete"}},
	}
	for _, s := range stages {
		inv, err := models.CreateInvitation(ctx, InvitationCampaign, models.InvitationInput{Host: "alice", Channel: "sms"})
		if err != nil {
			return err
		}
		if s.guest == "" {
			continue
		}
		if _, err := models.Claim(ctx, inv.Code, s.guest); err != nil {
			return err
		}
		for _, e := range s.events {
			if _, _, err := models.IngestEvent(ctx, models.EventInput{Participant: s.guest, Name: e}); err != nil {
				return err
			}
		}
	}
	// Settle some rewards so the queue shows every status.
	rewards, _, err := models.ListParticipantRewards(ctx, "alice", models.Page{})
	if err != nil {
		return err
	}
	if len(rewards) >= 2 {
		if _, err := models.RedeemReward(ctx, rewards[0].ID); err != nil {
			return err
		}
		if _, err := models.VoidReward(ctx, rewards[1].ID); err != nil {
			return err
		}
	}
	guestRewards, _, err := models.ListParticipantRewards(ctx, "gus", models.Page{})
	if err != nil || len(guestRewards) == 0 {
		return err
	}
	_, err = models.ExpireReward(ctx, guestRewards[0].ID)
	return err
}

// seedReferrerCodeCampaign: personal codes, a three-step quest, a rising
// milestone table with raffle tickets from the third referral on.
func seedReferrerCodeCampaign(ctx context.Context) error {
	rules := models.Rules{
		Steps: []string{"signup_complete", "form_a_complete", "purchase_complete"},
		Milestones: []models.Milestone{
			{Count: 1, Reward: models.Reward{Description: "$10 cash", Kind: "cash", Amount: usd(1000), Currency: "USD"}},
			{Count: 2, Reward: models.Reward{Description: "€20 cash", Kind: "cash", Amount: usd(2000), Currency: "EUR"}},
			{Count: 3, Reward: models.Reward{Description: "Raffle ticket for a year of coffee", Kind: "ticket", Quantity: 1}},
		},
		RepeatLastMilestone: true,
		GuestReward:         &models.Reward{Description: "A free month of the coffee club", Kind: "custom"},
	}
	if err := publish(ctx, ReferrerCodeCampaign, "Refer a friend", models.ModeReferrerCode, rules); err != nil {
		return err
	}
	code, err := models.ReferrerCode(ctx, ReferrerCodeCampaign, "bruno")
	if err != nil {
		return err
	}
	all := []string{"signup_complete", "form_a_complete", "purchase_complete"}
	for i, guest := range []string{"ivy", "jon", "kai", "lea", "max", "noa"} {
		if _, err := models.Claim(ctx, code, guest); err != nil {
			return err
		}
		// ivy has done nothing, jon one step, kai two; the rest finish, so the
		// third completion earns bruno a raffle ticket.
		for _, e := range all[:min(i, len(all))] {
			if _, _, err := models.IngestEvent(ctx, models.EventInput{Participant: guest, Name: e}); err != nil {
				return err
			}
		}
	}
	_, err = models.ReferrerCode(ctx, ReferrerCodeCampaign, "carla")
	return err
}

func publish(ctx context.Context, slug, name, mode string, rules models.Rules) error {
	in := models.CampaignInput{Name: name, Mode: mode, SignupURL: "https://coffee.example/signup", Rules: rules}
	if _, _, err := models.SaveCampaignDraft(ctx, slug, in); err != nil {
		return err
	}
	_, err := models.PublishCampaign(ctx, slug, models.InflightKeep)
	return err
}
