package models_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/tandemhq/tandem/models"
)

func TestManualCampaignWalkthrough(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	var inv models.Invitation
	env.InTenant(t, tenant, func(ctx context.Context) error {
		publish(t, ctx, campaignSpec{slug: "spring", mode: models.ModeInvitation,
			steps: []string{"signup_complete", "purchase_complete"}, milestones: []int64{1000, 2000}, guestAmount: 500})
		var err error
		inv, err = models.CreateInvitation(ctx, "spring", models.InvitationInput{Host: "alice", Channel: "sms"})
		must(t, err)
		if inv.Status != models.StatusPending || len(inv.Code) != 8 || inv.ExpiresAt == nil {
			t.Fatalf("new invitation = %+v", inv)
		}
		// Codes are case-insensitive and forgive stray spaces.
		claimed, err := models.Claim(ctx, " "+strings.ToLower(inv.Code)+" ", "bob")
		must(t, err)
		if claimed.Status != models.StatusClaimed || claimed.Version == nil || *claimed.Version != 1 {
			t.Fatalf("claimed = %+v", claimed)
		}
		return nil
	})

	err := env.TryInTenant(tenant, func(ctx context.Context) error { _, err := models.Claim(ctx, inv.Code, "carol"); return err })
	if !errors.Is(err, models.ErrInvitationAlreadyClaimed) {
		t.Fatalf("second claim: %v", err)
	}

	env.InTenant(t, tenant, func(ctx context.Context) error {
		// The later step first: it waits for its turn.
		must(t, event(ctx, "bob", "purchase_complete"))
		got, err := models.GetInvitation(ctx, inv.ID)
		must(t, err)
		if got.Progress.Done != 0 || got.Progress.NextStep == nil || *got.Progress.NextStep != "signup_complete" {
			t.Fatalf("after early purchase: %+v", got.Progress)
		}
		must(t, event(ctx, "bob", "signup_complete"))
		got, err = models.GetInvitation(ctx, inv.ID)
		must(t, err)
		if got.Status != models.StatusCompleted || got.Progress.Done != 2 || *got.CompletionNumber != 1 {
			t.Fatalf("after signup: %+v", got)
		}
		hostRewards, _, err := models.ListParticipantRewards(ctx, "alice", models.Page{})
		must(t, err)
		guestRewards, _, err := models.ListParticipantRewards(ctx, "bob", models.Page{})
		must(t, err)
		if len(hostRewards) != 1 || *hostRewards[0].Amount != 1000 || *hostRewards[0].Milestone != 1 {
			t.Fatalf("host rewards = %+v", hostRewards)
		}
		if len(guestRewards) != 1 || *guestRewards[0].Amount != 500 || guestRewards[0].Reason != "guest" {
			t.Fatalf("guest rewards = %+v", guestRewards)
		}
		redeemed, err := models.RedeemReward(ctx, hostRewards[0].ID)
		must(t, err)
		again, err := models.RedeemReward(ctx, hostRewards[0].ID)
		must(t, err)
		if redeemed.Status != models.RewardRedeemed || again.Status != models.RewardRedeemed {
			t.Fatalf("redeem twice: %v, %v", redeemed.Status, again.Status)
		}
		return nil
	})
	err = env.TryInTenant(tenant, func(ctx context.Context) error {
		rs, _, err := models.ListParticipantRewards(ctx, "alice", models.Page{})
		must(t, err)
		_, err = models.VoidReward(ctx, rs[0].ID)
		return err
	})
	if !errors.Is(err, models.ErrRewardTransition) {
		t.Fatalf("void after redeem: %v", err)
	}
}
