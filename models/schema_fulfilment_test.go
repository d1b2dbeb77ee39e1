package models_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/tandemhq/tandem/internal/dbtest"
	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

// stripeRewards is a tenant whose guest bob holds a stripe_coupon and host
// alice a stripe_balance, both issued with pending fulfilments.
func stripeRewards(t *testing.T) (tenant uuid.UUID, coupon, balance string) {
	t.Helper()
	tenant = env.NewTenant(t, "").TenantID
	amount := int64(900)
	env.InTenant(t, tenant, func(ctx context.Context) error {
		_, _, err := models.DefineEvent(ctx, "signup_complete", "")
		must(t, err)
		rules := models.Rules{Steps: []string{"signup_complete"},
			Milestones:  []models.Milestone{{Count: 1, Reward: models.Reward{Description: "credit", Kind: models.RewardStripeBalance, Amount: &amount, Currency: "USD"}}},
			GuestReward: &models.Reward{Description: "coupon", Kind: models.RewardStripeCoupon, Amount: &amount, Currency: "USD"}}
		_, _, err = models.SaveCampaignDraft(ctx, "paid", models.CampaignInput{Name: "paid", Mode: models.ModeInvitation, Rules: rules})
		must(t, err)
		_, err = models.PublishCampaign(ctx, "paid", models.InflightKeep)
		must(t, err)
		mustClaim(t, ctx, mustInvite(t, ctx, "paid", "alice").Code, "bob")
		must(t, event(ctx, "bob", "signup_complete"))
		coupon, balance = rewardOf(t, ctx, "bob"), rewardOf(t, ctx, "alice")
		return nil
	})
	return tenant, coupon, balance
}

// TestSchemaFulfilmentFollowsReward attacks the rules of
// migrations/00036_fulfilment_follows_reward.sql in raw SQL: a reward that
// leaves issued cancels its fulfilment not yet made; a paid reward cannot
// be voided or expired; a fulfilment moves (pending, failed, fulfilled)
// only while its reward is issued and is cancelled only once it is not; a
// cancelled fulfilment never changes again.
func TestSchemaFulfilmentFollowsReward(t *testing.T) {
	tenant, coupon, _ := stripeRewards(t)
	r := newRawDB(t)
	settle := func(status string) sqlStmt {
		return q(`UPDATE reward_tokens SET status = $2, status_changed_at = now() WHERE id = $1`, coupon, status)
	}
	fulfil := q(`UPDATE reward_fulfilments SET status = 'fulfilled', stripe_object = 'coupon_1', code = 'PROMO1' WHERE reward_id = $1`, coupon)
	fail := q(`UPDATE reward_fulfilments SET status = 'failed', error = 'Stripe is down', attempts = 1 WHERE reward_id = $1`, coupon)
	retry := q(`UPDATE reward_fulfilments SET status = 'pending', error = '' WHERE reward_id = $1`, coupon)
	cancelled := q(`SELECT FROM reward_fulfilments WHERE reward_id = $1 AND status = 'cancelled' AND error = ''`, coupon)
	// A reward settled with the schema's triggers off: a row as the bug
	// left it before 00036, its fulfilment still waiting.
	settledBehindTriggers := func(status string) []sqlStmt {
		return []sqlStmt{q(`SET LOCAL session_replication_role = replica`), settle(status), q(`SET LOCAL session_replication_role = origin`)}
	}
	r.run(t, tenant, []attack{
		{name: "voiding cancels a pending fulfilment", setup: []sqlStmt{settle("voided")}, stmt: cancelled, rows: 1},
		{name: "expiring cancels a failed one", setup: []sqlStmt{fail, settle("expired")}, stmt: cancelled, rows: 1},
		{name: "redeeming before Stripe paid cancels it", setup: []sqlStmt{settle("redeemed")}, stmt: cancelled, rows: 1},
		{name: "a cancelled fulfilment fulfilled", setup: []sqlStmt{settle("voided")}, stmt: fulfil,
			code: checkViolation, constraint: "fulfilment_final"},
		{name: "a cancelled fulfilment retried", setup: []sqlStmt{fail, settle("voided")}, stmt: retry,
			code: checkViolation, constraint: "fulfilment_final"},
		{name: "a cancelled fulfilment's attempts rewritten as owner", owner: true, setup: []sqlStmt{settle("voided")},
			stmt: q(`UPDATE reward_fulfilments SET attempts = 7 WHERE reward_id = $1`, coupon), code: checkViolation, constraint: "fulfilment_final"},
		{name: "a fulfilment cancelled while its reward is issued",
			stmt: q(`UPDATE reward_fulfilments SET status = 'cancelled' WHERE reward_id = $1`, coupon),
			code: checkViolation, constraint: "fulfilment_follows_reward"},
		{name: "a voided reward's waiting fulfilment fulfilled", owner: true, setup: settledBehindTriggers("voided"), stmt: fulfil,
			code: checkViolation, constraint: "fulfilment_follows_reward"},
		{name: "an expired reward's failed fulfilment retried", owner: true, setup: append([]sqlStmt{fail}, settledBehindTriggers("expired")...),
			stmt: retry, code: checkViolation, constraint: "fulfilment_follows_reward"},
		{name: "a redeemed reward's waiting fulfilment failed", owner: true, setup: settledBehindTriggers("redeemed"), stmt: fail,
			code: checkViolation, constraint: "fulfilment_follows_reward"},
		{name: "voiding a paid reward", setup: []sqlStmt{fulfil}, stmt: settle("voided"),
			code: checkViolation, constraint: "reward_fulfilled"},
		{name: "expiring a paid reward as owner", owner: true, setup: []sqlStmt{fulfil}, stmt: settle("expired"),
			code: checkViolation, constraint: "reward_fulfilled"},
		{name: "control: redeeming a paid reward", setup: []sqlStmt{fulfil}, stmt: settle("redeemed"), rows: 1},
		{name: "control: an issued reward's fulfilment fails, is retried, then made", setup: []sqlStmt{fail, retry}, stmt: fulfil, rows: 1},
	})
}

