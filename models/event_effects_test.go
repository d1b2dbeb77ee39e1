package models_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/tandemhq/tandem/models"
)

// effectWords is an event's effects as "type invitation step/steps" words,
// one per effect, for comparing.
func effectWords(effects []models.EventEffect) string {
	var words []string
	for _, e := range effects {
		w := e.Type
		if e.Invitation != "" {
			w += " " + e.Invitation
		}
		if e.Steps > 0 {
			w += fmt.Sprintf(" %d/%d", e.Step, e.Steps)
		}
		words = append(words, w)
	}
	return strings.Join(words, ", ")
}

// Each event says what it did, when it is ingested and again when the log
// reads it later: a step done in order advances, one done ahead of an
// earlier step is early, a step sent again is repeated, the last missing
// step completes, a name that is no step moves nothing, a participant
// never referred has no invitation, a key sent again is a duplicate, and
// the referee's claim event names the invitation it claimed.
func TestEventEffects(t *testing.T) {
	tenant := claimedGuest(t, "signup_complete", "form_complete", "purchase_complete")
	env.InTenant(t, tenant, func(ctx context.Context) error {
		invs, _, err := models.ListInvitations(ctx, models.InvitationFilter{Guest: "bob"}, models.Page{})
		must(t, err)
		inv := invs[0].ID
		sends := []struct {
			participant, name, key, want string
		}{
			{"bob", "signup_complete", "", "advanced " + inv + " 1/3"},
			{"bob", "purchase_complete", "", "early " + inv + " 3/3"},
			{"bob", "signup_complete", "", "repeated"},
			{"bob", "page_view", "", "not_a_step"},
			{"carol", "signup_complete", "k1", "no_invitation"},
			{"carol", "signup_complete", "k1", "duplicate"},
			{"carol", "signup_complete", "", "repeated"},
			{"bob", "form_complete", "", "completed " + inv + " 2/3"},
		}
		var ids []string
		var wants []string
		for _, s := range sends {
			results, err := models.IngestEvents(ctx, []models.EventInput{{Participant: s.participant, Name: s.name, IdempotencyKey: s.key}})
			must(t, err)
			if got := effectWords(results[0].Effects); got != s.want {
				t.Errorf("ingesting %s of %s: effects %q, want %q", s.name, s.participant, got, s.want)
			}
			for _, e := range results[0].Effects {
				if e.Message == "" || strings.Contains(e.Message, "Unknown") {
					t.Errorf("ingesting %s of %s: effect %s has message %q", s.name, s.participant, e.Type, e.Message)
				}
			}
			if s.want != "duplicate" {
				ids, wants = append(ids, results[0].ID), append(wants, s.want)
			}
		}

		log, err := models.ListEvents(ctx, models.EventFilter{}, models.Page{Limit: 20})
		must(t, err)
		byID := map[string]models.LoggedEvent{}
		var claim []models.EventEffect
		for _, e := range log.Events {
			byID[e.ID] = e
			if e.Name == "invitation_claimed" {
				claim = e.Effects
			}
		}
		for i, id := range ids {
			if got := effectWords(byID[id].Effects); got != wants[i] {
				t.Errorf("the log's event %d: effects %q, want %q (as ingested)", i, got, wants[i])
			}
		}
		if got := effectWords(claim); got != "claimed "+inv {
			t.Errorf("the claim's effects %q, want claimed %s", got, inv)
		}
		if !slices.IsSortedFunc(log.Events, func(a, b models.LoggedEvent) int { return strings.Compare(b.ID, a.ID) }) {
			t.Error("the log is not newest first")
		}
		return nil
	})
}

// In a batch, the first event of a pair is judged and the same pair again
// is a repeat; a pair recorded by an earlier batch is a repeat with no
// read of the invitations. The log, judging later, says the same.
func TestEventEffectsOfRepeatsInABatch(t *testing.T) {
	tenant := claimedGuest(t, "signup_complete", "purchase_complete")
	env.InTenant(t, tenant, func(ctx context.Context) error {
		invs, _, err := models.ListInvitations(ctx, models.InvitationFilter{Guest: "bob"}, models.Page{})
		must(t, err)
		inv := invs[0].ID
		var ids, wants []string
		for _, batch := range []struct {
			names []string
			wants []string
		}{
			{[]string{"signup_complete", "signup_complete", "page_view"}, []string{"advanced " + inv + " 1/2", "repeated", "not_a_step"}},
			{[]string{"signup_complete", "purchase_complete", "purchase_complete"}, []string{"repeated", "completed " + inv + " 2/2", "repeated"}},
		} {
			in := make([]models.EventInput, len(batch.names))
			for i, name := range batch.names {
				in[i] = models.EventInput{Participant: "bob", Name: name}
			}
			results, err := models.IngestEvents(ctx, in)
			must(t, err)
			for i, r := range results {
				if got := effectWords(r.Effects); got != batch.wants[i] {
					t.Errorf("%v, event %d: effects %q, want %q", batch.names, i, got, batch.wants[i])
				}
				if r.Effects[0].Type == models.EffectRepeated && r.Effects[0].StepName != batch.names[i] {
					t.Errorf("%v, event %d: a repeat names step %q, want %q", batch.names, i, r.Effects[0].StepName, batch.names[i])
				}
				ids, wants = append(ids, r.ID), append(wants, batch.wants[i])
			}
		}
		logged, err := models.EventEffects(ctx, ids)
		must(t, err)
		for i, id := range ids {
			if got := effectWords(logged[id]); got != wants[i] {
				t.Errorf("the log's event %d: effects %q, want %q (as ingested)", i, got, wants[i])
			}
		}
		return nil
	})
}

// The log filters by participant and name, and an unknown participant is
// the usual not-found error.
func TestEventLogFilters(t *testing.T) {
	tenant := claimedGuest(t, "signup_complete")
	env.InTenant(t, tenant, func(ctx context.Context) error {
		must(t, event(ctx, "bob", "signup_complete"))
		must(t, event(ctx, "bob", "page_view"))
		must(t, event(ctx, "carol", "page_view"))
		log, err := models.ListEvents(ctx, models.EventFilter{Participant: "bob", Name: "page_view"}, models.Page{})
		must(t, err)
		if len(log.Events) != 1 || log.Events[0].Participant != "bob" || log.Events[0].Name != "page_view" {
			t.Errorf("bob's page views: %+v, want one", log.Events)
		}
		if log.Next != "" {
			t.Errorf("a short log has a next page: %q", log.Next)
		}
		if _, err := models.ListEvents(ctx, models.EventFilter{Participant: "nobody"}, models.Page{}); !errors.Is(err, models.ErrParticipantNotFound) {
			t.Errorf("an unknown participant: %v, want participant_not_found", err)
		}
		return nil
	})
}
