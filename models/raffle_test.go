package models_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/tandemhq/tandem/models"
)

func TestRaffleDrawIsRecordedAndRecheckable(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	var raffleID string
	env.InTenant(t, tenant, func(ctx context.Context) error {
		rules := models.Rules{Steps: []string{"invitation_claimed"}, RepeatLastMilestone: true, Milestones: []models.Milestone{
			{Count: 1, Reward: models.Reward{Description: "raffle ticket", Kind: "ticket", Quantity: 2}}}}
		_, _, err := models.SaveCampaignDraft(ctx, "draw", models.CampaignInput{Name: "Draw", Mode: models.ModeReferrerCode, Rules: rules})
		must(t, err)
		_, err = models.PublishCampaign(ctx, "draw", models.InflightKeep)
		must(t, err)
		// host-h refers h+1 guests: 2(h+1) tickets.
		for h := 0; h < 4; h++ {
			code, err := models.ReferrerCode(ctx, "draw", fmt.Sprint("host-", h))
			must(t, err)
			for g := 0; g <= h; g++ {
				_, err := models.Claim(ctx, code, fmt.Sprintf("guest-%d-%d", h, g))
				must(t, err)
			}
		}
		raffle, err := models.DrawRaffle(ctx, "draw", 2)
		must(t, err)
		raffleID = raffle.ID
		return nil
	})
	env.InTenant(t, tenant, func(ctx context.Context) error {
		r, err := models.GetRaffle(ctx, raffleID)
		must(t, err)
		if len(r.Winners) != 2 || r.Winners[0] == r.Winners[1] || len(r.Entries) != 4 {
			t.Fatalf("raffle = %+v", r)
		}
		for i, e := range r.Entries {
			want := int64(0)
			fmt.Sscanf(e.Participant, "host-%d", &want)
			if e.Tickets != 2*(want+1) {
				t.Fatalf("entry %d = %+v", i, e)
			}
		}
		again, err := models.DrawWinners(r.Seed, r.Entries, 2)
		must(t, err)
		if !slices.Equal(again, r.Winners) {
			t.Fatalf("re-drawing with the stored seed gives %v, recorded %v", again, r.Winners)
		}
		rewards, _, err := models.ListParticipantRewards(ctx, "host-3", models.Page{})
		must(t, err)
		for _, rw := range rewards {
			if rw.Status != models.RewardRedeemed || rw.RaffleDraw == nil || *rw.RaffleDraw != raffleID {
				t.Fatalf("ticket after the draw: %+v", rw)
			}
		}
		return nil
	})
	err := env.TryInTenant(tenant, func(ctx context.Context) error { _, err := models.DrawRaffle(ctx, "draw", 1); return err })
	if !errors.Is(err, models.ErrNoTickets) {
		t.Fatalf("second draw over spent tickets: %v", err)
	}
}

// TestDrawWinnersFollowsWeights checks the draw over many seeds: a
// participant with 9 of 10 tickets should win first about 90% of the time.
func TestDrawWinnersFollowsWeights(t *testing.T) {
	entries := []models.RaffleEntry{{Participant: "light", Tickets: 1}, {Participant: "heavy", Tickets: 9}}
	heavy := 0
	const draws = 4000
	for i := 0; i < draws; i++ {
		seed := fmt.Sprintf("%064x", i)
		w, err := models.DrawWinners(seed, entries, 2)
		must(t, err)
		if len(w) != 2 || w[0] == w[1] {
			t.Fatalf("seed %s: winners %v", seed, w)
		}
		if w[0] == "heavy" {
			heavy++
		}
	}
	// 90% of 4000 is 3600 with a standard deviation of 19: ±100 is over 5 sigma.
	if heavy < 3500 || heavy > 3700 {
		t.Fatalf("heavy won first %d of %d draws, want about 3600", heavy, draws)
	}
	if _, err := models.DrawWinners("not hex", entries, 1); err == nil {
		t.Fatal("a malformed seed was accepted")
	}
}
