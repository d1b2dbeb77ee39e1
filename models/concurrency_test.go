package models_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

// TestConcurrentEventsIssueEachRewardOnce posts every guest's quest events,
// each several times and in shuffled order, from 50 goroutines at once, some
// one by one and some in batches. Every invitation must complete exactly
// once, with one guest reward each and one host reward per (host, milestone).
func TestConcurrentEventsIssueEachRewardOnce(t *testing.T) {
	for round := 0; round < 3; round++ {
		t.Run(fmt.Sprint("round", round), func(t *testing.T) { concurrentRound(t, uint64(round)) })
	}
}

func concurrentRound(t *testing.T, seed uint64) {
	const hosts, guestsPerHost, workers = 6, 8, 50
	steps := []string{"signup_complete", "form_a_complete", "purchase_complete"}
	tenant := env.NewTenant(t, "").TenantID
	var codes []string
	env.InTenant(t, tenant, func(ctx context.Context) error {
		publish(t, ctx, campaignSpec{slug: "race", mode: models.ModeInvitation, steps: steps,
			milestones: []int64{1000, 1500, 2000}, repeatLast: true, guestAmount: 500})
		for h := 0; h < hosts; h++ {
			for g := 0; g < guestsPerHost; g++ {
				inv, err := models.CreateInvitation(ctx, "race", models.InvitationInput{Host: fmt.Sprint("host-", h)})
				must(t, err)
				codes = append(codes, inv.Code)
			}
		}
		return nil
	})
	// Claims race too: every guest claims at the same time.
	var wg sync.WaitGroup
	for i, code := range codes {
		wg.Go(func() {
			env.InTenant(t, tenant, func(ctx context.Context) error {
				_, err := models.Claim(ctx, code, fmt.Sprint("guest-", i))
				return err
			})
		})
	}
	wg.Wait()

	var events []models.EventInput
	for i := range codes {
		guest := fmt.Sprint("guest-", i)
		for _, step := range steps {
			key := fmt.Sprintf("%s/%s", guest, step)
			for copy := 0; copy < 3; copy++ {
				events = append(events, models.EventInput{Participant: guest, Name: step, IdempotencyKey: key})
			}
			events = append(events, models.EventInput{Participant: guest, Name: step}) // no key: stored again
		}
	}
	rng := rand.New(rand.NewPCG(seed, 42))
	rng.Shuffle(len(events), func(i, j int) { events[i], events[j] = events[j], events[i] })

	retriesBefore := tenants.Retries()
	work := make(chan []models.EventInput)
	for w := 0; w < workers; w++ {
		wg.Go(func() {
			for batch := range work {
				if err := env.TryInTenant(tenant, func(ctx context.Context) error {
					_, err := models.IngestEvents(ctx, batch)
					return err
				}); err != nil {
					t.Error(err)
				}
			}
		})
	}
	for len(events) > 0 {
		n := 1 + rng.IntN(5)
		if n > len(events) {
			n = len(events)
		}
		work <- events[:n]
		events = events[n:]
	}
	close(work)
	wg.Wait()
	// Concurrent batches can still deadlock on two hosts' counter rows
	// (docs/design.md, known limitation 3: caught under load with the
	// retry's log, each side at invitations_before_update's FOR UPDATE of
	// host_completions). The transaction is run again, and what must hold is
	// that every reward was issued once, checked below; the re-runs are told.
	if n := tenants.Retries() - retriesBefore; n != 0 {
		t.Logf("%d transactions were re-run after a deadlock or serialization failure", n)
	}

	checkRewardsIssuedOnce(t, tenant, hosts, guestsPerHost)
}

