package models_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

// TestSchemaStripeFulfilment attacks the rules of
// migrations/00026_stripe_fulfilment.sql in raw SQL: fulfilments come
// from the issuing trigger only, say what they made or why they failed,
// and a fulfilled one stays as it is; Stripe rewards have an amount
// (00031 names those rules *_stripe_value);
// customer ids look like Stripe's.
func TestSchemaStripeFulfilment(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	amount := int64(900)
	env.InTenant(t, tenant, func(ctx context.Context) error {
		_, _, err := models.DefineEvent(ctx, "signup_complete", "")
		must(t, err)
		rules := models.Rules{Steps: []string{"signup_complete"},
			Milestones:  []models.Milestone{{Count: 1, Reward: models.Reward{Description: "credit", Kind: models.RewardStripeBalance, Amount: &amount, Currency: "USD"}}},
			GuestReward: &models.Reward{Description: "coupon", Kind: models.RewardStripeCoupon, Amount: &amount, Currency: "USD"}}
		_, _, err = models.SaveCampaignDraft(ctx, "stripe", models.CampaignInput{Name: "stripe", Mode: models.ModeInvitation, Rules: rules})
		must(t, err)
		_, err = models.PublishCampaign(ctx, "stripe", models.InflightKeep)
		must(t, err)
		mustClaim(t, ctx, mustInvite(t, ctx, "stripe", "alice").Code, "bob")
		must(t, event(ctx, "bob", "signup_complete"))
		// A draft (version 2), which may still change.
		_, _, err = models.SaveCampaignDraft(ctx, "stripe", models.CampaignInput{Name: "stripe", Mode: models.ModeInvitation, Rules: rules})
		return err
	})
	r := newRawDB(t)
	coupon := r.str(tenant, `SELECT id FROM reward_tokens WHERE kind = 'stripe_coupon'`)
	// Issuing made one pending fulfilment and one job per Stripe reward.
	if n := r.int(tenant, `SELECT count(*) FROM reward_fulfilments WHERE status = 'pending'`); n != 2 {
		t.Fatalf("%d pending fulfilments, want the coupon's and the credit's", n)
	}
	var jobs int64
	env.MoveJobOutbox(t) // on Citus the jobs wait there for River's mover
	if err := env.Owner.Raw(`SELECT count(*) FROM river_job WHERE kind = 'reward_fulfilment' AND args->>'tenant_id' = ?`,
		tenant.String()).Scan(&jobs).Error; err != nil || jobs != 2 {
		t.Fatalf("%d fulfilment jobs (%v), want 2", jobs, err)
	}
	fulfilled := q(`UPDATE reward_fulfilments SET status = 'fulfilled', stripe_object = 'coupon_1', code = 'PROMO1' WHERE reward_id = $1`, coupon)
	r.run(t, tenant, []attack{
		{name: "insert a fulfilment as tandem_app",
			stmt: q(`INSERT INTO reward_fulfilments (reward_id) VALUES ($1)`, coupon), code: insufficientPriv},
		{name: "delete a fulfilment as tandem_app",
			stmt: q(`DELETE FROM reward_fulfilments WHERE reward_id = $1`, coupon), code: insufficientPriv},
		{name: "fulfilled without a Stripe object",
			stmt: q(`UPDATE reward_fulfilments SET status = 'fulfilled' WHERE reward_id = $1`, coupon), code: checkViolation, constraint: "fulfilment_object"},
		{name: "failed without an error",
			stmt: q(`UPDATE reward_fulfilments SET status = 'failed' WHERE reward_id = $1`, coupon), code: checkViolation, constraint: "fulfilment_error"},
		{name: "a code before fulfilment",
			stmt: q(`UPDATE reward_fulfilments SET code = 'PROMO1' WHERE reward_id = $1`, coupon), code: checkViolation, constraint: "fulfilment_code"},
		{name: "fulfil it", stmt: fulfilled, rows: 1},
		{name: "a fulfilled one failed again", setup: []sqlStmt{fulfilled},
			stmt: q(`UPDATE reward_fulfilments SET status = 'failed', stripe_object = NULL, code = NULL, error = 'x' WHERE reward_id = $1`, coupon),
			code: checkViolation, constraint: "fulfilment_final"},
		{name: "a fulfilled one's code rewritten as owner", owner: true, setup: []sqlStmt{fulfilled},
			stmt: q(`UPDATE reward_fulfilments SET code = 'OTHER' WHERE reward_id = $1`, coupon), code: checkViolation, constraint: "fulfilment_final"},
		{name: "a customer id that is not one",
			stmt: q(`UPDATE participants SET stripe_customer_id = 'acct_1' WHERE external_id = 'bob'`), code: checkViolation,
			constraint: "participants_stripe_customer_id_check"},
		{name: "a Stripe milestone without an amount",
			stmt: q(`UPDATE campaign_version_milestones SET reward_amount = NULL, reward_currency = NULL WHERE version = 2`),
			code: checkViolation, constraint: "milestone_reward_stripe_value"},
		{name: "a Stripe guest reward of nothing",
			stmt: q(`UPDATE campaign_versions SET guest_reward_amount = 0 WHERE published_at IS NULL`),
			code: checkViolation, constraint: "guest_reward_stripe_value"},
	})
}

