package jobs_test

import (
	"testing"
	"time"

	"github.com/tandemhq/tandem/internal/jobs"
)

// TestStripeMinorUnits: a reward in a currency whose minor unit Stripe
// counts differently reaches Stripe (stripe-mock) in Stripe's units: 1,500
// krónur (ours 1500, no minor unit) as amount_off 150000, Stripe's ISK
// being two-decimal, and 1,500.00 ariary (ours 150000) as a balance credit
// of 1500, Stripe's MGA being zero-decimal.
func TestStripeMinorUnits(t *testing.T) {
	rec := newStripeRecorder(t)
	call := stripeTenant(t, rec)
	startServer(t, time.Now, func(c *jobs.Config) { c.StripeAPIBase = rec.URL })
	call("POST", "/v1/participants", map[string]any{"external_id": "ragna", "stripe_customer_id": "cus_Ragna1"}, 201)
	call("POST", "/v1/participants", map[string]any{"external_id": "hery", "stripe_customer_id": "cus_Hery1"}, 201)
	coupon, balance := completeQuest(call, "units", "hery", "ragna",
		map[string]any{"description": "1,500 kr. off", "kind": "stripe_coupon", "amount": 1500, "currency": "ISK"},
		map[string]any{"description": "Ar 1,500 credit", "kind": "stripe_balance", "amount": 150000, "currency": "MGA"})
	eventually(t, "both rewards to be fulfilled", func() bool {
		return fulfilment(call, "ragna")["status"] == "fulfilled" && fulfilment(call, "hery")["status"] == "fulfilled"
	})
	if c := rec.form("/v1/coupons " + coupon); c.Get("amount_off") != "150000" || c.Get("currency") != "isk" {
		t.Errorf("the ISK coupon sent %v, want amount_off 150000 isk", c)
	}
	if b := rec.form("/v1/customers/cus_Hery1/balance_transactions " + balance); b.Get("amount") != "-1500" || b.Get("currency") != "mga" {
		t.Errorf("the MGA credit sent %v, want amount -1500 mga", b)
	}
}
