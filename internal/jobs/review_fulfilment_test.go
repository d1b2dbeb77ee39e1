package jobs_test

import (
	"slices"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/tandemhq/tandem/internal/jobs"
)

// TestHeldStripeRewardWaitsForApproval: under review: all, a completed
// referral's stripe_coupon and stripe_balance are held with no fulfilment,
// and Stripe (stripe-mock, behind a recorder) hears nothing, not even when
// a fulfilment job is queued for them by hand; the approved coupon is then
// made in Stripe once, and the rejected credit never is.
func TestHeldStripeRewardWaitsForApproval(t *testing.T) {
	rec := newStripeRecorder(t)
	call := stripeTenant(t, rec)
	startServer(t, time.Now, func(c *jobs.Config) { c.StripeAPIBase = rec.URL })
	call("POST", "/v1/participants", map[string]any{"external_id": "hana", "stripe_customer_id": "cus_Hana1"}, 201)
	call("PUT", "/v1/campaigns/held", map[string]any{"name": "held", "mode": "invitation", "review": "all",
		"quest": map[string]any{"steps": []string{"subscribed"}},
		"host_milestones": []any{map[string]any{"count": 1, "reward": map[string]any{
			"description": "$15 account credit", "kind": "stripe_balance", "amount": 1500, "currency": "USD"}}},
		"guest_reward": map[string]any{"description": "$5 off", "kind": "stripe_coupon", "amount": 500, "currency": "USD"}}, 200)
	call("POST", "/v1/campaigns/held/publish", nil, 200)
	inv := call("POST", "/v1/campaigns/held/invitations", map[string]any{"host": "hana"}, 201)
	call("POST", "/v1/claims", map[string]any{"code": inv.JSON["code"], "guest": "gus"}, 201)
	call("POST", "/v1/events", map[string]any{"participant": "gus", "name": "subscribed"}, 202)
	reward := func(who string) map[string]any {
		return call("GET", "/v1/participants/"+who+"/rewards", nil, 200).JSON["data"].([]any)[0].(map[string]any)
	}
	coupon, credit := reward("gus"), reward("hana")
	for _, r := range []map[string]any{coupon, credit} {
		if r["status"] != "held" || r["fulfilment"] != nil {
			t.Fatalf("a Stripe reward under review: status %v, fulfilment %v; want held, none", r["status"], r["fulfilment"])
		}
	}

	// A job queued for the held coupon anyway (tandem_app may queue one):
	// it finds no fulfilment to make.
	err := env.Owner.Transaction(func(tx *gorm.DB) error {
		var tenant string
		if err := tx.Raw(`SELECT tenant_id::text FROM reward_tokens WHERE id = ?`, coupon["id"]).Scan(&tenant).Error; err != nil {
			return err
		}
		if err := tx.Exec(`SELECT set_config('app.tenant_id', ?, true)`, tenant).Error; err != nil {
			return err
		}
		return tx.Exec(`SELECT reward_fulfilment_queue(app_tenant_id(), ?)`, coupon["id"]).Error
	})
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "the stray job to finish", func() bool {
		var n int
		if err := env.Owner.Raw(`SELECT count(*) FROM river_job WHERE kind = 'reward_fulfilment' AND args->>'reward_id' = ?
			AND finalized_at IS NOT NULL`, coupon["id"]).Scan(&n).Error; err != nil {
			t.Fatal(err)
		}
		return n == 1
	})
	if got := rec.recorded(); len(got) != 0 {
		t.Fatalf("Stripe was asked for held rewards: %q", got)
	}

	call("POST", "/v1/rewards/"+coupon["id"].(string)+"/approve", nil, 200)
	call("POST", "/v1/rewards/"+credit["id"].(string)+"/reject", map[string]any{"reason": "the host's own card"}, 200)
	eventually(t, "the approved coupon to be fulfilled", func() bool {
		f, _ := reward("gus")["fulfilment"].(map[string]any)
		return f["status"] == "fulfilled"
	})
	want := []string{"/v1/coupons " + coupon["id"].(string), "/v1/promotion_codes " + coupon["id"].(string) + "-promotion-code"}
	if got := rec.recorded(); !slices.Equal(got, want) {
		t.Fatalf("Stripe requests %q, want only the approved coupon's %q", got, want)
	}
	if r := reward("hana"); r["status"] != "voided" || r["fulfilment"] != nil {
		t.Fatalf("the rejected credit: status %v, fulfilment %v", r["status"], r["fulfilment"])
	}
}
