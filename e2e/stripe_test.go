package e2e

import (
	"testing"

	"github.com/tandemhq/tandem/internal/stripebilling"
	"github.com/tandemhq/tandem/internal/stripemock"
)

// TestE2EStripeSettings: a new owner finds Stripe in the sidebar, has a
// publishable key refused by the page, connects a secret key (checked
// against stripe-mock), sees it masked, and removes it after confirming,
// without a console error or CSP violation.
func TestE2EStripeSettings(t *testing.T) {
	if testing.Short() {
		t.Skip("the browser test is slow; -short skips it")
	}
	// Billing stays off (no secret key): tenants' keys are checked at
	// the same Stripe base URL all the same.
	b := newChrome(t, findChromium(t), startServerWith(t, stripebilling.Config{APIBase: stripemock.URL(t)}))
	b.open("/signup")
	b.fill(`input[name="name"]`, "Stripe Stationers")
	b.fill(`input[name="email"]`, "owner@stripe-stationers.test")
	b.fill(`input[name="password"]`, ownerPass)
	b.clickAndLoad(testid("signup-submit"), "/signup")
	b.clickAndLoad(testid("continue"), "/")
	b.clickAndLoad(testid("nav-stripe"), "/integrations/stripe")
	b.assertText(testid("stripe-status"), "Not connected")
	b.checkClean("the Stripe page")

	// A publishable key: the form again, with the reason by the input.
	b.expectFailure("/integrations/stripe", 422)
	b.fill(testid("stripe-key"), "pk_test_e2ePublishableKey")
	b.clickAndLoad(testid("stripe-connect"), "/integrations/stripe")
	b.assertText(testid("error-api_key"), "This is a publishable key")
	if v := b.attr(testid("stripe-key"), "value"); v != "" {
		t.Errorf("the refused key is echoed into the form: %q", v)
	}
	b.checkClean("a refused key")

	b.fill(testid("stripe-key"), "sk_test_e2eStripeKeyWxyz")
	b.clickAndLoad(testid("stripe-connect"), "/integrations/stripe")
	b.assertText(testid("stripe-status"), "Connected")
	b.assertText(testid("stripe-key-hint"), "sk_test_…Wxyz")
	b.mustSee(testid("stripe-connected-at")+" time", "when it was connected")
	b.screenshot("stripe-connected")
	b.checkClean("connecting Stripe")

	b.expectDialog("Disconnect Stripe?")
	b.clickAndLoad(testid("stripe-disconnect"), "/integrations/stripe")
	b.assertText(testid("stripe-status"), "Not connected")
	b.screenshot("stripe-disconnected")
	b.checkClean("disconnecting Stripe")
}
