package models_test

import (
	"context"
	"testing"

	"github.com/tandemhq/tandem/models"
)

// Rule 8: money is integer minor units plus an ISO currency code, both or
// neither, on tokens and on the rewards of a version.
func TestSchemaRule8Money(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	var inv models.Invitation
	env.InTenant(t, tenant, func(ctx context.Context) error {
		publish(t, ctx, campaignSpec{slug: "money", mode: models.ModeInvitation, steps: []string{"signup_complete"}})
		inv = mustClaim(t, ctx, mustInvite(t, ctx, "money", "alice").Code, "bob")
		// A draft with a complete guest reward, for the version checks.
		a := int64(500)
		_, _, err := models.SaveCampaignDraft(ctx, "money", models.CampaignInput{Name: "money", Mode: models.ModeInvitation,
			Rules: models.Rules{Steps: []string{"signup_complete"},
				GuestReward: &models.Reward{Description: "credit", Kind: "credit", Amount: &a, Currency: "USD"}}})
		must(t, err)
		return nil
	})
	r := newRawDB(t)
	c, alice := r.campaign(tenant, "money"), r.participant(tenant, "alice")
	// tandem_app can only issue a token that earned_rewards() vouches for
	// (rule 6), so the CHECKs of reward_tokens are reached here as the owner
	// with session_replication_role = replica, which silences that trigger
	// (and the foreign keys) but not the CHECKs: the backstop itself.
	token := func(milestone int, amount any, currency any) sqlStmt {
		return q(`INSERT INTO reward_tokens (tenant_id, participant_id, campaign_id, invitation_id, reason, milestone, description, kind, quantity, amount, currency)
			VALUES ($1, $2, $3, $4, 'host_milestone', $5, 'cash', 'cash', 1, $6, $7)`, tenant.String(), alice, c, inv.ID, milestone, amount, currency)
	}
	replica := []sqlStmt{q(`SET LOCAL session_replication_role = replica`)}
	draft := func(assignments string) sqlStmt {
		return q(`UPDATE campaign_versions SET `+assignments+` WHERE campaign_id = $1 AND version = 2`, c)
	}
	milestone := func(amount, currency any) sqlStmt {
		return q(`INSERT INTO campaign_version_milestones (campaign_id, version, nth, reward_description, reward_kind, reward_amount, reward_currency)
			VALUES ($1, 2, 1, 'cash', 'cash', $2, $3)`, c, amount, currency)
	}

	r.run(t, tenant, []attack{
		{owner: true, setup: replica, name: "token: amount without currency", stmt: token(11, 100, nil), code: checkViolation, constraint: "reward_money"},
		{owner: true, setup: replica, name: "token: currency without amount", stmt: token(12, nil, "USD"), code: checkViolation, constraint: "reward_money"},
		{owner: true, setup: replica, name: "token: lowercase currency", stmt: token(13, 100, "usd"), code: checkViolation, constraint: "reward_tokens_currency_check"},
		{owner: true, setup: replica, name: "token: two-letter currency", stmt: token(14, 100, "US"), code: checkViolation, constraint: "reward_tokens_currency_check"},
		{owner: true, setup: replica, name: "token: four-letter currency", stmt: token(15, 100, "USDT"), code: checkViolation, constraint: "reward_tokens_currency_check"},
		{owner: true, setup: replica, name: "token: currency symbol", stmt: token(16, 100, "$"), code: checkViolation, constraint: "reward_tokens_currency_check"},
		{owner: true, setup: replica, name: "token: negative amount", stmt: token(17, -100, "USD"), code: checkViolation, constraint: "reward_tokens_amount_check"},
		{name: "guest reward: amount without currency",
			stmt: draft("guest_reward_currency = NULL"), code: checkViolation, constraint: "guest_reward_money"},
		{name: "guest reward: currency without amount",
			stmt: draft("guest_reward_amount = NULL"), code: checkViolation, constraint: "guest_reward_money"},
		{name: "guest reward: bad currency",
			stmt: draft("guest_reward_currency = 'usd'"), code: checkViolation, constraint: "campaign_versions_guest_reward_currency_check"},
		{name: "guest reward: negative amount",
			stmt: draft("guest_reward_amount = -1"), code: checkViolation, constraint: "campaign_versions_guest_reward_amount_check"},
		{name: "guest reward: money without a reward",
			stmt: draft("guest_reward_description = NULL, guest_reward_kind = NULL, guest_reward_quantity = NULL"),
			code: checkViolation, constraint: "guest_reward_complete"},
		{name: "milestone: amount without currency", stmt: milestone(100, nil), code: checkViolation, constraint: "milestone_reward_money"},
		{name: "milestone: currency without amount", stmt: milestone(nil, "EUR"), code: checkViolation, constraint: "milestone_reward_money"},
		{name: "milestone: bad currency", stmt: milestone(100, "eur"), code: checkViolation, constraint: "campaign_version_milestones_reward_currency_check"},
		{name: "milestone: negative amount", stmt: milestone(-5, "EUR"), code: checkViolation, constraint: "campaign_version_milestones_reward_amount_check"},
		{owner: true, setup: replica, name: "control: token with amount and currency", stmt: token(18, 100, "EUR"), rows: 1},
		{owner: true, setup: replica, name: "control: token without money", stmt: token(19, nil, nil), rows: 1},
		{name: "token as tandem_app: refused as unearned before any CHECK", stmt: token(20, 100, "usd"),
			code: checkViolation, constraint: "reward_not_earned"},
		{name: "control: milestone with amount and currency", stmt: milestone(100, "JPY"), rows: 1},
	})
}

