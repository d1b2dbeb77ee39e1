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
// and a fulfilled one stays as it is; Stripe rewards have an amount;
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
			code: checkViolation, constraint: "milestone_reward_stripe_amount"},
		{name: "a Stripe guest reward of nothing",
			stmt: q(`UPDATE campaign_versions SET guest_reward_amount = 0 WHERE published_at IS NULL`),
			code: checkViolation, constraint: "guest_reward_stripe_amount"},
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
