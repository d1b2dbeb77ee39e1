package console

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/internal/safehttp"
	"github.com/tandemhq/tandem/internal/webtest"
	"github.com/tandemhq/tandem/tenants"
)

// countLookups makes every DNS lookup of the process fail, counting the
// ones that reach a name server, until the test ends.
func countLookups(t *testing.T) *atomic.Int64 {
	var n atomic.Int64
	saved := net.DefaultResolver
	net.DefaultResolver = &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, address string) (net.Conn, error) {
		n.Add(1)
		return nil, errors.New("no name server in this test")
	}}
	t.Cleanup(func() { net.DefaultResolver = saved })
	return &n
}

// A signed-out visitor (with a valid signed-out CSRF token) cannot make
// the server resolve a host name through the webhook forms; a member can.
func TestConsoleWebhookURLResolvedOnlyForMembers(t *testing.T) {
	app := fiber.New(fiber.Config{DisableStartupMessage: true, Immutable: true, ProxyHeader: testClientIPHeader})
	mount(app, Deps{DB: env.App, PublicURL: "https://tandem.test", Keys: tenants.NewVerifier(env.App, 30*time.Second),
		Secrets: testBox, WebhookPolicy: safehttp.Policy{}}) // the production policy: names are resolved
	lookups := countLookups(t)
	probe := "https://probe-" + strings.ToLower(time.Now().Format("150405.000000")) + ".example.com/hook"
	form := func() url.Values { return url.Values{"url": {probe}, "events": {"*"}} } // post adds its own _csrf

	visitor := newBrowser(t, app)
	visitor.get("/login") // the signed-out CSRF token
	for _, path := range []string{"/webhooks", "/webhooks/whe_00000000000000000000000000000000"} {
		p := visitor.post(path, form())
		if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Header.Get("Location"), "/login") {
			t.Errorf("signed out, %s: %d %s, want a redirect to the login page", path, p.Status, p.Header.Get("Location"))
		}
	}
	if n := lookups.Load(); n != 0 {
		t.Fatalf("signed-out forms made the server resolve the URL's host (%d lookups)", n)
	}

	owner := newBrowser(t, app)
	signUp(t, owner)
	owner.get("/webhooks")
	p := owner.post("/webhooks", form())
	wantStatus(t, p, http.StatusUnprocessableEntity)
	if lookups.Load() == 0 || !strings.Contains(p.Body, "does not resolve") {
		t.Fatalf("a member's URL was not resolved: %d lookups; %s", lookups.Load(), p.Body)
	}
}

// The page shows every endpoint (a page of 100 and a pager, for a tenant
// that had more before the cap), how many the plan allows, and no form
// once they are all in use; past the cap, a form is the plan-limit page.
func TestConsoleWebhooksShowEveryEndpointAndTheCap(t *testing.T) {
	app := newConsoleApp(t)
	b := newBrowser(t, app)
	owner := signUp(t, b)
	webtest.EndpointsFromBeforeTheCap(t, env.Owner, owner.tenantID, 49)
	p := b.get("/webhooks")
	if p.find("webhook-endpoint").Length() != 49 || !strings.Contains(p.text("webhook-count"), "49 of the 50") || p.find("webhook-form").Length() != 1 {
		t.Fatalf("49 endpoints: %d rows, %q", p.find("webhook-endpoint").Length(), p.text("webhook-count"))
	}
	wantStatus(t, b.post("/webhooks", url.Values{"url": {"HTTPS://127.0.0.1:9/hook"}, "events": {"*"}}), http.StatusCreated)
	p = b.get("/webhooks")
	if p.find("webhook-form").Length() != 0 || p.find("webhook-limit").Length() != 1 || !strings.Contains(p.Body, "https://127.0.0.1:9/hook") {
		t.Errorf("at the cap: the form is still offered, or the new URL is not in lower case: %s", p.text("webhook-count"))
	}
	p = b.post("/webhooks", url.Values{"url": {"https://127.0.0.1:9/other"}, "events": {"*"}})
	wantStatus(t, p, http.StatusPaymentRequired)
	if !strings.Contains(p.Body, "webhook endpoints") {
		t.Errorf("the plan-limit page does not name the limit: %s", p.Body)
	}

	webtest.EndpointsFromBeforeTheCap(t, env.Owner, owner.tenantID, 100)
	p = b.get("/webhooks")
	next := p.find("pager-next").AttrOr("href", "")
	if p.find("webhook-endpoint").Length() != 100 || next == "" {
		t.Fatalf("150 endpoints: %d rows, next %q", p.find("webhook-endpoint").Length(), next)
	}
	if p = b.get(next); p.find("webhook-endpoint").Length() != 50 || p.find("pager-next").Length() != 0 {
		t.Errorf("the second page: %d rows", p.find("webhook-endpoint").Length())
	}
}
