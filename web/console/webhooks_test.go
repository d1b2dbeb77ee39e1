package console

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tandemhq/tandem/models"
)

func TestConsoleWebhooks(t *testing.T) {
	app := newConsoleApp(t)
	b := newBrowser(t, app)
	owner := signUp(t, b)
	p := b.get("/webhooks")
	wantStatus(t, p, http.StatusOK)
	if p.Doc.Find(`a[href="/webhooks"]`).Length() == 0 {
		t.Error("no Webhooks entry in the sidebar")
	}

	// A URL that is no URL: the form again, with the error by the input.
	p = b.post("/webhooks", url.Values{"url": {"ftp://example.com/x"}, "events": {"*"}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	if !strings.Contains(p.Body, "absolute https URL") {
		t.Errorf("no URL error: %s", p.Body)
	}

	// Add: the secret is shown once.
	p = b.post("/webhooks", url.Values{"url": {"http://127.0.0.1:9/hook"}, "description": {"CRM"}, "events": {"reward.issued", "reward.expired"}})
	wantStatus(t, p, http.StatusCreated)
	secret := p.find("webhook-secret").AttrOr("value", "")
	if !strings.HasPrefix(secret, "whsec_") {
		t.Fatalf("no secret shown: %s", p.Body)
	}
	var id string
	env.Owner.Raw(`SELECT id FROM webhook_endpoints WHERE tenant_id = ?`, owner.tenantID).Scan(&id)
	list := b.get("/webhooks")
	if strings.Contains(list.Body, secret) || list.find("webhook-endpoint").Length() != 1 {
		t.Fatalf("the list: %s", list.Body)
	}

	// Test event, log, replay refused while pending, disable, rotate.
	wantRedirect(t, b.post("/webhooks/"+id+"/test", nil), "/webhooks/"+id)
	p = b.get("/webhooks/" + id)
	wantStatus(t, p, http.StatusOK)
	if p.find("webhook-delivery").Length() != 1 || !strings.Contains(p.text("webhook-delivery"), models.WebhookTestType) {
		t.Fatalf("delivery log: %s", p.Body)
	}
	wantRedirect(t, b.post("/webhooks/"+id, url.Values{"url": {"http://127.0.0.1:9/hook"}, "events": {"*"}}), "/webhooks/"+id)
	var status string
	env.Owner.Raw(`SELECT status FROM webhook_endpoints WHERE id = ?`, id).Scan(&status)
	if status != models.EndpointDisabled {
		t.Errorf("unticked Enabled left it %s", status)
	}
	p = b.post("/webhooks/"+id+"/rotate", nil)
	wantStatus(t, p, http.StatusOK)
	if rotated := p.find("webhook-secret").AttrOr("value", ""); rotated == secret || !strings.HasPrefix(rotated, "whsec_") {
		t.Errorf("rotated secret %q", rotated)
	}

	// Disabled for failing: the console says so.
	env.Owner.Exec(`UPDATE webhook_endpoints SET disabled_reason = 'failing' WHERE id = ?`, id)
	if p := b.get("/webhooks"); p.find("webhook-failing").Length() != 1 {
		t.Errorf("no notice of an endpoint disabled for failing: %s", p.Body)
	}

	// A viewer may not; nor may a form without the CSRF token.
	viewer := newBrowser(t, app)
	logIn(t, viewer, addMember(t, owner.tenantID, "viewer"))
	wantStatus(t, viewer.get("/webhooks"), http.StatusForbidden)
	wantStatus(t, b.post("/webhooks/"+id+"/delete", url.Values{"_csrf": {"forged"}}), http.StatusForbidden)

	wantRedirect(t, b.post("/webhooks/"+id+"/delete", nil), "/webhooks")
	if b.get("/webhooks").find("webhook-endpoint").Length() != 0 {
		t.Error("the endpoint is still listed")
	}
}
