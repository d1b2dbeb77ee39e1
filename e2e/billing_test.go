package e2e

import (
	"testing"

	"github.com/tandemhq/tandem/internal/stripebilling"
	"github.com/tandemhq/tandem/internal/stripemock"
	"github.com/tandemhq/tandem/models"
)

// TestE2EBilling: with billing on (against stripe-mock), a new owner finds
// Billing in the sidebar, sees the Free plan, the usage against its limits
// and the plans to upgrade to, without a console error or CSP violation.
// (Checkout itself is Stripe's page, out of reach of this closed network.)
func TestE2EBilling(t *testing.T) {
	if testing.Short() {
		t.Skip("the browser test is slow; -short skips it")
	}
	b := newChrome(t, findChromium(t), startServerWith(t, stripebilling.Config{SecretKey: "sk_test_e2e", WebhookSecret: "whsec_e2e",
		APIBase: stripemock.URL(t), Prices: map[string]string{models.PlanGrowth: "price_growth", models.PlanScale: "price_scale"}}))
	b.open("/signup")
	b.fill(`input[name="name"]`, "Billing Bakery")
	b.fill(`input[name="email"]`, "owner@billing-bakery.test")
	b.fill(`input[name="password"]`, ownerPass)
	b.clickAndLoad(testid("signup-submit"), "/signup")
	b.clickAndLoad(testid("continue"), "/")
	b.clickAndLoad(testid("nav-billing"), "/billing")
	b.assertText(testid("billing-plan"), "Free")
	b.mustSee(testid("usage-active_campaigns"), "the active campaigns against the plan's limit")
	b.mustSee(testid("upgrade-growth"), "the upgrade to Growth")
	b.mustSee(testid("upgrade-scale"), "the upgrade to Scale")
	b.screenshot("billing")
	b.checkClean("the billing page")
}
