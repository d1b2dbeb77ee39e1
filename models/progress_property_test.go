package models_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/tandemhq/tandem/models"
)

// TestProgressIgnoresOrderAndDuplicates is a property test of rule 5: for
// random sets of events, any permutation with any duplication gives the
// progress "longest prefix of steps present", the same for every ordering.
func TestProgressIgnoresOrderAndDuplicates(t *testing.T) {
	steps := []string{"step_a", "step_b", "step_c", "step_d"}
	noise := []string{"page_view", "step_e"}
	tenant := env.NewTenant(t, "").TenantID
	env.InTenant(t, tenant, func(ctx context.Context) error {
		for _, n := range noise {
			_, _, err := models.DefineEvent(ctx, n, "")
			must(t, err)
		}
		publish(t, ctx, campaignSpec{slug: "prop", mode: models.ModeInvitation, steps: steps, milestones: []int64{100}})
		return nil
	})
	rng := rand.New(rand.NewPCG(7, 7))
	const trials, orderings = 25, 3
	for trial := 0; trial < trials; trial++ {
		var set []string
		for _, name := range append(append([]string{}, steps...), noise...) {
			if rng.IntN(3) > 0 {
				set = append(set, name)
			}
		}
		want := 0
		for want < len(steps) && slices.Contains(set, steps[want]) {
			want++
		}
		for o := 0; o < orderings; o++ {
			guest := fmt.Sprintf("guest-%d-%d", trial, o)
			var events []models.EventInput
			for _, name := range set {
				for copies := 1 + rng.IntN(3); copies > 0; copies-- {
					events = append(events, models.EventInput{Participant: guest, Name: name})
				}
			}
			rng.Shuffle(len(events), func(i, j int) { events[i], events[j] = events[j], events[i] })
			var invID string
			env.InTenant(t, tenant, func(ctx context.Context) error {
				inv, err := models.CreateInvitation(ctx, "prop", models.InvitationInput{Host: fmt.Sprint("host-", trial)})
				must(t, err)
				invID = inv.ID
				_, err = models.Claim(ctx, inv.Code, guest)
				return err
			})
			// One transaction per event: arrival order is the shuffled order.
			for _, e := range events {
				env.InTenant(t, tenant, func(ctx context.Context) error {
					_, err := models.IngestEvents(ctx, []models.EventInput{e})
					return err
				})
			}
			env.InTenant(t, tenant, func(ctx context.Context) error {
				inv, err := models.GetInvitation(ctx, invID)
				must(t, err)
				if inv.Progress.Done != want {
					t.Errorf("events %v in order %v: progress %d, want %d", set, names(events), inv.Progress.Done, want)
				}
				if (want == len(steps)) != (inv.Status == models.StatusCompleted) {
					t.Errorf("events %v: status %s at progress %d", set, inv.Status, want)
				}
				return nil
			})
		}
	}
}

func names(events []models.EventInput) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = e.Name
	}
	return out
}
