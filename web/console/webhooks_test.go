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

// Past the cap of pending deliveries the webhooks page says so, and a test
// message is refused (429, with the reason) and leaves nothing behind.
func TestConsoleWebhookBacklog(t *testing.T) {
	app := newConsoleApp(t)
	b := newBrowser(t, app)
	owner := signUp(t, b)
	wantStatus(t, b.post("/webhooks", url.Values{"url": {"http://127.0.0.1:9/hook"}, "events": {"*"}}), http.StatusCreated)
	var id string
	env.Owner.Raw(`SELECT id FROM webhook_endpoints WHERE tenant_id = ?`, owner.tenantID).Scan(&id)
	if p := b.get("/webhooks"); p.find("webhook-backlog").Length() != 0 {
		t.Fatal("a backlog notice without a backlog")
	}
	err := env.Owner.Exec(`
		WITH msgs AS (INSERT INTO webhook_messages (tenant_id, type, object_id)
		              SELECT ?, 'webhook.test', ? FROM generate_series(1, ?) RETURNING id)
		INSERT INTO webhook_deliveries (tenant_id, message_id, endpoint_id) SELECT ?, msgs.id, ? FROM msgs`,
		owner.tenantID, id, models.MaxPendingWebhookDeliveries+1, owner.tenantID, id).Error
	if err != nil {
		t.Fatal(err)
	}
	if p := b.get("/webhooks"); p.find("webhook-backlog").Length() != 1 {
		t.Errorf("no backlog notice: %s", p.Body)
	}
	var before, after int
	env.Owner.Raw(`SELECT count(*) FROM webhook_messages WHERE tenant_id = ?`, owner.tenantID).Scan(&before)
	p := b.post("/webhooks/"+id+"/test", nil)
	wantStatus(t, p, http.StatusTooManyRequests)
	if !strings.Contains(p.Body, "waiting to be sent") {
		t.Errorf("the refusal does not say why: %s", p.Body)
	}
	env.Owner.Raw(`SELECT count(*) FROM webhook_messages WHERE tenant_id = ?`, owner.tenantID).Scan(&after)
	if after != before {
		t.Errorf("the refused test left %d messages behind", after-before)
	}
}