// TestConcurrentFulfilmentRetries: two retries of one failed fulfilment at
// once queue one job; the other is told it is no longer failed.
func TestConcurrentFulfilmentRetries(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	amount := int64(300)
	env.InTenant(t, tenant, func(ctx context.Context) error {
		_, _, err := models.DefineEvent(ctx, "signup_complete", "")
		must(t, err)
		rules := models.Rules{Steps: []string{"signup_complete"},
			Milestones:  []models.Milestone{{Count: 1, Reward: models.Reward{Description: "ticket", Kind: "ticket"}}},
			GuestReward: &models.Reward{Description: "coupon", Kind: models.RewardStripeCoupon, Amount: &amount, Currency: "USD"}}
		_, _, err = models.SaveCampaignDraft(ctx, "retry", models.CampaignInput{Name: "retry", Mode: models.ModeInvitation, Rules: rules})
		must(t, err)
		_, err = models.PublishCampaign(ctx, "retry", models.InflightKeep)
		must(t, err)
		mustClaim(t, ctx, mustInvite(t, ctx, "retry", "alice").Code, "bob")
		must(t, event(ctx, "bob", "signup_complete"))
		return models.RecordFulfilment(ctx, rewardOf(t, ctx, "bob"), "", "", "Stripe is down")
	})
	var id string
	env.InTenant(t, tenant, func(ctx context.Context) error { id = rewardOf(t, ctx, "bob"); return nil })

	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = tenants.WithTenant(context.Background(), env.App, tenant, func(ctx context.Context) error {
				return models.RetryFulfilment(ctx, id)
			})
		}()
	}
	wg.Wait()
	if (errs[0] == nil) == (errs[1] == nil) || !errors.Is(errors.Join(errs...), models.ErrFulfilmentNotFailed) {
		t.Fatalf("two retries: %v", errs)
	}
	var jobs int64
	env.MoveJobOutbox(t) // on Citus the jobs wait there for River's mover
	if err := env.Owner.Raw(`SELECT count(*) FROM river_job WHERE kind = 'reward_fulfilment' AND args->>'reward_id' = ?`, id).Scan(&jobs).Error; err != nil || jobs != 2 {
		t.Errorf("%d jobs (%v), want the issue's and one retry's", jobs, err)
	}
}

// rewardOf is the id of a participant's newest reward.
func rewardOf(t *testing.T, ctx context.Context, participant string) string {
	t.Helper()
	rs, _, err := models.ListParticipantRewards(ctx, participant, models.Page{})
	must(t, err)
	return rs[0].ID
}

