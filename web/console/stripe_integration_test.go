package console

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"github.com/tandemhq/tandem/internal/stripemock"
	"github.com/tandemhq/tandem/internal/stripereward"
	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

// newStripeApp is the console with tenants' Stripe keys checked at apiBase.
func newStripeApp(t *testing.T, apiBase string) *fiber.App {
	t.Helper()
	app := fiber.New(fiber.Config{DisableStartupMessage: true, Immutable: true, ProxyHeader: testClientIPHeader})
	mount(app, Deps{DB: env.App, PublicURL: "https://tandem.test", Keys: tenants.NewVerifier(env.App, 30*time.Second),
		Secrets: testBox, Stripe: stripereward.New(apiBase)})
	return app
}

// refusingStripe answers every request as Stripe does a revoked key, and
// counts the requests.
func refusingStripe(t *testing.T) (*httptest.Server, *atomic.Int64) {
	var calls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"error":{"type":"invalid_request_error","message":"Invalid API Key provided"}}`))
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

// stripeHint is the tenant's stored key hint, "" when not connected.
func stripeHint(t *testing.T, tenantID uuid.UUID) string {
	t.Helper()
	var hints []string
	if err := env.Owner.Raw(`SELECT key_hint FROM stripe_connections WHERE tenant_id = ?`, tenantID).Scan(&hints).Error; err != nil {
		t.Fatal(err)
	}
	if len(hints) == 0 {
		return ""
	}
	return hints[0]
}

// wantNoKey fails unless the page is free of key: neither in its text nor
// in the form's input.
func wantNoKey(t *testing.T, p *page, key string) {
	t.Helper()
	if strings.Contains(p.Body, key) || p.find("stripe-key").AttrOr("value", "") != "" {
		t.Fatalf("the page echoes the key:\n%s", p.Body)
	}
}

// An owner finds the page in the sidebar, connects a key against
// stripe-mock, sees it masked, replaces it and removes it; both changes are
// audited and a malformed key is refused before Stripe is asked.
func TestStripePageConnectsAndRemoves(t *testing.T) {
	app := newStripeApp(t, stripemock.URL(t))
	b := newBrowser(t, app)
	owner := signUp(t, b)
	if b.get("/").Doc.Find(`a[href="/integrations/stripe"]`).Length() != 1 {
		t.Error("no Stripe entry in the sidebar")
	}
	p := b.get("/integrations/stripe")
	wantStatus(t, p, http.StatusOK)
	if p.text("stripe-status") != "Not connected" || p.find("stripe-disconnect").Length() != 0 {
		t.Fatalf("a new tenant's page:\n%s", p.Body)
	}
	input := p.find("stripe-key")
	if input.AttrOr("type", "") != "password" || input.AttrOr("autocomplete", "") != "off" {
		t.Errorf("the key's input: type %q autocomplete %q", input.AttrOr("type", ""), input.AttrOr("autocomplete", ""))
	}

	for _, c := range []struct{ key, want string }{
		{"", "Enter a Stripe secret key"},
		{"pk_test_abcdefgh1234", "This is a publishable key"},
		{"sk_test_ab cd efgh1234", "This is not a Stripe secret key"},
		{"whsec_abcdefgh1234", "This is not a Stripe secret key"},
	} {
		p = b.post("/integrations/stripe", url.Values{"api_key": {c.key}})
		wantStatus(t, p, http.StatusUnprocessableEntity)
		if !strings.HasPrefix(p.text("error-api_key"), c.want) {
			t.Errorf("%q: error %q, want %q…", c.key, p.text("error-api_key"), c.want)
		}
		if c.key != "" {
			wantNoKey(t, p, c.key)
		}
	}
	if hint := stripeHint(t, owner.tenantID); hint != "" {
		t.Fatalf("a malformed key connected %s", hint)
	}

	const key = "sk_test_consolePageKeyAbcd"
	wantRedirect(t, b.post("/integrations/stripe", url.Values{"api_key": {key}}), "/integrations/stripe")
	p = b.get("/integrations/stripe")
	wantStatus(t, p, http.StatusOK)
	if p.text("stripe-status") != "Connected" || p.text("stripe-key-hint") != "sk_test_…Abcd" ||
		p.find("stripe-connected-at").Find("time").Length() != 1 || !strings.Contains(p.text("flash"), "sk_test_…Abcd") {
		t.Fatalf("after connecting:\n%s", p.Body)
	}
	wantNoKey(t, p, key)
	if form, ok := p.find("stripe-disconnect").Closest("form").Attr("data-confirm"); !ok || !strings.Contains(form, "Disconnect Stripe?") {
		t.Errorf("disconnecting asks nothing first (data-confirm %q)", form)
	}

	// Replacing the key keeps one connection, with the new hint.
	wantRedirect(t, b.post("/integrations/stripe", url.Values{"api_key": {"  rk_test_replacementKeyWxyz "}}), "/integrations/stripe")
	if hint := stripeHint(t, owner.tenantID); hint != "rk_test_…Wxyz" {
		t.Errorf("after replacing: hint %q", hint)
	}
	if n := opsAuditCount(t, owner, "stripe.connected", "stripe"); n != 2 {
		t.Errorf("%d stripe.connected entries, want 2", n)
	}

	wantStatus(t, b.post("/integrations/stripe/disconnect", url.Values{"_csrf": {"forged"}}), http.StatusForbidden)
	wantRedirect(t, b.post("/integrations/stripe/disconnect", nil), "/integrations/stripe")
	p = b.get("/integrations/stripe")
	if p.text("stripe-status") != "Not connected" || stripeHint(t, owner.tenantID) != "" {
		t.Fatalf("after disconnecting:\n%s", p.Body)
	}
	if n := opsAuditCount(t, owner, "stripe.disconnected", "stripe"); n != 1 {
		t.Errorf("%d stripe.disconnected entries, want 1", n)
	}
}

// A key Stripe refuses is not connected, and the connection stays as it
// was.
func TestStripePageRefusedKey(t *testing.T) {
	refusing, calls := refusingStripe(t)
	b := newBrowser(t, newStripeApp(t, refusing.URL))
	owner := signUp(t, b)
	err := tenants.WithTenant(context.Background(), env.App, owner.tenantID, func(ctx context.Context) error {
		_, err := models.SaveStripeConnection(ctx, testBox, "sk_test_earlierKeyOld1", "sk_test_…Old1")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	const key = "sk_test_revokedKeyAbcdefgh"
	p := b.post("/integrations/stripe", url.Values{"api_key": {key}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	if !strings.HasPrefix(p.text("error-api_key"), "Stripe refused this key") || calls.Load() != 1 {
		t.Fatalf("%d calls to Stripe; the page:\n%s", calls.Load(), p.Body)
	}
	wantNoKey(t, p, key)
	if p.text("stripe-key-hint") != "sk_test_…Old1" || stripeHint(t, owner.tenantID) != "sk_test_…Old1" {
		t.Errorf("the earlier connection changed: %q", stripeHint(t, owner.tenantID))
	}
}

// Stripe not answering: the page says so, with a 502, and nothing is saved.
func TestStripePageWhenStripeIsDown(t *testing.T) {
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()
	b := newBrowser(t, newStripeApp(t, down.URL))
	owner := signUp(t, b)
	const key = "sk_test_unreachableKeyAbcd"
	p := b.post("/integrations/stripe", url.Values{"api_key": {key}})
	wantStatus(t, p, http.StatusBadGateway)
	if p.find("stripe-unreachable").Length() != 1 || p.text("stripe-status") != "Not connected" {
		t.Fatalf("the page:\n%s", p.Body)
	}
	wantNoKey(t, p, key)
	if hint := stripeHint(t, owner.tenantID); hint != "" {
		t.Errorf("connected %s while Stripe was down", hint)
	}
}

// Owners and admins manage the connection; marketers and viewers neither
// see the page nor get Stripe asked about a key.
func TestStripePageRoles(t *testing.T) {
	refusing, calls := refusingStripe(t)
	app := newStripeApp(t, refusing.URL)
	owner := signUp(t, newBrowser(t, app))

	admin := newBrowser(t, app)
	logIn(t, admin, addMember(t, owner.tenantID, models.RoleAdmin))
	wantStatus(t, admin.get("/integrations/stripe"), http.StatusOK)
	wantStatus(t, admin.post("/integrations/stripe", url.Values{"api_key": {"sk_test_adminKeyAbcdefgh"}}), http.StatusUnprocessableEntity)
	if calls.Load() != 1 {
		t.Fatalf("an admin's key: %d calls to Stripe, want 1", calls.Load())
	}
	wantRedirect(t, admin.post("/integrations/stripe/disconnect", nil), "/integrations/stripe")

	for _, role := range []string{models.RoleMarketer, models.RoleViewer} {
		other := newBrowser(t, app)
		logIn(t, other, addMember(t, owner.tenantID, role))
		if other.get("/").Doc.Find(`a[href="/integrations/stripe"]`).Length() != 0 {
			t.Errorf("a %s sees the Stripe entry", role)
		}
		wantStatus(t, other.get("/integrations/stripe"), http.StatusForbidden)
		wantStatus(t, other.post("/integrations/stripe", url.Values{"api_key": {"sk_test_otherKeyAbcdefgh"}}), http.StatusForbidden)
		wantStatus(t, other.post("/integrations/stripe/disconnect", nil), http.StatusForbidden)
	}
	if calls.Load() != 1 {
		t.Errorf("members without the permission got Stripe asked: %d calls, want 1", calls.Load())
	}
}

// One tenant's connection is its own: another sees nothing of it, and its
// disconnect leaves it alone.
func TestStripePageTenantIsolation(t *testing.T) {
	app := newStripeApp(t, stripemock.URL(t))
	a, other := newBrowser(t, app), newBrowser(t, app)
	ownerA := signUp(t, a)
	ownerB := signUp(t, other)
	wantRedirect(t, a.post("/integrations/stripe", url.Values{"api_key": {"sk_test_tenantAKeyQrst"}}), "/integrations/stripe")

	p := other.get("/integrations/stripe")
	if p.text("stripe-status") != "Not connected" || strings.Contains(p.Body, "Qrst") {
		t.Fatalf("another tenant's page:\n%s", p.Body)
	}
	wantRedirect(t, other.post("/integrations/stripe/disconnect", nil), "/integrations/stripe")
	if stripeHint(t, ownerA.tenantID) != "sk_test_…Qrst" || stripeHint(t, ownerB.tenantID) != "" {
		t.Errorf("after the other tenant's disconnect: %q and %q", stripeHint(t, ownerA.tenantID), stripeHint(t, ownerB.tenantID))
	}
	if a.get("/integrations/stripe").text("stripe-key-hint") != "sk_test_…Qrst" {
		t.Error("the tenant's own page lost its connection")
	}
}
