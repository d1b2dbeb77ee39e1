package models_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/tandemhq/tandem/internal/dbtest"
	"github.com/tandemhq/tandem/models"
)

var env *dbtest.Env

func TestMain(m *testing.M) { dbtest.Main(m, "models", &env) }

// must fails the test when err is not nil.
func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// campaignSpec is a compact campaign for tests.
type campaignSpec struct {
	slug, mode  string
	steps       []string
	milestones  []int64 // amount in cents of the host reward for the 1st, 2nd, … completion
	repeatLast  bool
	guestAmount int64 // 0: no guest reward
}

// publish defines the steps' events, saves the campaign draft and publishes it.
func publish(t testing.TB, ctx context.Context, s campaignSpec) models.Publication {
	t.Helper()
	for _, step := range s.steps {
		if step == "invitation_claimed" {
			continue
		}
		if _, _, err := models.DefineEvent(ctx, step, ""); err != nil {
			t.Fatal(err)
		}
	}
	rules := models.Rules{Steps: s.steps, RepeatLastMilestone: s.repeatLast}
	for i, amount := range s.milestones {
		a := amount
		rules.Milestones = append(rules.Milestones, models.Milestone{Count: i + 1, Reward: models.Reward{
			Description: fmt.Sprintf("$%d for referral %d", amount/100, i+1), Kind: "cash", Amount: &a, Currency: "USD"}})
	}
	if s.guestAmount > 0 {
		a := s.guestAmount
		rules.GuestReward = &models.Reward{Description: "welcome credit", Kind: "credit", Amount: &a, Currency: "USD"}
	}
	if _, _, err := models.SaveCampaignDraft(ctx, s.slug, models.CampaignInput{Name: s.slug, Mode: s.mode, Rules: rules}); err != nil {
		t.Fatal(err)
	}
	pub, err := models.PublishCampaign(ctx, s.slug, models.InflightKeep)
	if err != nil {
		t.Fatal(err)
	}
	return pub
}

// event posts one event without an idempotency key.
func event(ctx context.Context, participant, name string) error {
	_, _, err := models.IngestEvent(ctx, models.EventInput{Participant: participant, Name: name})
	return err
}
