package e2e

import "testing"

// TestE2ERetention: a new owner finds Data retention in the sidebar, sees
// the defaults, sets shorter periods and is offered the account's export, without a console error or
// CSP violation.
func TestE2ERetention(t *testing.T) {
	if testing.Short() {
		t.Skip("the browser test is slow; -short skips it")
	}
	b := newChrome(t, findChromium(t), startServer(t))
	b.open("/signup")
	b.fill(`input[name="name"]`, "Retention Roasters")
	b.fill(`input[name="email"]`, "owner@retention-roasters.test")
	b.fill(`input[name="password"]`, ownerPass)
	b.clickAndLoad(testid("signup-submit"), "/signup")
	b.clickAndLoad(testid("continue"), "/")
	b.clickAndLoad(testid("nav-retention"), "/settings/retention")
	b.mustSee(testid("retention-defaults"), "the defaults, never saved")
	b.mustSee(testid("account-export-link"), "the owner's export")
	b.fill(`input[name="event_properties_days"]`, "90")
	b.fill(`input[name="idempotency_hours"]`, "48")
	b.fill(`input[name="webhook_days"]`, "14")
	b.clickAndLoad(testid("retention-save"), "/settings/retention")
	b.assertText(testid("flash-message"), "Retention periods saved")
	if b.count(testid("retention-defaults")) != 0 {
		t.Error("the saved periods still read as the defaults")
	}
	b.screenshot("retention")
	b.checkClean("the data retention page")
}
