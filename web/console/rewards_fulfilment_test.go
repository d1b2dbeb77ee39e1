package console

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

// seedStripeReward issues zoe a stripe_coupon and makes its fulfilment
// fail, as a run against a failing Stripe would (no job runs here).
func seedStripeReward(t *testing.T, tenant uuid.UUID) string {
	t.Helper()
	err := tenants.WithTenant(context.Background(), env.App, tenant, func(ctx context.Context) error {
		rules := models.Rules{Steps: opsSpringSteps[:1],
			Milestones:  []models.Milestone{{Count: 1, Reward: models.Reward{Description: "host ticket", Kind: "ticket"}}},
			GuestReward: &models.Reward{Description: "$7 Stripe coupon", Kind: models.RewardStripeCoupon, Amount: opsMoneyPtr(700), Currency: "USD"}}
		if err := opsPublish(ctx, "stripe", "Stripe rewards", models.ModeInvitation, rules); err != nil {
			return err
		}
		inv, err := models.CreateInvitation(ctx, "stripe", models.InvitationInput{Host: "alice"})
		if err != nil {
			return err
		}
		if _, err := models.Claim(ctx, inv.Code, "zoe"); err != nil {
			return err
		}
		_, _, err = models.IngestEvent(ctx, models.EventInput{Participant: "zoe", Name: opsSpringSteps[0]})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	id := opsRewardID(t, tenant, "zoe", "$7 Stripe coupon")
	if err := env.Owner.Exec(`UPDATE reward_fulfilments SET status = 'failed', error = 'Stripe is down', attempts = 3 WHERE reward_id = ?`,
		id).Error; err != nil {
		t.Fatal(err)
	}
	return id
}

// fulfilmentStatus is a reward's fulfilment status, read as the owner.
func fulfilmentStatus(t *testing.T, id string) string {
	t.Helper()
	var status string
	if err := env.Owner.Raw(`SELECT status FROM reward_fulfilments WHERE reward_id = ?`, id).Scan(&status).Error; err != nil {
		t.Fatal(err)
	}
	return status
}

// TestConsoleRetryStripeFulfilment: the queue shows a failed Stripe
// fulfilment with its error and a retry button; retrying (with the CSRF
// token) queues it again, and the row shows it pending.
func TestConsoleRetryStripeFulfilment(t *testing.T) {
	b, owner := opsOwner(t)
	id := seedStripeReward(t, owner.tenantID)

	queue := b.get("/rewards?kind=stripe_coupon")
	wantStatus(t, queue, http.StatusOK)
	row := queue.find("reward-row")
	if row.Find(`[data-fulfilment="failed"]`).Length() != 1 || row.Find(`[data-testid="fulfilment-error"]`).Text() != "Stripe is down (3 attempts)" ||
		row.Find(`[data-testid="retry-fulfilment"]`).Length() != 1 {
		t.Fatalf("the failed fulfilment's row: %s", queue.Body)
	}

	// Another tenant's member finds no such reward.
	other, _ := opsOwner(t)
	wantStatus(t, other.post("/rewards/"+id+"/retry-fulfilment", nil), http.StatusNotFound)

	// Without the CSRF token, nothing happens.
	wantStatus(t, b.post("/rewards/"+id+"/retry-fulfilment", url.Values{"_csrf": {"forged"}}), http.StatusForbidden)
	if fulfilmentStatus(t, id) != models.FulfilmentFailed {
		t.Fatal("a forged request retried the fulfilment")
	}

	p := tableRows(t, b.post("/rewards/"+id+"/retry-fulfilment", nil, "HX-Request", "true"))
	wantStatus(t, p, http.StatusOK)
	row = p.find("reward-row")
	if row.Find(`[data-fulfilment="pending"]`).Length() != 1 || row.Find(`[data-testid="retry-fulfilment"]`).Length() != 0 {
		t.Fatalf("the retried row: %s", p.Body)
	}
	if jobs := fulfilmentJobs(t, id); jobs != 2 {
		t.Errorf("fulfilment jobs %d, want the issue's and the retry's", jobs)
	}
	// Again: no longer failed, left as it is.
	p = tableRows(t, b.post("/rewards/"+id+"/retry-fulfilment", nil, "HX-Request", "true"))
	if p.Doc.Find(`[data-kind="error"]`).Length() != 1 || fulfilmentStatus(t, id) != models.FulfilmentPending {
		t.Errorf("a second retry: %s", p.Body)
	}
}

// TestConsoleSettledStripeReward: voiding a reward whose fulfilment fails
// shows it cancelled, with no retry button; a retry posted anyway says the
// reward is voided and queues nothing. A reward Stripe has paid offers no
// void, and a void posted anyway says it was paid and changes nothing.
func TestConsoleSettledStripeReward(t *testing.T) {
	b, owner := opsOwner(t)
	id := seedStripeReward(t, owner.tenantID)
	p := tableRows(t, b.post("/rewards/"+id+"/void", nil, "HX-Request", "true"))
	wantStatus(t, p, http.StatusOK)
	row := p.find("reward-row")
	if f := row.Find(`[data-fulfilment="cancelled"]`); f.Length() != 1 || !strings.Contains(f.Text(), "not sent") ||
		row.Find(`[data-testid="retry-fulfilment"]`).Length() != 0 {
		t.Fatalf("the voided reward's row: %s", p.Body)
	}
	p = tableRows(t, b.post("/rewards/"+id+"/retry-fulfilment", nil, "HX-Request", "true"))
	wantStatus(t, p, http.StatusOK)
	if msg := p.Doc.Find(`[data-kind="error"]`); msg.Length() != 1 || !strings.Contains(msg.Text(), "voided, so nothing is sent to Stripe") {
		t.Errorf("a retry of the voided reward: %s", p.Body)
	}
	if jobs := fulfilmentJobs(t, id); jobs != 1 {
		t.Errorf("fulfilment jobs %d, want the issue's only", jobs)
	}

	b, owner = opsOwner(t)
	paid := seedStripeReward(t, owner.tenantID)
	if err := env.Owner.Exec(`UPDATE reward_fulfilments SET status = 'fulfilled', stripe_object = 'coupon_1', code = 'PROMO1', error = ''
		WHERE reward_id = ?`, paid).Error; err != nil {
		t.Fatal(err)
	}
	queue := b.get("/rewards?kind=stripe_coupon")
	wantStatus(t, queue, http.StatusOK)
	if row := queue.find("reward-row"); row.Find(`[data-testid="redeem"]`).Length() != 1 || row.Find(`[data-testid="void"]`).Length() != 0 {
		t.Errorf("the paid reward's actions: %s", queue.Body)
	}
	p = tableRows(t, b.post("/rewards/"+paid+"/void", nil, "HX-Request", "true"))
	wantStatus(t, p, http.StatusOK)
	if msg := p.Doc.Find(`[data-kind="error"]`); msg.Length() != 1 || !strings.Contains(msg.Text(), "paid through Stripe") ||
		p.find("reward-row").AttrOr("data-status", "") != models.RewardIssued {
		t.Errorf("a void of the paid reward: %s", p.Body)
	}
}

// TestRewardsCSVFulfilment: a Stripe reward's row carries its fulfilment's
// status, cancelled included; another kind's leaves the column empty.
func TestRewardsCSVFulfilment(t *testing.T) {
	col := slices.Index(rewardsCSVHeader, "stripe_fulfilment")
	c := rewardCSVRecord(models.QueuedReward{RewardToken: models.RewardToken{ID: "rwd_1", Kind: "stripe_balance", Quantity: 1, Status: "voided",
		Fulfilment: &models.Fulfilment{Status: models.FulfilmentCancelled}}})
	if len(c) != len(rewardsCSVHeader) || c[col] != "cancelled" {
		t.Errorf("a voided credit's row %q", c)
	}
	if o := rewardCSVRecord(models.QueuedReward{RewardToken: models.RewardToken{ID: "rwd_2", Kind: "cash", Quantity: 1}}); o[col] != "" {
		t.Errorf("a cash reward's row %q", o)
	}
}

// fulfilmentJobs counts the reward's fulfilment jobs in River's table, after
// moving those a Citus worker queued in the job outbox.
func fulfilmentJobs(t *testing.T, rewardID string) int {
	t.Helper()
	env.MoveJobOutbox(t)
	var jobs int
	if err := env.Owner.Raw(`SELECT count(*) FROM river_job WHERE kind = 'reward_fulfilment' AND args->>'reward_id' = ?`, rewardID).Scan(&jobs).Error; err != nil {
		t.Fatal(err)
	}
	return jobs
}
