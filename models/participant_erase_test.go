package models_test

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/tandemhq/tandem/models"
)

// erasureSubject is a participant with a history that touches every place
// personal data is kept: contact fields (changed once, so the old display
// name lives on in a webhook snapshot), invitations with recipients as
// host, a completion with rewards, raffle tickets and a draw, events with
// properties and an idempotency key, a stored idempotent answer, and
// webhook messages about all of it.
type erasureSubject struct {
	externalID string
	olds       []string // every value that must be gone after erasure
}

func newErasureSubject(t *testing.T, tenant uuid.UUID) erasureSubject {
	t.Helper()
	s := erasureSubject{externalID: "bob-erase-7f3a", olds: []string{"bob-erase-7f3a", "bob.erase@example.com", "+4915550123",
		"Bob Erasmus", "Bob E. Rasmus", "carol.erase@example.com", "dave.erase@example.com", "signup-bob-erase-7f3a", "Flat 4, 12 Erase Street"}}
	env.InTenant(t, tenant, func(ctx context.Context) error {
		_, err := models.CreateWebhookEndpoint(ctx, testBox, models.WebhookEndpointInput{URL: ptr("https://example.com/hook"), Events: []string{"*"}})
		must(t, err)
		publish(t, ctx, campaignSpec{slug: "money", mode: models.ModeInvitation, steps: []string{"signup_complete"},
			milestones: []int64{1000}, guestAmount: 500})
		rules := models.Rules{Steps: []string{"signup_complete"}, RepeatLastMilestone: true, Milestones: []models.Milestone{
			{Count: 1, Reward: models.Reward{Description: "raffle ticket", Kind: "ticket", Quantity: 2}}}}
		_, _, err = models.SaveCampaignDraft(ctx, "draw", models.CampaignInput{Name: "Draw", Mode: models.ModeInvitation, Rules: rules})
		must(t, err)
		_, err = models.PublishCampaign(ctx, "draw", models.InflightKeep)
		must(t, err)

		_, _, err = models.UpsertParticipant(ctx, models.ParticipantInput{ExternalID: s.externalID, Email: ptr("bob.erase@example.com"),
			Phone: ptr("+4915550123"), DisplayName: ptr("Bob Erasmus")})
		must(t, err)
		_, _, err = models.UpsertParticipant(ctx, models.ParticipantInput{ExternalID: s.externalID, DisplayName: ptr("Bob E. Rasmus"),
			Client: &models.Client{IP: "203.0.113.7", UserAgent: "Mozilla/5.0 (Erasure)"}})
		must(t, err)
		refer := func(campaign, host, recipient, guest string) string {
			inv, err := models.CreateInvitation(ctx, campaign, models.InvitationInput{Host: host, Channel: "email", Recipient: recipient})
			must(t, err)
			_, err = models.Claim(ctx, inv.Code, guest)
			must(t, err)
			_, _, err = models.IngestEvent(ctx, models.EventInput{Participant: guest, Name: "signup_complete",
				Properties: []byte(`{"plan":"pro"}`)})
			must(t, err)
			return inv.ID
		}
		money := refer("money", s.externalID, "carol.erase@example.com", "carol-erase-9c1d")
		must(t, models.RecordRisk(ctx, money, []models.RiskSignal{{Code: "email_alias", Level: models.RiskMedium,
			Detail: "carol@example.com and the host's bob.erase@example.com are one mailbox"}}))
		refer("draw", s.externalID, "dave.erase@example.com", "dave-erase-2b8e")
		refer("draw", "erin-erase-5e6f", "", "frank-erase-8a9b")
		_, _, err = models.IngestEvent(ctx, models.EventInput{Participant: s.externalID, Name: "signup_complete",
			IdempotencyKey: "signup-bob-erase-7f3a", Properties: []byte(`{"email":"bob.erase@example.com","address":"Flat 4, 12 Erase Street"}`)})
		must(t, err)
		_, err = models.DrawRaffle(ctx, "draw", 2)
		must(t, err)
		hash := sha256.Sum256([]byte("request"))
		_, err = models.BeginIdempotent(ctx, "participant-upsert-1", hash)
		must(t, err)
		return models.FinishIdempotent(ctx, "participant-upsert-1", 200, []byte(`{"external_id":"bob-erase-7f3a","display_name":"Bob Erasmus"}`))
	})
	return s
}

