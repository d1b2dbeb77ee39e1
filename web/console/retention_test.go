package console

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tandemhq/tandem/models"
)

// The Data retention page shows the defaults, refuses a period out of
// bounds or not a number with the field's error (as typed), saves and
// audits good ones, and is the owners' and admins' only; the owner also
// downloads the account's export there.
func TestConsoleRetentionPage(t *testing.T) {
	app := newConsoleApp(t)
	b := newBrowser(t, app)
	owner := signUp(t, b)
	p := b.get("/settings/retention")
	wantStatus(t, p, http.StatusOK)
	if p.find("retention-defaults").Length() != 1 || p.Doc.Find(`input[name="event_properties_days"]`).AttrOr("value", "") != "365" {
		t.Errorf("defaults: %q", p.text("retention"))
	}
	good := url.Values{"event_properties_days": {"90"}, "idempotency_hours": {"48"}, "webhook_days": {"14"}}
	for field, bad := range map[string]string{"event_properties_days": "0", "idempotency_hours": "721", "webhook_days": "two"} {
		form := url.Values{}
		for k, v := range good {
			form[k] = v
		}
		form.Set(field, bad)
		p = b.post("/settings/retention", form)
		wantStatus(t, p, http.StatusUnprocessableEntity)
		if p.text("error-"+field) == "" || p.Doc.Find(`input[name="`+field+`"]`).AttrOr("value", "") != bad {
			t.Errorf("%s = %s: error %q", field, bad, p.text("error-"+field))
		}
	}
	wantRedirect(t, b.post("/settings/retention", good), "/settings/retention")
	p = b.get("/settings/retention")
	if p.find("retention-defaults").Length() != 0 || p.Doc.Find(`input[name="webhook_days"]`).AttrOr("value", "") != "14" {
		t.Errorf("after a save: %q", p.text("retention"))
	}
	if opsAuditCount(t, owner, "retention.saved", "retention") != 1 {
		t.Error("saving the periods is not audited once")
	}

	// The owner downloads the whole account; an admin sets the periods
	// but sees no export, and may not fetch it.
	if p.find("account-export-link").Length() != 1 {
		t.Error("the owner is not offered the account's export")
	}
	export := b.get("/settings/export")
	wantStatus(t, export, http.StatusOK)
	if !strings.Contains(export.Body, `{"table":"tenants","row":{`) || !strings.Contains(export.Body, owner.tenantID.String()) {
		t.Errorf("the export: %.300s", export.Body)
	}
	ab := newBrowser(t, app)
	logIn(t, ab, addMember(t, owner.tenantID, models.RoleAdmin))
	if p := ab.get("/settings/retention"); p.Status != http.StatusOK || p.find("account-export-link").Length() != 0 {
		t.Errorf("an admin: %d, export offered %d times", p.Status, p.find("account-export-link").Length())
	}
	wantStatus(t, ab.get("/settings/export"), http.StatusForbidden)

	mb := newBrowser(t, app)
	logIn(t, mb, addMember(t, owner.tenantID, models.RoleMarketer))
	wantStatus(t, mb.get("/settings/retention"), http.StatusForbidden)
	wantStatus(t, mb.post("/settings/retention", good), http.StatusForbidden)
}