// Rule 9: configuration changes never take back issued rewards: publishing
// new versions (keep or migrate), pausing and ending leave every token, and
// every completed invitation, exactly as it was.
func TestSchemaRule9ConfigKeepsRewards(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	var inflight models.Invitation
	env.InTenant(t, tenant, func(ctx context.Context) error {
		publish(t, ctx, campaignSpec{slug: "nine", mode: models.ModeInvitation, steps: []string{"signup_complete"},
			milestones: []int64{1000, 2000}, guestAmount: 500})
		for _, guest := range []string{"bob", "carol"} {
			mustClaim(t, ctx, mustInvite(t, ctx, "nine", "alice").Code, guest)
			must(t, event(ctx, guest, "signup_complete"))
		}
		inflight = mustClaim(t, ctx, mustInvite(t, ctx, "nine", "alice").Code, "dave")
		rs, _, err := models.ListParticipantRewards(ctx, "alice", models.Page{})
		must(t, err)
		_, err = models.RedeemReward(ctx, rs[0].ID)
		return err
	})
	r := newRawDB(t)
	snapshot := func() (tokens, completed string, count int64) {
		r.scan(tenant, q(`SELECT jsonb_agg(to_jsonb(r) ORDER BY r.id)::text, count(*) FROM reward_tokens r`), &tokens, &count)
		r.scan(tenant, q(`SELECT jsonb_agg(jsonb_build_array(id, version, progress, completed_at, completion_number) ORDER BY id)::text
			FROM invitations WHERE completed_at IS NOT NULL`), &completed)
		return tokens, completed, count
	}
	tokens, completed, count := snapshot()
	if count != 4 {
		t.Fatalf("fixture: %d tokens, want 4", count)
	}
	steps := []string{"signup_complete", "purchase_complete"}
	status := func(action string) func(ctx context.Context) error {
		return func(ctx context.Context) error {
			_, err := models.ChangeCampaignStatus(ctx, "nine", action)
			return err
		}
	}
	changes := []struct {
		name string
		fn   func(ctx context.Context) error
	}{
		{"publish a new version, keep in-flight", func(ctx context.Context) error {
			publish(t, ctx, campaignSpec{slug: "nine", mode: models.ModeInvitation, steps: steps, milestones: []int64{1}, guestAmount: 1})
			return nil
		}},
		{"publish a new version, migrate in-flight", func(ctx context.Context) error {
			// dave has done the first step of the new quest: migrating advances
			// the invitation but does not complete it.
			must(t, event(ctx, "dave", "purchase_complete"))
			_, _, err := models.SaveCampaignDraft(ctx, "nine", models.CampaignInput{Name: "nine", Mode: models.ModeInvitation,
				Rules: models.Rules{Steps: []string{"purchase_complete", "signup_complete"}}})
			must(t, err)
			if _, err = models.PublishCampaign(ctx, "nine", models.InflightMigrate); err != nil {
				return err
			}
			return finishMigration(ctx, "nine")
		}},
		{"pause", status(models.ActionPause)},
		{"resume", status(models.ActionResume)},
		{"end", status(models.ActionEnd)},
	}
	for _, ch := range changes {
		env.InTenant(t, tenant, ch.fn)
		gotTokens, gotCompleted, gotCount := snapshot()
		if gotCount != count || gotTokens != tokens || gotCompleted != completed {
			t.Fatalf("after %q:\ntokens %d %s\nwant   %d %s\ncompleted %s\nwant      %s",
				ch.name, gotCount, gotTokens, count, tokens, gotCompleted, completed)
		}
	}
	var v, progress int64
	r.scan(tenant, q(`SELECT version, progress FROM invitations WHERE id = $1`, inflight.ID), &v, &progress)
	if v != 3 || progress != 1 {
		t.Fatalf("in-flight invitation on version %d with progress %d after the migrating publish, want 3 and 1", v, progress)
	}
	c := r.campaign(tenant, "nine")
	r.run(t, tenant, []attack{
		{name: "delete the campaign", stmt: q(`DELETE FROM campaigns WHERE id = $1`, c), code: insufficientPriv},
		{name: "delete the version the rewards came from",
			stmt: q(`DELETE FROM campaign_versions WHERE campaign_id = $1 AND version = 1`, c),
			code: checkViolation, constraint: "published_version_immutable"},
		{name: "delete an invitation that earned rewards",
			stmt: q(`DELETE FROM invitations WHERE campaign_id = $1`, c), code: insufficientPriv},
		{name: "void all rewards of the ended campaign as owner", owner: true,
			stmt: q(`DELETE FROM reward_tokens WHERE campaign_id = $1`, c), code: checkViolation, constraint: "reward_never_revoked"},
	})
}
