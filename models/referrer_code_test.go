package models_test

import (
	"context"
	"errors"
	"testing"

	"github.com/tandemhq/tandem/models"
)

func TestReferrerCodeCampaign(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	var code string
	env.InTenant(t, tenant, func(ctx context.Context) error {
		// A quest of just the claim completes on sign-up.
		publish(t, ctx, campaignSpec{slug: "refer", mode: models.ModeReferrerCode,
			steps: []string{"invitation_claimed"}, milestones: []int64{1000}, repeatLast: true, guestAmount: 500})
		var err error
		code, err = models.ReferrerCode(ctx, "refer", "alice")
		must(t, err)
		again, err := models.ReferrerCode(ctx, "refer", "alice")
		must(t, err)
		if again != code {
			t.Fatalf("referrer code changed: %s then %s", code, again)
		}
		for _, guest := range []string{"bob", "carol"} {
			inv, err := models.Claim(ctx, code, guest)
			must(t, err)
			if inv.Kind != models.ModeReferrerCode || inv.Status != models.StatusCompleted || inv.Host != "alice" {
				t.Fatalf("claim by %s = %+v", guest, inv)
			}
		}
		rewards, _, err := models.ListParticipantRewards(ctx, "alice", models.Page{})
		must(t, err)
		if len(rewards) != 2 {
			t.Fatalf("alice has %d rewards, want 2 (milestone 1, then the repeated last row)", len(rewards))
		}
		return nil
	})

	failures := []struct {
		name string
		do   func(ctx context.Context) error
		want error
	}{
		{"host uses own code", func(ctx context.Context) error { _, err := models.Claim(ctx, code, "alice"); return err }, models.ErrSelfReferral},
		{"guest referred twice", func(ctx context.Context) error { _, err := models.Claim(ctx, code, "bob"); return err }, models.ErrGuestAlreadyReferred},
		{"unknown code", func(ctx context.Context) error { _, err := models.Claim(ctx, "ABCDEFGH", "dave"); return err }, models.ErrCodeNotFound},
		{"manual invitation in a referrer-code campaign", func(ctx context.Context) error {
			_, err := models.CreateInvitation(ctx, "refer", models.InvitationInput{Host: "alice"})
			return err
		}, models.ErrCampaignModeMismatch},
		{"claim while paused", func(ctx context.Context) error {
			if _, err := models.ChangeCampaignStatus(ctx, "refer", models.ActionPause); err != nil {
				return err
			}
			_, err := models.Claim(ctx, code, "erin")
			return err
		}, models.ErrCampaignNotActive},
	}
	for _, f := range failures {
		t.Run(f.name, func(t *testing.T) {
			if err := env.TryInTenant(tenant, f.do); !errors.Is(err, f.want) {
				t.Fatalf("got %v, want %v", err, f.want)
			}
		})
	}

	var invalid *models.ValidationError
	err := env.TryInTenant(tenant, func(ctx context.Context) error { _, err := models.Claim(ctx, "O0I1-bad", "dave"); return err })
	if !errors.As(err, &invalid) || invalid.Field != "code" {
		t.Fatalf("malformed code: %v", err)
	}
}

func TestCampaignStatusMachine(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	env.InTenant(t, tenant, func(ctx context.Context) error {
		publish(t, ctx, campaignSpec{slug: "life", mode: models.ModeInvitation, steps: []string{"signup_complete"}})
		for _, step := range []struct{ action, status string }{
			{models.ActionPause, "paused"}, {models.ActionPause, "paused"}, {models.ActionResume, "active"}, {models.ActionEnd, "ended"},
		} {
			c, err := models.ChangeCampaignStatus(ctx, "life", step.action)
			must(t, err)
			if c.Status != step.status {
				t.Fatalf("%s: status %s, want %s", step.action, c.Status, step.status)
			}
		}
		return nil
	})
	err := env.TryInTenant(tenant, func(ctx context.Context) error {
		_, err := models.ChangeCampaignStatus(ctx, "life", models.ActionResume)
		return err
	})
	if !errors.Is(err, models.ErrCampaignTransition) {
		t.Fatalf("resume after end: %v", err)
	}
}
