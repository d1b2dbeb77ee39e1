package models_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/tandemhq/tandem/models"
)

// Approving twice issues once, under concurrent approvals and completions:
// guests complete while two reviewers each approve every guest's held
// coupon as soon as it appears; then an approval races a rejection for each
// host reward. Each token is decided exactly once: one audit entry, one
// fulfilment, one count in the rollup; the losing decision is refused or a
// no-op, never a second change.
func TestReviewDecidedOnceUnderRaces(t *testing.T) {
	const n = 6
	tenant := env.NewTenant(t, "").TenantID
	env.InTenant(t, tenant, func(ctx context.Context) error {
		publishReviewed(t, ctx, "race", reviewMoney, &reviewCoupon, models.Rules{Review: models.ReviewAll})
		for i := range n {
			mustClaim(t, ctx, mustInvite(t, ctx, "race", "race-host").Code, fmt.Sprintf("race-guest%d", i))
		}
		return nil
	})
	guest := func(i int) string { return fmt.Sprintf("race-guest%d", i%n) }
	// Goroutines 0..n-1 complete guest i; n..3n-1 approve guest i's coupon,
	// two approvers per guest, polling until it is issued.
	errs := runConcurrently(3*n, func(i int) error {
		if i < n {
			return env.TryInTenant(tenant, func(ctx context.Context) error { return event(ctx, guest(i), "signup_complete") })
		}
		deadline := time.Now().Add(20 * time.Second)
		for time.Now().Before(deadline) {
			var rewards []models.RewardToken
			err := env.TryInTenant(tenant, func(ctx context.Context) (err error) {
				rewards, _, err = models.ListParticipantRewards(ctx, guest(i), models.Page{})
				return err
			})
			if err != nil && !errors.Is(err, models.ErrParticipantNotFound) {
				return err
			}
			if len(rewards) == 1 {
				return env.TryInTenant(tenant, func(ctx context.Context) error {
					_, err := models.ApproveReward(ctx, rewards[0].ID)
					return err
				})
			}
			time.Sleep(5 * time.Millisecond)
		}
		return fmt.Errorf("no reward for %s in time", guest(i))
	})
	for i, err := range errs {
		if err != nil {
			t.Fatalf("goroutine %d: %v", i, err)
		}
	}
	r := newRawDB(t)
	race := r.campaign(tenant, "race")
	// One question a statement: Citus pushes down no subquery in a column list.
	coupons := r.int(tenant, `SELECT count(*) FROM reward_tokens WHERE campaign_id = $1 AND reason = 'guest' AND status = 'issued'
		AND reviewed_at IS NOT NULL`, race)
	approvals := r.int(tenant, `SELECT count(*) FROM audit_log WHERE action = 'reward.approved'`)
	fulfilments := r.int(tenant, `SELECT count(*) FROM reward_fulfilments`)
	heldHosts := r.int(tenant, `SELECT count(*) FROM reward_tokens WHERE campaign_id = $1 AND reason = 'host_milestone' AND status = 'held'`, race)
	if coupons != n || approvals != n || fulfilments != n || heldHosts != n {
		t.Fatalf("after the completions: %d coupons approved, %d approvals audited, %d fulfilments, %d host rewards held; want %d each",
			coupons, approvals, fulfilments, heldHosts, n)
	}

	// Each host reward: an approval and a rejection at once.
	var hostRewards []string
	r.scan(tenant, q(`SELECT array_agg(id ORDER BY id) FROM reward_tokens WHERE campaign_id = $1 AND reason = 'host_milestone'`, race), &hostRewards)
	errs = runConcurrently(2*len(hostRewards), func(i int) error {
		return env.TryInTenant(tenant, func(ctx context.Context) error {
			id := hostRewards[i/2]
			if i%2 == 0 {
				_, err := models.ApproveReward(ctx, id)
				return err
			}
			_, err := models.RejectReward(ctx, id, "a race")
			return err
		})
	})
	for i := 0; i < len(errs); i += 2 {
		won := 0
		for _, err := range errs[i : i+2] {
			switch {
			case err == nil:
				won++
			case !errors.Is(err, models.ErrRewardTransition):
				t.Fatalf("reward %s: %v", hostRewards[i/2], err)
			}
		}
		if won != 1 {
			t.Fatalf("reward %s: %d decisions went through, want exactly 1 (%v)", hostRewards[i/2], won, errs[i:i+2])
		}
	}
	decided := r.int(tenant, `SELECT count(*) FROM reward_tokens WHERE campaign_id = $1 AND reason = 'host_milestone'
		AND status IN ('issued', 'voided') AND reviewed_at IS NOT NULL`, race)
	decisions := r.int(tenant, `SELECT count(*) FROM audit_log WHERE subject = ANY ($1) AND action IN ('reward.approved', 'reward.rejected')`, hostRewards)
	var held, issued, amount int64
	r.scan(tenant, q(`SELECT sum(held), sum(issued), sum(issued_amount) FILTER (WHERE kind = 'cash') FROM campaign_reward_rollups
		WHERE campaign_id = $1`, race), &held, &issued, &amount)
	approvedHosts := r.int(tenant, `SELECT count(*) FROM reward_tokens WHERE campaign_id = $1 AND reason = 'host_milestone' AND status = 'issued'`, race)
	if decided != n || decisions != n || held != 0 || issued != n+approvedHosts || amount != approvedHosts*reviewCash {
		t.Fatalf("host rewards: %d decided, %d decisions audited, rollup %d held, %d issued (%d in cash); want %d, %d, 0, %d (%d)",
			decided, decisions, held, issued, amount, n, n, n+approvedHosts, approvedHosts*reviewCash)
	}

	// The same decision again is a no-op; the other one is refused.
	env.InTenant(t, tenant, func(ctx context.Context) error {
		for _, id := range hostRewards {
			token, err := models.GetReward(ctx, id)
			must(t, err)
			again, other := func() error { _, err := models.ApproveReward(ctx, id); return err },
				func() error { _, err := models.RejectReward(ctx, id, "late"); return err }
			if token.Status == models.RewardVoided {
				again, other = other, again
			}
			if err := again(); err != nil {
				t.Errorf("%s (%s): the same decision again: %v", id, token.Status, err)
			}
			if err := other(); !errors.Is(err, models.ErrRewardTransition) {
				t.Errorf("%s (%s): the other decision: %v, want reward_status_transition", id, token.Status, err)
			}
		}
		return nil
	})
}
