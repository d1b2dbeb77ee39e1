package console

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/internal/stripebilling"
	"github.com/tandemhq/tandem/internal/stripemock"
	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

// newBillingApp is the console with billing on, against apiBase (stripe-mock).
func newBillingApp(t *testing.T, apiBase string) *fiber.App {
	t.Helper()
	app := fiber.New(fiber.Config{DisableStartupMessage: true, Immutable: true, ProxyHeader: testClientIPHeader})
	b := stripebilling.New(stripebilling.Config{SecretKey: "sk_test_console", WebhookSecret: "whsec_console", APIBase: apiBase,
		Prices: map[string]string{models.PlanGrowth: "price_growth", models.PlanScale: "price_scale"}}, env.App)
	mount(app, Deps{DB: env.App, PublicURL: "https://tandem.test", Keys: tenants.NewVerifier(env.App, 30*time.Second), Billing: b})
	return app
}

// An owner sees the plan, the usage and the plans, and upgrades through
// Checkout (against stripe-mock); nobody else sees the page.
func TestBillingPageUpgradesThroughCheckout(t *testing.T) {
	app := newBillingApp(t, stripemock.URL(t))
	b := newBrowser(t, app)
	owner := signUp(t, b)
	p := b.get("/billing")
	wantStatus(t, p, http.StatusOK)
	if got := p.text("billing-plan"); got != "Free" {
		t.Fatalf("plan %q, want Free (billing on: sign-up starts on free)", got)
	}
	if got := p.find("usage-team_seats").Find("td").Eq(1).Text(); got != "1" {
		t.Errorf("team seats used %q, want 1", got)
	}
	if p.find("upgrade-growth").Length() != 1 || p.find("upgrade-free").Length() != 0 || p.find("billing-portal").Length() != 0 {
		t.Fatalf("want an upgrade to growth, none to free, and no portal before a customer exists:\n%s", p.Body)
	}
	// Checkout, from the page's own form.
	p = b.post("/billing/checkout", url.Values{"plan": {models.PlanGrowth}})
	if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Header.Get("Location"), "https://") {
		t.Fatalf("checkout: %d to %q; want 303 to Stripe", p.Status, p.Header.Get("Location"))
	}
	wantStatus(t, b.post("/billing/checkout", url.Values{"plan": {models.PlanFree}}), http.StatusUnprocessableEntity)
	wantStatus(t, b.post("/billing/checkout", url.Values{"plan": {models.PlanGrowth}, "_csrf": {"forged"}}), http.StatusForbidden)
	wantStatus(t, b.post("/billing/portal", nil), http.StatusConflict)

	// Once Stripe has linked a customer and started the subscription (the
	// webhook's work), the page shows Growth and Manage billing opens the portal.
	customer := fmt.Sprintf("cus_console%d", time.Now().UnixNano())
	for _, e := range []models.StripeEvent{
		{ID: "evt_consolecheckout", Type: "checkout.session.completed", Created: time.Now(), CustomerID: customer, Status: "none"},
		{ID: "evt_consolesub", Type: "customer.subscription.created", Created: time.Now(), CustomerID: customer,
			SubscriptionID: "sub_console", Status: "active", Plan: models.PlanGrowth},
	} {
		err := tenants.WithTenant(context.Background(), env.App, owner.tenantID, func(ctx context.Context) error {
			_, err := models.ApplyStripeEvent(ctx, e)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if p = b.get("/billing"); p.find("billing-portal").Length() != 1 || p.text("billing-plan") != "Growth" {
		t.Fatalf("want Growth and Manage billing:\n%s", p.Body)
	}
	p = b.post("/billing/portal", nil)
	if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Header.Get("Location"), "https://") {
		t.Fatalf("portal: %d to %q; want 303 to Stripe", p.Status, p.Header.Get("Location"))
	}

	for _, role := range []string{models.RoleAdmin, models.RoleMarketer, models.RoleViewer} {
		other := newBrowser(t, app)
		logIn(t, other, addMember(t, owner.tenantID, role))
		wantStatus(t, other.get("/billing"), http.StatusForbidden)
		wantStatus(t, other.post("/billing/checkout", url.Values{"plan": {models.PlanGrowth}}), http.StatusForbidden)
		wantStatus(t, other.post("/billing/portal", nil), http.StatusForbidden)
	}
}

// Stripe not answering: a page that says so, and nothing changes.
func TestBillingPageWhenStripeIsDown(t *testing.T) {
	app := newBillingApp(t, "http://127.0.0.1:1")
	b := newBrowser(t, app)
	signUp(t, b)
	wantStatus(t, b.get("/billing"), http.StatusOK)
	p := b.post("/billing/checkout", url.Values{"plan": {models.PlanGrowth}})
	wantStatus(t, p, http.StatusServiceUnavailable)
	if !strings.Contains(p.Body, "Your plan is unchanged") {
		t.Errorf("the page does not say the plan is unchanged:\n%s", p.Body)
	}
}

// Without Stripe, sign-up makes an unmetered tenant and the page says
// there are no limits.
func TestBillingPageWhenBillingIsOff(t *testing.T) {
	b := newBrowser(t, newConsoleApp(t))
	owner := signUp(t, b)
	p := b.get("/billing")
	wantStatus(t, p, http.StatusOK)
	if p.find("billing-off").Length() != 1 || p.find("upgrade-growth").Length() != 0 {
		t.Fatalf("billing off: want the no-limits note and no upgrade:\n%s", p.Body)
	}
	wantStatus(t, b.post("/billing/checkout", url.Values{"plan": {models.PlanGrowth}}), http.StatusNotFound)
	var plan *string
	if err := env.Owner.Raw(`SELECT plan FROM tenants WHERE id = ?`, owner.tenantID).Scan(&plan).Error; err != nil || plan != nil {
		t.Fatalf("billing off: the tenant's plan is %v (%v), want none", plan, err)
	}
}

// A plan limit gets the 402 page, which names the limit and links to billing.
func TestPlanLimitPage(t *testing.T) {
	app := fiber.New(fiber.Config{ErrorHandler: handleConsoleError})
	app.Get("/publish", func(*fiber.Ctx) error {
		return fmt.Errorf("publish: %w", &models.PlanLimitError{Limit: models.LimitActiveCampaigns})
	})
	resp, err := app.Test(httptest.NewRequest(http.MethodGet, "/publish", nil))
	if err != nil {
		t.Fatal(err)
	}
	page := consoleErrorPage(nil, fmt.Errorf("publish: %w", &models.PlanLimitError{Limit: models.LimitActiveCampaigns}))
	if resp.StatusCode != http.StatusPaymentRequired || !page.Upgrade ||
		!strings.Contains(page.Message, "active campaigns") || !strings.Contains(page.Message, "Billing page") {
		t.Errorf("%d %+v", resp.StatusCode, page)
	}
}