func checkRewardsIssuedOnce(t *testing.T, tenant uuid.UUID, hosts, guestsPerHost int) {
	t.Helper()
	env.InTenant(t, tenant, func(ctx context.Context) error {
		for h := 0; h < hosts; h++ {
			host := fmt.Sprint("host-", h)
			invs, _, err := models.ListHostInvitations(ctx, host, models.Page{Limit: models.MaxPageSize})
			must(t, err)
			numbers := map[int]bool{}
			for _, inv := range invs {
				if inv.Status != models.StatusCompleted || inv.CompletionNumber == nil {
					t.Fatalf("%s: invitation %s is %s at %d/%d", host, inv.ID, inv.Status, inv.Progress.Done, inv.Progress.Total)
				}
				numbers[*inv.CompletionNumber] = true
				guestRewards, _, err := models.ListParticipantRewards(ctx, *inv.Guest, models.Page{})
				must(t, err)
				if len(guestRewards) != 1 || guestRewards[0].Invitation != inv.ID {
					t.Fatalf("guest %s has rewards %+v", *inv.Guest, guestRewards)
				}
			}
			if len(invs) != guestsPerHost || len(numbers) != guestsPerHost || !numbers[1] || !numbers[guestsPerHost] {
				t.Fatalf("%s: completion numbers %v over %d invitations", host, numbers, len(invs))
			}
			rewards, _, err := models.ListParticipantRewards(ctx, host, models.Page{Limit: models.MaxPageSize})
			must(t, err)
			milestones := map[int]int64{}
			for _, r := range rewards {
				if _, dup := milestones[*r.Milestone]; dup {
					t.Fatalf("%s: milestone %d issued twice", host, *r.Milestone)
				}
				milestones[*r.Milestone] = *r.Amount
			}
			// Rows 1 and 2, then row 3 repeated for every later completion.
			want := map[int]int64{1: 1000, 2: 1500}
			for n := 3; n <= guestsPerHost; n++ {
				want[n] = 2000
			}
			if fmt.Sprint(milestones) != fmt.Sprint(want) {
				t.Fatalf("%s: milestones %v, want %v", host, milestones, want)
			}
		}
		return nil
	})
}

// TestClaimAndEventRaceSeeEachOther sends a guest's claim and their one quest
// event at the same instant, many times: whichever commits second must see
// the other, so every invitation completes.
func TestClaimAndEventRaceSeeEachOther(t *testing.T) {
	const pairs = 40
	tenant := env.NewTenant(t, "").TenantID
	codes := make([]string, pairs)
	env.InTenant(t, tenant, func(ctx context.Context) error {
		publish(t, ctx, campaignSpec{slug: "race", mode: models.ModeInvitation, steps: []string{"signup_complete"}, milestones: []int64{100}})
		for i := range codes {
			inv, err := models.CreateInvitation(ctx, "race", models.InvitationInput{Host: "host"})
			must(t, err)
			codes[i] = inv.Code
			// Known guests: creating one would make the two sides queue
			// behind each other's insert and hide the race.
			_, _, err = models.UpsertParticipant(ctx, models.ParticipantInput{ExternalID: fmt.Sprint("guest-", i)})
			must(t, err)
		}
		return nil
	})
	var wg sync.WaitGroup
	for i, code := range codes {
		guest := fmt.Sprint("guest-", i)
		// Each side holds its transaction open until the other has done its
		// work too (or a moment has passed, when the other is waiting on a
		// lock), so both are in flight together. The outcome asserted below
		// must hold however the two interleave.
		claimed, posted := make(chan struct{}), make(chan struct{})
		meet := func(mine, theirs chan struct{}) {
			close(mine)
			select {
			case <-theirs:
			case <-time.After(50 * time.Millisecond):
			}
		}
		wg.Go(func() {
			env.InTenant(t, tenant, func(ctx context.Context) error {
				_, err := models.Claim(ctx, code, guest)
				meet(claimed, posted)
				return err
			})
		})
		wg.Go(func() {
			env.InTenant(t, tenant, func(ctx context.Context) error {
				err := event(ctx, guest, "signup_complete")
				meet(posted, claimed)
				return err
			})
		})
	}
	wg.Wait()
	env.InTenant(t, tenant, func(ctx context.Context) error {
		invs, _, err := models.ListHostInvitations(ctx, "host", models.Page{Limit: models.MaxPageSize})
		must(t, err)
		for _, inv := range invs {
			if inv.Status != models.StatusCompleted {
				t.Errorf("invitation %s of %s is %s at %d/%d", inv.ID, *inv.Guest, inv.Status, inv.Progress.Done, inv.Progress.Total)
			}
		}
		if len(invs) != pairs {
			t.Fatalf("%d invitations, want %d", len(invs), pairs)
		}
		return nil
	})
}