// factsOf is every fact of the tenant's referrals that erasure must keep,
// as text: invitations (but their recipients and risk evidence: the
// signals' codes and levels are facts), completions, rewards,
// rollups and raffle results, and the quest progress and completion
// numbers the API shows.
func factsOf(t *testing.T, tenant uuid.UUID) string {
	t.Helper()
	var facts string
	must(t, dialRaw(t, env.OwnerURL).QueryRow(context.Background(), `SELECT concat_ws(E'\n',
		(SELECT jsonb_agg(to_jsonb(i) - 'recipient' - 'risk_signals' ORDER BY id) FROM invitations i WHERE tenant_id = $1)::text,
		(SELECT jsonb_agg(s - 'detail' ORDER BY i.id, n) FROM invitations i, jsonb_array_elements(i.risk_signals) WITH ORDINALITY e(s, n)
		  WHERE i.tenant_id = $1)::text,
		(SELECT jsonb_agg(h ORDER BY campaign_id, host_id) FROM host_completions h WHERE tenant_id = $1)::text,
		(SELECT jsonb_agg(r ORDER BY id) FROM reward_tokens r WHERE tenant_id = $1)::text,
		(SELECT jsonb_agg(r ORDER BY campaign_id, shard) FROM campaign_rollups r WHERE tenant_id = $1)::text,
		(SELECT jsonb_agg(r ORDER BY campaign_id, day, shard) FROM campaign_day_rollups r WHERE tenant_id = $1)::text,
		(SELECT jsonb_agg(to_jsonb(r) ORDER BY to_jsonb(r)::text) FROM campaign_reward_rollups r WHERE tenant_id = $1)::text,
		(SELECT jsonb_agg(d ORDER BY id) FROM raffle_draws d WHERE tenant_id = $1)::text,
		(SELECT jsonb_agg(e ORDER BY draw_id, participant_id) FROM raffle_entries e WHERE tenant_id = $1)::text,
		(SELECT jsonb_agg(w ORDER BY draw_id, place) FROM raffle_winners w WHERE tenant_id = $1)::text,
		(SELECT count(*) FROM events WHERE tenant_id = $1)::text,
		(SELECT jsonb_agg(n ORDER BY participant_id, name) FROM participant_event_names n WHERE tenant_id = $1)::text)`,
		tenant).Scan(&facts))
	return facts
}

// dashboardOf is what a marketer sees of every campaign, but the names.
func dashboardOf(t *testing.T, tenant uuid.UUID) string {
	t.Helper()
	var out strings.Builder
	env.InTenant(t, tenant, func(ctx context.Context) error {
		cs, err := models.DashboardCampaigns(ctx)
		must(t, err)
		for _, c := range cs {
			d, err := models.LoadDashboard(ctx, c, time.Now())
			must(t, err)
			// Who the top hosts are called is personal data; the numbers
			// are facts.
			for i := range d.TopHosts {
				d.TopHosts[i].ExternalID, d.TopHosts[i].DisplayName = "", ""
			}
			raw, err := json.Marshal(d)
			must(t, err)
			out.Write(raw)
		}
		return nil
	})
	return out.String()
}

// clientsOf counts the client hashes kept for a participant.
func clientsOf(t *testing.T, tenant uuid.UUID, participantID string) int64 {
	t.Helper()
	var n int64
	must(t, env.Owner.Raw(`SELECT count(*) FROM participant_clients WHERE tenant_id = ? AND participant_id = ?`, tenant, participantID).Scan(&n).Error)
	return n
}

func recheckRaffles(t *testing.T, tenant uuid.UUID) {
	t.Helper()
	env.InTenant(t, tenant, func(ctx context.Context) error {
		draws, _, err := models.ListRaffleDraws(ctx, models.Page{})
		must(t, err)
		if len(draws) == 0 {
			t.Fatal("fixture: no raffle draw")
		}
		for _, d := range draws {
			r, err := models.GetRaffle(ctx, d.ID)
			must(t, err)
			if !models.RecheckRaffle(r, d.Requested) {
				t.Errorf("raffle %s does not re-check: %+v", d.ID, r)
			}
		}
		return nil
	})
}

