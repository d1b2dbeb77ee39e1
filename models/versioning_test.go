package models_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"

	"github.com/tandemhq/tandem/models"
)

// TestPublishKeepAndMigrate: keep leaves in-flight invitations on the version
// they were claimed under; migrate re-judges them from their stored events
// (completing, advancing or falling back as previewed) and never touches a
// completed invitation or an issued reward.
func TestPublishKeepAndMigrate(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	claim := func(ctx context.Context, host, guest string) string {
		inv, err := models.CreateInvitation(ctx, "evolve", models.InvitationInput{Host: host})
		must(t, err)
		_, err = models.Claim(ctx, inv.Code, guest)
		must(t, err)
		return inv.ID
	}
	var halfway, done, other string
	env.InTenant(t, tenant, func(ctx context.Context) error {
		_, _, err := models.DefineEvent(ctx, "app_installed", "")
		must(t, err)
		publish(t, ctx, campaignSpec{slug: "evolve", mode: models.ModeInvitation,
			steps: []string{"signup_complete", "purchase_complete"}, milestones: []int64{1000}, repeatLast: true, guestAmount: 500})
		halfway, done, other = claim(ctx, "host", "halfway"), claim(ctx, "host", "done"), claim(ctx, "host", "other")
		must(t, event(ctx, "halfway", "signup_complete"))
		must(t, event(ctx, "done", "signup_complete"))
		must(t, event(ctx, "done", "purchase_complete"))
		must(t, event(ctx, "other", "app_installed"))
		return nil
	})
	rewardsBefore := rewardSnapshot(t, tenant)

	// Version 2 asks only for app_installed.
	saveDraft := func(ctx context.Context, steps ...string) {
		_, _, err := models.SaveCampaignDraft(ctx, "evolve", models.CampaignInput{Name: "Evolve", Mode: models.ModeInvitation,
			Rules: models.Rules{Steps: steps, Milestones: []models.Milestone{{Count: 1, Reward: models.Reward{Description: "v2 reward", Kind: "custom"}}}}})
		must(t, err)
	}
	env.InTenant(t, tenant, func(ctx context.Context) error {
		saveDraft(ctx, "app_installed")
		preview, err := models.PreviewMigration(ctx, "evolve")
		must(t, err)
		want := models.MigrationPreview{InFlight: 2, Complete: 1, FallBack: 1}
		if preview != want {
			t.Fatalf("preview = %+v, want %+v", preview, want)
		}
		pub, err := models.PublishCampaign(ctx, "evolve", models.InflightKeep)
		must(t, err)
		if pub.Version.Number != 2 || pub.Campaign.Status != "active" {
			t.Fatalf("publication = %+v", pub)
		}
		for _, id := range []string{halfway, other} {
			inv, err := models.GetInvitation(ctx, id)
			must(t, err)
			if *inv.Version != 1 || inv.Status != models.StatusClaimed {
				t.Fatalf("keep moved %s: %+v", id, inv)
			}
		}
		return nil
	})

	// Version 3, published with migrate: same steps as version 2.
	env.InTenant(t, tenant, func(ctx context.Context) error {
		saveDraft(ctx, "app_installed")
		pub, err := models.PublishCampaign(ctx, "evolve", models.InflightMigrate)
		must(t, err)
		must(t, finishMigration(ctx, "evolve"))
		if pub.Version.Number != 3 || pub.Migrated != (models.MigrationPreview{InFlight: 2, Complete: 1, FallBack: 1}) {
			t.Fatalf("publication = %+v", pub)
		}
		h, err := models.GetInvitation(ctx, halfway)
		must(t, err)
		if *h.Version != 3 || h.Progress.Done != 0 || h.Status != models.StatusClaimed {
			t.Fatalf("halfway after migrate = %+v", h)
		}
		o, err := models.GetInvitation(ctx, other)
		must(t, err)
		if *o.Version != 3 || o.Status != models.StatusCompleted || *o.CompletionNumber != 2 {
			t.Fatalf("other after migrate = %+v", o)
		}
		d, err := models.GetInvitation(ctx, done)
		must(t, err)
		if *d.Version != 1 || *d.CompletionNumber != 1 {
			t.Fatalf("completed invitation moved: %+v", d)
		}
		// The migrated completion earns version 3's milestone table: row 1
		// is the last row, but this is the host's 2nd completion and v3 does
		// not repeat it, so the host gets nothing; the guest reward of v3 is none.
		rewards, _, err := models.ListParticipantRewards(ctx, "other", models.Page{})
		must(t, err)
		if len(rewards) != 0 {
			t.Fatalf("guest of v3 got %+v", rewards)
		}
		return nil
	})
	after := rewardSnapshot(t, tenant)
	for id, r := range rewardsBefore {
		if after[id] != r {
			t.Fatalf("reward %s changed: %+v -> %+v", id, r, after[id])
		}
	}

	// Publishing again without a draft is refused.
	err := env.TryInTenant(tenant, func(ctx context.Context) error {
		_, err := models.PublishCampaign(ctx, "evolve", models.InflightKeep)
		return err
	})
	if !errors.Is(err, models.ErrNoDraft) {
		t.Fatalf("publish without draft: %v", err)
	}
}