// TestVoidAndFulfilmentRace: a void and a fulfilment written at the same
// time, in either order, as two raw tandem_app transactions that take no
// lock of their own, never end with the reward voided and its fulfilment
// fulfilled: the second waits for the first, then is refused.
func TestVoidAndFulfilmentRace(t *testing.T) {
	tenant, coupon, _ := stripeRewards(t)
	ctx := context.Background()
	void := `UPDATE reward_tokens SET status = 'voided', status_changed_at = now() WHERE id = $1`
	fulfil := `UPDATE reward_fulfilments SET status = 'fulfilled', stripe_object = 'coupon_1' WHERE reward_id = $1`
	for _, order := range []struct {
		name          string
		first, second string
		constraint    string
	}{
		{"void first", void, fulfil, "fulfilment_final"},
		{"fulfilment first", fulfil, void, "reward_fulfilled"},
	} {
		t.Run(order.name, func(t *testing.T) {
			first, second := appTx(t, dialRaw(t, env.AppURL), tenant), appTx(t, dialRaw(t, env.AppURL), tenant)
			_, err := first.Exec(ctx, order.first, coupon)
			must(t, err)
			done := make(chan error, 1)
			go func() {
				_, err := second.Exec(ctx, order.second, coupon)
				done <- err
			}()
			select {
			case err := <-done:
				t.Fatalf("the second statement did not wait for the first: %v", err)
			case <-time.After(200 * time.Millisecond):
			}
			must(t, first.Commit(ctx))
			wantPgError(t, <-done, checkViolation, order.constraint, "")
		})
		// Each order starts again from an issued reward with a pending
		// fulfilment: undo the committed change as the owner, triggers off.
		dbtest.WithoutTriggers(t, env.Owner, func(tx *gorm.DB) error {
			tokenErr := tx.Exec(`UPDATE reward_tokens SET status = 'issued', status_changed_at = NULL WHERE id = ?`, coupon).Error
			fulfilmentErr := tx.Exec(`UPDATE reward_fulfilments SET status = 'pending', stripe_object = NULL WHERE reward_id = ?`, coupon).Error
			return errors.Join(tokenErr, fulfilmentErr)
		})
	}
}

