package console

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tandemhq/tandem/models"
)

// Only an owner reaches account deletion: admins, marketers and viewers
// are refused the page and both actions. The owner schedules it with the
// account's slug typed (anything else is refused with the field's error),
// sees the date and an Undo, can still export, and undoes it; both are
// audited.
func TestConsoleAccountDeletion(t *testing.T) {
	app := newConsoleApp(t)
	b := newBrowser(t, app)
	owner := signUp(t, b)
	var slug string
	if err := env.Owner.Raw(`SELECT slug FROM tenants WHERE id = ?`, owner.tenantID).Scan(&slug).Error; err != nil {
		t.Fatal(err)
	}
	// A new form each time: post adds the browser's CSRF token to it.
	confirm := func() url.Values { return url.Values{"confirmation": {slug}} }

	for _, role := range []string{models.RoleAdmin, models.RoleMarketer, models.RoleViewer} {
		ob := newBrowser(t, app)
		logIn(t, ob, addMember(t, owner.tenantID, role))
		wantStatus(t, ob.get("/settings/account"), http.StatusForbidden)
		wantStatus(t, ob.post("/settings/account/delete", confirm()), http.StatusForbidden)
		wantStatus(t, ob.post("/settings/account/undo", url.Values{}), http.StatusForbidden)
	}
	if due := deletionDue(t, owner); due != "" {
		t.Fatalf("another role scheduled the deletion: %s", due)
	}

	p := b.get("/settings/account")
	wantStatus(t, p, http.StatusOK)
	if p.find("account-deletion-form").Length() != 1 {
		t.Fatalf("no confirmation form: %.300s", p.Body)
	}
	for _, typed := range []string{"", "delete", strings.ToUpper(slug)} {
		p = b.post("/settings/account/delete", url.Values{"confirmation": {typed}})
		wantStatus(t, p, http.StatusUnprocessableEntity)
		if p.text("error-confirmation") == "" || p.Doc.Find(`input[name="confirmation"]`).AttrOr("value", "-") != typed {
			t.Errorf("confirmed by %q: error %q", typed, p.text("error-confirmation"))
		}
	}
	if due := deletionDue(t, owner); due != "" {
		t.Fatalf("a wrong confirmation scheduled the deletion: %s", due)
	}

	wantRedirect(t, b.post("/settings/account/delete", confirm()), "/settings/account")
	p = b.get("/settings/account")
	if p.find("account-deletion-undo").Length() != 1 || p.text("account-deletion-due") == "" {
		t.Errorf("after scheduling: %q", p.text("account-deletion-scheduled"))
	}
	if due := deletionDue(t, owner); due == "" {
		t.Error("the deletion is not scheduled")
	}
	wantStatus(t, b.get("/settings/export"), http.StatusOK)
	if opsAuditCount(t, owner, "account.deletion_scheduled", owner.tenantID.String()) != 1 {
		t.Error("scheduling is not audited once")
	}

	wantRedirect(t, b.post("/settings/account/undo", url.Values{}), "/settings/account")
	if p = b.get("/settings/account"); p.find("account-deletion-form").Length() != 1 {
		t.Error("after undo the confirmation form is not back")
	}
	if due := deletionDue(t, owner); due != "" || opsAuditCount(t, owner, "account.deletion_cancelled", owner.tenantID.String()) != 1 {
		t.Errorf("after undo: due %q, or the undo is not audited once", due)
	}
}

// deletionDue is the account's deletion date as text, "" when none.
func deletionDue(t *testing.T, a account) string {
	t.Helper()
	var due string
	if err := env.Owner.Raw(`SELECT coalesce(deletion_due_at::text, '') FROM tenants WHERE id = ?`, a.tenantID).Scan(&due).Error; err != nil {
		t.Fatal(err)
	}
	return due
}