// TestSchemaPercentageCoupons attacks the rules of
// migrations/00031_percentage_coupons.sql: only a Stripe coupon is a
// percentage off, and then of no amount; a percentage is above 0 and at
// most 100; a balance credit still needs its amount; an issued token
// carries the percentage it earned, never another, and keeps it.
func TestSchemaPercentageCoupons(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	amount, percent := int64(900), 20.0
	var inv models.Invitation
	env.InTenant(t, tenant, func(ctx context.Context) error {
		_, _, err := models.DefineEvent(ctx, "signup_complete", "")
		must(t, err)
		rules := models.Rules{Steps: []string{"signup_complete"},
			Milestones:  []models.Milestone{{Count: 1, Reward: models.Reward{Description: "credit", Kind: models.RewardStripeBalance, Amount: &amount, Currency: "USD"}}},
			GuestReward: &models.Reward{Description: "20% off", Kind: models.RewardStripeCoupon, PercentOff: &percent}}
		_, _, err = models.SaveCampaignDraft(ctx, "percent", models.CampaignInput{Name: "percent", Mode: models.ModeInvitation, Rules: rules})
		must(t, err)
		_, err = models.PublishCampaign(ctx, "percent", models.InflightKeep)
		must(t, err)
		inv = mustClaim(t, ctx, mustInvite(t, ctx, "percent", "alice").Code, "bob")
		must(t, event(ctx, "bob", "signup_complete"))
		_, _, err = models.SaveCampaignDraft(ctx, "percent", models.CampaignInput{Name: "percent", Mode: models.ModeInvitation, Rules: rules})
		return err
	})
	r := newRawDB(t)
	coupon := r.str(tenant, `SELECT id FROM reward_tokens WHERE kind = 'stripe_coupon'`)
	if got := r.str(tenant, `SELECT concat_ws('/', percent_off, amount, currency) FROM reward_tokens WHERE id = '`+coupon+`'`); got != "20" {
		t.Fatalf("the issued coupon is %q, want 20 off and no amount", got)
	}
	c, alice := r.campaign(tenant, "percent"), r.participant(tenant, "alice")
	guest := func(assignments string) sqlStmt {
		return q(`UPDATE campaign_versions SET `+assignments+` WHERE campaign_id = $1 AND version = 2`, c)
	}
	milestone := func(assignments string) sqlStmt {
		return q(`UPDATE campaign_version_milestones SET `+assignments+` WHERE campaign_id = $1 AND version = 2`, c)
	}
	// The earned guest coupon inserted again as tandem_app, its percentage
	// as given: the guard compares it before the unique index is met.
	earnedAs := func(change func(earned)) sqlStmt {
		e := r.earnedReward(tenant, inv.ID, "guest")
		change(e)
		return insertReward(inv.ID, e)
	}
	// Tokens past the earned-reward guard (session_replication_role =
	// replica, as in TestSchemaRule8Money) meet the CHECKs themselves.
	replica := []sqlStmt{q(`SET LOCAL session_replication_role = replica`)}
	token := func(milestone int, kind string, amount, currency, percentOff any) sqlStmt {
		return q(`INSERT INTO reward_tokens (tenant_id, participant_id, campaign_id, invitation_id, reason, milestone, description, kind, quantity, amount, currency, percent_off)
			VALUES ($1, $2, $3, $4, 'host_milestone', $5, 'x', $6, 1, $7, $8, $9)`, tenant.String(), alice, c, inv.ID, milestone, kind, amount, currency, percentOff)
	}
	r.run(t, tenant, []attack{
		{name: "a percentage off a cash reward",
			stmt: milestone("reward_kind = 'cash', reward_percent_off = 10"), code: checkViolation, constraint: "milestone_reward_percent_kind"},
		{name: "a percentage without a guest reward",
			stmt: guest("guest_reward_description = NULL, guest_reward_kind = NULL, guest_reward_quantity = NULL"),
			code: checkViolation, constraint: "guest_reward_percent_kind"},
		{name: "a coupon both an amount and a percentage off",
			stmt: guest("guest_reward_amount = 500, guest_reward_currency = 'USD'"), code: checkViolation, constraint: "guest_reward_stripe_value"},
		{name: "a coupon of neither",
			stmt: guest("guest_reward_percent_off = NULL"), code: checkViolation, constraint: "guest_reward_stripe_value"},
		{name: "0% off",
			stmt: guest("guest_reward_percent_off = 0"), code: checkViolation, constraint: "campaign_versions_guest_reward_percent_off_check"},
		{name: "100.01% off",
			stmt: guest("guest_reward_percent_off = 100.01"), code: checkViolation, constraint: "campaign_versions_guest_reward_percent_off_check"},
		{name: "a third decimal, which a numeric(5,2) would have rounded away",
			stmt: guest("guest_reward_percent_off = 12.345"), code: checkViolation, constraint: "campaign_versions_guest_reward_percent_off_check"},
		{name: "a milestone coupon both an amount and a percentage off",
			stmt: milestone("reward_kind = 'stripe_coupon', reward_percent_off = 50"), code: checkViolation, constraint: "milestone_reward_stripe_value"},
		{name: "a milestone coupon of 150% off",
			stmt: milestone("reward_kind = 'stripe_coupon', reward_amount = NULL, reward_currency = NULL, reward_percent_off = 150"),
			code: checkViolation, constraint: "campaign_version_milestones_reward_percent_off_check"},
		{name: "a balance credit of nothing",
			stmt: milestone("reward_amount = NULL, reward_currency = NULL"), code: checkViolation, constraint: "milestone_reward_stripe_value"},
		{name: "control: a milestone coupon of 100% off",
			stmt: milestone("reward_kind = 'stripe_coupon', reward_amount = NULL, reward_currency = NULL, reward_percent_off = 100"), rows: 1},
		{name: "an issued percentage rewritten", owner: true,
			stmt: q(`UPDATE reward_tokens SET percent_off = 50 WHERE id = $1`, coupon), code: checkViolation, constraint: "reward_never_revoked"},
		{name: "the earned coupon with a bigger percentage",
			stmt: earnedAs(func(e earned) { e.scale(t, "percent_off", 2, 0) }), code: checkViolation, constraint: "reward_not_earned"},
		{name: "the earned coupon as an amount instead",
			stmt: earnedAs(func(e earned) { e["percent_off"] = nil }), code: checkViolation, constraint: "reward_not_earned"},
		{name: "control: the earned coupon to the letter meets the unique index",
			stmt: earnedAs(func(earned) {}), code: uniqueViolation, constraint: "reward_tokens_one_guest_reward"},
		{owner: true, setup: replica, name: "token: a percentage off a cash reward",
			stmt: token(11, "cash", nil, nil, 10), code: checkViolation, constraint: "reward_percent_kind"},
		{owner: true, setup: replica, name: "token: a percentage off a balance credit",
			stmt: token(12, "stripe_balance", nil, nil, 10), code: checkViolation, constraint: "reward_percent_kind"},
		{owner: true, setup: replica, name: "token: a coupon of both",
			stmt: token(13, "stripe_coupon", 100, "USD", 10), code: checkViolation, constraint: "reward_stripe_value"},
		{owner: true, setup: replica, name: "token: a coupon of neither",
			stmt: token(14, "stripe_coupon", nil, nil, nil), code: checkViolation, constraint: "reward_stripe_value"},
		{owner: true, setup: replica, name: "token: a negative percentage",
			stmt: token(15, "stripe_coupon", nil, nil, -5), code: checkViolation, constraint: "reward_tokens_percent_off_check"},
		{owner: true, setup: replica, name: "control: token of 12.5% off", stmt: token(16, "stripe_coupon", nil, nil, 12.5), rows: 1},
	})
}