// TestRetryRefusesSettledRewards: retrying the failed fulfilment of a
// reward voided meanwhile is reward_not_issued and queues nothing; a void
// that waits for a retry in flight then cancels what it queued.
func TestRetryRefusesSettledRewards(t *testing.T) {
	tenant, coupon, balance := stripeRewards(t)
	env.InTenant(t, tenant, func(ctx context.Context) error {
		must(t, models.RecordFulfilment(ctx, coupon, "", "", "no customer"))
		must(t, models.RecordFulfilment(ctx, balance, "", "", "no customer"))
		_, err := models.VoidReward(ctx, coupon)
		return err
	})
	jobs := func(id string) (n int64) {
		env.MoveJobOutbox(t) // on Citus the jobs wait there for River's mover
		must(t, env.Owner.Raw(`SELECT count(*) FROM river_job WHERE kind = 'reward_fulfilment' AND args->>'reward_id' = ?`, id).Scan(&n).Error)
		return n
	}
	err := tenants.WithTenant(context.Background(), env.App, tenant, func(ctx context.Context) error {
		return models.RetryFulfilment(ctx, coupon)
	})
	if !errors.Is(err, models.ErrRewardNotIssued) || jobs(coupon) != 1 {
		t.Fatalf("retrying a voided reward: %v, %d jobs (want reward_not_issued and the issue's job only)", err, jobs(coupon))
	}

	// A retry in flight holds the reward: the void waits, then cancels it.
	ctx := context.Background()
	retrying := appTx(t, dialRaw(t, env.AppURL), tenant)
	var status string
	// As RetryFulfilment holds it, naming the tenant: Citus locks rows only
	// on a statement it routes to one shard.
	must(t, retrying.QueryRow(ctx, `SELECT status FROM reward_tokens WHERE tenant_id = $1 AND id = $2 FOR SHARE`, tenant.String(), balance).Scan(&status))
	_, err = retrying.Exec(ctx, `UPDATE reward_fulfilments SET status = 'pending', error = '' WHERE reward_id = $1`, balance)
	must(t, err)
	voided := make(chan error, 1)
	go func() {
		voided <- tenants.WithTenant(ctx, env.App, tenant, func(ctx context.Context) error {
			_, err := models.VoidReward(ctx, balance)
			return err
		})
	}()
	select {
	case err := <-voided:
		t.Fatalf("the void did not wait for the retry: %v", err)
	case <-time.After(200 * time.Millisecond):
	}
	must(t, retrying.Commit(ctx))
	must(t, <-voided)
	r := newRawDB(t)
	if got := r.str(tenant, `SELECT f.status FROM reward_fulfilments f WHERE reward_id = $1`, balance); got != models.FulfilmentCancelled {
		t.Errorf("the retried fulfilment of the reward voided after it is %s, want cancelled", got)
	}
}

// TestPaidRewardsStayIssued: a reward Stripe has paid is skipped by a
// bulk void and by the expiry, which settle the others, and refused alone
// as reward_fulfilled.
func TestPaidRewardsStayIssued(t *testing.T) {
	paid := func(tenant uuid.UUID, coupon string) {
		must(t, env.Owner.Exec(`UPDATE reward_fulfilments SET status = 'fulfilled', stripe_object = 'coupon_1' WHERE tenant_id = ? AND reward_id = ?`,
			tenant, coupon).Error)
	}
	tenant, coupon, balance := stripeRewards(t)
	paid(tenant, coupon)
	env.InTenant(t, tenant, func(ctx context.Context) error {
		res, err := models.SettleRewards(ctx, []string{coupon, balance}, models.RewardVoided)
		must(t, err)
		if len(res.Settled) != 1 || res.Settled[0] != balance || res.Skipped != 1 {
			t.Errorf("a bulk void of a paid and an unpaid reward: %+v", res)
		}
		return nil
	})
	err := tenants.WithTenant(context.Background(), env.App, tenant, func(ctx context.Context) error {
		_, err := models.VoidReward(ctx, coupon)
		return err
	})
	if !errors.Is(err, models.ErrRewardFulfilled) {
		t.Errorf("voiding the paid reward: %v", err)
	}

	tenant, coupon, balance = stripeRewards(t)
	paid(tenant, coupon)
	// Due in an hour, a time computed here: Citus calls no STABLE function
	// (timestamptz arithmetic) with column references in an UPDATE.
	dbtest.WithoutTriggers(t, env.Owner, func(tx *gorm.DB) error {
		return tx.Exec(`UPDATE reward_tokens SET expires_at = ? WHERE tenant_id = ?`, time.Now().Add(time.Hour), tenant.String()).Error
	})
	env.InTenant(t, tenant, func(ctx context.Context) error {
		n, _, err := models.ExpireDueRewards(ctx, time.Now().Add(2*time.Hour), 100)
		must(t, err)
		c, err := models.GetReward(ctx, coupon)
		must(t, err)
		b, err := models.GetReward(ctx, balance)
		must(t, err)
		if n != 1 || c.Status != models.RewardIssued || b.Status != models.RewardExpired || b.Fulfilment.Status != models.FulfilmentCancelled {
			t.Errorf("expired %d; the paid coupon is %s, the unpaid credit %s with its fulfilment %s", n, c.Status, b.Status, b.Fulfilment.Status)
		}
		return nil
	})
}
