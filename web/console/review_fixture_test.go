package console

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

// The review pages' fixture, set up through models as the API would:
//
//	vetted (manual invitations, review: all; quest signup_complete; host
//	milestone $10.00 repeated, no guest reward)
//	  hana invites gus (email_alias, high), gail (velocity, medium) and
//	  gwen (no signal); each completes, so hana holds three rewards.
//	open (review off, same rules)
//	  olaf invites oona, who completes: an issued reward, not held.
//
// The held rewards are hana's; reviewRewardOf names one by its guest.

// reviewEvidence is gus's email_alias evidence.
const reviewEvidence = "gus@example.com and the host's hana@example.com are one mailbox"

// seedReview sets up the fixture in tenant.
func seedReview(t testing.TB, tenant uuid.UUID) {
	t.Helper()
	err := tenants.WithTenant(context.Background(), env.App, tenant, func(ctx context.Context) error {
		if _, _, err := models.DefineEvent(ctx, "signup_complete", "Signed up"); err != nil {
			return err
		}
		rules := func(review string) models.Rules {
			return models.Rules{Steps: []string{"signup_complete"}, Review: review, RepeatLastMilestone: true,
				Milestones: []models.Milestone{{Count: 1, Reward: models.Reward{Description: "$10 cash", Kind: "cash", Amount: opsMoneyPtr(1000), Currency: "USD"}}}}
		}
		if err := opsPublish(ctx, "vetted", "Vetted referrals", models.ModeInvitation, rules(models.ReviewAll)); err != nil {
			return err
		}
		if err := opsPublish(ctx, "open", "Open referrals", models.ModeInvitation, rules(models.ReviewOff)); err != nil {
			return err
		}
		for _, g := range []struct {
			campaign, host, guest string
			signal                *models.RiskSignal
		}{
			{"vetted", "hana", "gus", &models.RiskSignal{Code: models.SignalEmailAlias, Level: models.RiskHigh, Detail: reviewEvidence}},
			{"vetted", "hana", "gail", &models.RiskSignal{Code: models.SignalVelocity, Level: models.RiskMedium, Detail: "the host's 2nd claim in 60 minutes"}},
			{"vetted", "hana", "gwen", nil},
			{"open", "olaf", "oona", nil},
		} {
			inv, err := models.CreateInvitation(ctx, g.campaign, models.InvitationInput{Host: g.host, Channel: "email"})
			if err != nil {
				return err
			}
			if _, err := models.Claim(ctx, inv.Code, g.guest); err != nil {
				return err
			}
			if g.signal != nil {
				if err := models.RecordRisk(ctx, inv.ID, []models.RiskSignal{*g.signal}); err != nil {
					return err
				}
			}
			if _, _, err := models.IngestEvent(ctx, models.EventInput{Participant: g.guest, Name: "signup_complete"}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("seed review: %v", err)
	}
}

// reviewRewardOf is the id of hana's reward earned by guest's referral.
func reviewRewardOf(t testing.TB, tenant uuid.UUID, guest string) string {
	t.Helper()
	var id string
	err := env.Owner.Raw(`SELECT r.id FROM reward_tokens r
		JOIN invitations i ON i.tenant_id = r.tenant_id AND i.id = r.invitation_id
		JOIN participants g ON g.tenant_id = i.tenant_id AND g.id = i.guest_id
		WHERE r.tenant_id = ? AND g.external_id = ?`, tenant, guest).Scan(&id).Error
	if err != nil || id == "" {
		t.Fatalf("the reward of %s's referral: %v", guest, err)
	}
	return id
}

// reviewOwner signs up a new tenant, seeds the fixture and returns its
// owner, signed in on a new browser.
func reviewOwner(t testing.TB) (*browser, account) {
	t.Helper()
	b := newBrowser(t, newConsoleApp(t))
	owner := signUp(t, b)
	seedReview(t, owner.tenantID)
	return b, owner
}
