package console

import (
	"context"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/google/uuid"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

// The operations pages' fixture, set up through models inside
// the tenant's transaction, as the API would:
//
//	spring (manual invitations; quest signup_complete → form_a_complete →
//	purchase_complete; host milestones $10.00 then €5.00; guest $5.00 coupon)
//	  alice invites bob (completed), carol (completed), dave (1 of 3 done),
//	  ed (claimed, 0 done), and one invitation nobody claimed yet.
//	lucky (referrer code; quest signup_complete; tickets: 3 per referral
//	for the host, repeated, and 1 for the guest)
//	  erin refers frank and gina (both completed).
//
// Rewards: alice $10.00 cash (milestone 1) and €5.00 cash (milestone 2),
// bob and carol a $5.00 coupon each; erin 2 × 3 tickets, frank and gina
// 1 ticket each.

// opsSpringSteps is spring's quest.
var opsSpringSteps = []string{"signup_complete", "form_a_complete", "purchase_complete"}

func opsMoneyPtr(minor int64) *int64 { return &minor }

// seedOperations sets up the fixture in tenant.
func seedOperations(t testing.TB, tenant uuid.UUID) {
	t.Helper()
	err := tenants.WithTenant(context.Background(), env.App, tenant, func(ctx context.Context) error {
		for _, name := range opsSpringSteps {
			if _, _, err := models.DefineEvent(ctx, name, "The guest did "+name); err != nil {
				return err
			}
		}
		email, name := "alice@example.com", "Alice Liddell"
		if _, _, err := models.UpsertParticipant(ctx, models.ParticipantInput{ExternalID: "alice", Email: &email, DisplayName: &name}); err != nil {
			return err
		}
		spring := models.Rules{
			Steps: opsSpringSteps,
			Milestones: []models.Milestone{
				{Count: 1, Reward: models.Reward{Description: "$10 cash", Kind: "cash", Amount: opsMoneyPtr(1000), Currency: "USD"}},
				{Count: 2, Reward: models.Reward{Description: "€5 cash", Kind: "cash", Amount: opsMoneyPtr(500), Currency: "EUR"}},
			},
			GuestReward: &models.Reward{Description: "$5 off", Kind: "coupon", Amount: opsMoneyPtr(500), Currency: "USD"},
		}
		if err := opsPublish(ctx, "spring", "Spring referrals", models.ModeInvitation, spring); err != nil {
			return err
		}
		for _, g := range []struct {
			guest string
			done  int
		}{{"bob", 3}, {"carol", 3}, {"dave", 1}, {"ed", 0}, {"", 0}} {
			inv, err := models.CreateInvitation(ctx, "spring", models.InvitationInput{Host: "alice", Channel: "email", Recipient: g.guest + "@example.com"})
			if err != nil {
				return err
			}
			if g.guest == "" {
				continue
			}
			if _, err := models.Claim(ctx, inv.Code, g.guest); err != nil {
				return err
			}
			for _, step := range opsSpringSteps[:g.done] {
				if _, _, err := models.IngestEvent(ctx, models.EventInput{Participant: g.guest, Name: step}); err != nil {
					return err
				}
			}
		}
		lucky := models.Rules{
			Steps:               []string{"signup_complete"},
			Milestones:          []models.Milestone{{Count: 1, Reward: models.Reward{Description: "3 raffle tickets", Kind: "ticket", Quantity: 3}}},
			RepeatLastMilestone: true,
			GuestReward:         &models.Reward{Description: "1 raffle ticket", Kind: "ticket", Quantity: 1},
		}
		if err := opsPublish(ctx, "lucky", "Lucky draw", models.ModeReferrerCode, lucky); err != nil {
			return err
		}
		code, err := models.ReferrerCode(ctx, "lucky", "erin")
		if err != nil {
			return err
		}
		for _, guest := range []string{"frank", "gina"} {
			if _, err := models.Claim(ctx, code, guest); err != nil {
				return err
			}
			if _, _, err := models.IngestEvent(ctx, models.EventInput{Participant: guest, Name: "signup_complete"}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("seed operations: %v", err)
	}
}

func opsPublish(ctx context.Context, slug, name, mode string, rules models.Rules) error {
	if _, _, err := models.SaveCampaignDraft(ctx, slug, models.CampaignInput{Name: name, Mode: mode, Rules: rules}); err != nil {
		return err
	}
	_, err := models.PublishCampaign(ctx, slug, models.InflightKeep)
	return err
}

// opsRewardID is the id of participant's reward with description, read as
// the schema owner.
func opsRewardID(t testing.TB, tenant uuid.UUID, participant, description string) string {
	t.Helper()
	var id string
	err := env.Owner.Raw(`SELECT r.id FROM reward_tokens r JOIN participants p ON p.tenant_id = r.tenant_id AND p.id = r.participant_id
		WHERE r.tenant_id = ? AND p.external_id = ? AND r.description = ? ORDER BY r.issued_at LIMIT 1`,
		tenant, participant, description).Scan(&id).Error
	if err != nil || id == "" {
		t.Fatalf("reward %q of %s: %v", description, participant, err)
	}
	return id
}

// opsRewardStatus is a reward's status, read as the schema owner.
func opsRewardStatus(t testing.TB, id string) string {
	t.Helper()
	var status string
	if err := env.Owner.Raw(`SELECT status FROM reward_tokens WHERE id = ?`, id).Scan(&status).Error; err != nil {
		t.Fatal(err)
	}
	return status
}

// opsOwner signs up a new tenant, seeds the fixture and returns its owner,
// signed in on a new browser.
func opsOwner(t testing.TB) (*browser, account) {
	t.Helper()
	b := newBrowser(t, newConsoleApp(t))
	owner := signUp(t, b)
	seedOperations(t, owner.tenantID)
	return b, owner
}

// tableRows parses an htmx response that is table rows (which an HTML
// parser drops outside a table) inside a table.
func tableRows(t testing.TB, p *page) *page {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader("<table><tbody>" + p.Body + "</tbody></table>"))
	if err != nil {
		t.Fatal(err)
	}
	out := *p
	out.Doc = doc
	return &out
}
