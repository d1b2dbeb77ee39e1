package e2e

import (
	"context"
	"testing"

	"github.com/tandemhq/tandem/models"
)

// TestE2EAccountDeletion: an owner goes from Data retention to Delete the
// account, is refused for a confirmation that is not the account's name,
// schedules the deletion by typing it, sees the date and the Undo, and
// undoes it, leaving the account as it was; without a console error or CSP
// violation.
func TestE2EAccountDeletion(t *testing.T) {
	if testing.Short() {
		t.Skip("the browser test is slow; -short skips it")
	}
	b := newChrome(t, findChromium(t), startServer(t))
	b.open("/signup")
	b.fill(`input[name="name"]`, "Deletion Dairy")
	b.fill(`input[name="email"]`, "owner@deletion-dairy.test")
	b.fill(`input[name="password"]`, ownerPass)
	b.clickAndLoad(testid("signup-submit"), "/signup")
	b.clickAndLoad(testid("continue"), "/")
	b.clickAndLoad(testid("nav-retention"), "/settings/retention")
	b.clickAndLoad(testid("account-delete-link"), "/settings/account")
	b.mustSee(testid("account-deletion-form"), "the typed confirmation")

	b.fill(testid("account-deletion-confirmation"), "delete it")
	b.expectFailure("/settings/account/delete", 422)
	b.clickAndLoad(testid("account-deletion-confirm"), "/settings/account/delete")
	b.mustSee(testid("error-confirmation"), "why the confirmation was refused")
	b.checkClean("the refused confirmation")

	b.fill(testid("account-deletion-confirmation"), "Deletion Dairy")
	b.clickAndLoad(testid("account-deletion-confirm"), "/settings/account")
	b.mustSee(testid("account-deletion-scheduled"), "the scheduled deletion")
	b.mustSee(testid("account-deletion-due"), "the day the account goes")
	b.assertText(testid("flash-message"), "The account will be deleted on")
	b.screenshot("account-deletion-scheduled")
	b.checkClean("the scheduled deletion")

	b.clickAndLoad(testid("account-deletion-undo"), "/settings/account")
	b.mustSee(testid("account-deletion-form"), "the confirmation again, nothing scheduled")
	b.assertText(testid("flash-message"), "The deletion is undone")
	env.InTenant(t, env.TenantNamed(t, "Deletion Dairy"), func(ctx context.Context) error {
		d, err := models.GetAccountDeletion(ctx)
		if err == nil && d.Scheduled() {
			t.Errorf("after the undo the deletion is still scheduled: %+v", d)
		}
		return err
	})
	b.checkClean("the undone deletion")
}