func TestEraseParticipant(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	other := env.NewTenant(t, "").TenantID
	s := newErasureSubject(t, tenant)
	newErasureSubject(t, other) // the same person, known to another tenant too

	if found := env.RowsHolding(t, tenant, s.olds); len(found) < 6 {
		t.Fatalf("fixture: the values are in only %v", found)
	}
	otherBefore := env.RowsHolding(t, other, s.olds)
	facts, otherFacts, dashboard := factsOf(t, tenant), factsOf(t, other), dashboardOf(t, tenant)
	recheckRaffles(t, tenant)

	var subjectID string
	must(t, env.Owner.Raw(`SELECT id FROM participants WHERE tenant_id = ? AND external_id = ?`, tenant, s.externalID).Scan(&subjectID).Error)
	clientsBefore := clientsOf(t, tenant, subjectID)
	var erasure models.Erasure
	env.InTenant(t, tenant, func(ctx context.Context) error {
		var err error
		erasure, err = models.EraseParticipant(ctx, s.externalID)
		return err
	})
	if !strings.HasPrefix(erasure.ExternalID, "erased_") || erasure.ErasedAt.IsZero() {
		t.Fatalf("erasure = %+v", erasure)
	}

	if found := env.RowsHolding(t, tenant, s.olds); len(found) > 0 {
		t.Errorf("after erasure the old values are still in %v", found)
	}
	// Where they were seen from is kept as keyed hashes, not as the values.
	if clients := clientsOf(t, tenant, erasure.ID); clients != 0 || clientsBefore == 0 {
		t.Errorf("the participant's client hashes: %d before erasure, %d after", clientsBefore, clients)
	}
	if got := factsOf(t, tenant); got != facts {
		t.Errorf("facts changed:\nbefore %s\nafter  %s", facts, got)
	}
	if got := dashboardOf(t, tenant); got != dashboard {
		t.Errorf("dashboard changed:\nbefore %s\nafter  %s", dashboard, got)
	}
	recheckRaffles(t, tenant)
	if got := env.RowsHolding(t, other, s.olds); fmt.Sprint(got) != fmt.Sprint(otherBefore) {
		t.Errorf("another tenant's rows holding the values: %v, before %v", got, otherBefore)
	}
	if got := factsOf(t, other); got != otherFacts {
		t.Error("another tenant's facts changed")
	}

	env.InTenant(t, tenant, func(ctx context.Context) error {
		if _, err := models.GetParticipant(ctx, s.externalID); !errors.Is(err, models.ErrParticipantNotFound) {
			t.Errorf("the old external id still finds %v", err)
		}
		p, err := models.GetParticipant(ctx, erasure.ExternalID)
		must(t, err)
		if p.ID != erasure.ID || p.ErasedAt == nil || p.Email != nil || p.Phone != nil || p.DisplayName != "" {
			t.Errorf("erased participant = %+v", p)
		}
		again, err := models.EraseParticipant(ctx, erasure.ExternalID)
		must(t, err)
		if again != erasure {
			t.Errorf("erasing again = %+v, want %+v", again, erasure)
		}
		// An event under the old id is someone new.
		_, _, err = models.IngestEvent(ctx, models.EventInput{Participant: s.externalID, Name: "signup_complete"})
		must(t, err)
		fresh, err := models.GetParticipant(ctx, s.externalID)
		must(t, err)
		if fresh.ID == erasure.ID || fresh.ErasedAt != nil {
			t.Errorf("the old external id now names %+v, the erased participant is %s", fresh, erasure.ID)
		}
		return nil
	})
	var audit string
	must(t, dialRaw(t, env.OwnerURL).QueryRow(context.Background(), `SELECT concat(subject, ' ', before, ' ', after) FROM audit_log
		WHERE tenant_id = $1 AND action = 'participant.erased'`, tenant).Scan(&audit))
	if !strings.HasPrefix(audit, erasure.ID+" ") || !strings.Contains(audit, "erased_at") {
		t.Errorf("audit entry = %q", audit)
	}
}