type rewardFacts struct {
	participant, status, description string
	amount                           int64
}

func rewardSnapshot(t *testing.T, tenant uuid.UUID) map[string]rewardFacts {
	t.Helper()
	out := map[string]rewardFacts{}
	var rows []struct {
		ID, ParticipantID, Status, Description string
		Amount                                 *int64
	}
	env.InTenant(t, tenant, func(ctx context.Context) error {
		return models.TxOf(ctx).Raw(`SELECT id, participant_id, status, description, amount FROM reward_tokens`).Scan(&rows).Error
	})
	for _, r := range rows {
		var amount int64
		if r.Amount != nil {
			amount = *r.Amount
		}
		out[r.ID] = rewardFacts{r.ParticipantID, r.Status, r.Description, amount}
	}
	if len(out) == 0 {
		t.Fatal("no rewards to compare")
	}
	return out
}

// The preview counts each kind of move, and the migration then moves each
// invitation as previewed: version 1 asks for a, b, c; version 2 for a, c, d.
func TestPreviewMigrationCountsEachKind(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	sent := map[string][]string{
		"completes": {"a", "c", "d"}, // 1 of 3, then 3 of 3
		"advances":  {"a", "c"},      // 1, then 2
		"falls":     {"a", "b"},      // 2, then 1
		"stays":     {"a"},           // 1, then 1
		"idle":      nil,             // 0, then 0
	}
	want := map[string]int{"advances": 2, "falls": 1, "stays": 1, "idle": 0}
	ids := map[string]string{}
	env.InTenant(t, tenant, func(ctx context.Context) error {
		_, _, err := models.DefineEvent(ctx, "d", "")
		must(t, err)
		publish(t, ctx, campaignSpec{slug: "kinds", mode: models.ModeInvitation, steps: []string{"a", "b", "c"}, milestones: []int64{100}})
		for guest, names := range sent {
			ids[guest] = mustClaim(t, ctx, mustInvite(t, ctx, "kinds", "host").Code, guest).ID
			for _, name := range names {
				must(t, event(ctx, guest, name))
			}
		}
		_, _, err = models.SaveCampaignDraft(ctx, "kinds", models.CampaignInput{Name: "Kinds", Mode: models.ModeInvitation,
			Rules: models.Rules{Steps: []string{"a", "c", "d"}, Milestones: []models.Milestone{{Count: 1, Reward: models.Reward{Description: "v2", Kind: "custom"}}}}})
		must(t, err)
		preview, err := models.PreviewMigration(ctx, "kinds")
		must(t, err)
		if w := (models.MigrationPreview{InFlight: 5, Complete: 1, Advance: 1, FallBack: 1, Unchanged: 2}); preview != w {
			t.Fatalf("preview = %+v, want %+v", preview, w)
		}
		_, err = models.PublishCampaign(ctx, "kinds", models.InflightMigrate)
		must(t, err)
		must(t, finishMigration(ctx, "kinds"))
		for guest, done := range want {
			inv, err := models.GetInvitation(ctx, ids[guest])
			must(t, err)
			if inv.Progress.Done != done || inv.Status != models.StatusClaimed {
				t.Errorf("%s after the migration: %d steps done (%s), want %d, as previewed", guest, inv.Progress.Done, inv.Status, done)
			}
		}
		inv, err := models.GetInvitation(ctx, ids["completes"])
		must(t, err)
		if inv.Status != models.StatusCompleted {
			t.Errorf("completes after the migration: %s, want completed, as previewed", inv.Status)
		}
		return nil
	})
}
