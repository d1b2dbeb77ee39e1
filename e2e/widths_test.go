package e2e

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/google/uuid"

	"github.com/tandemhq/tandem/internal/demo"
	"github.com/tandemhq/tandem/internal/stripebilling"
	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
	"github.com/tandemhq/tandem/web"
)

// widths are the windows every page must fit: a phone, a tablet, a laptop
// and a desktop.
var widths = []int64{390, 768, 1280, 1440}

// notPages are the GET routes that serve no page of their own, and why.
// Every other GET route of the app must have an entry in the pages that
// TestE2EWidths visits: a new page cannot be forgotten.
var notPages = map[string]string{
	"/healthz":                          "a probe",
	"/livez":                            "a probe",
	"/readyz":                           "a probe",
	"/static/*":                         "files",
	"/favicon.ico":                      "a file",
	"/widget.js":                        "the widget's script, measured on a page hosting it",
	"/v1/openapi.json":                  "JSON",
	"/rewards.csv":                      "a download",
	"/participants/:external_id/export": "a download (JSON)",
	"/settings/export":                  "a download (JSON lines)",
	// Routes that close a surface (surface.Unmatched): its 404 or 405.
	"/i":              "the invite pages' 404",
	"/i/*":            "the invite pages' 404",
	"/stripe/webhook": "Stripe's webhook (POST) and its 405",
}

// notPagePrefixes are the JSON APIs.
var notPagePrefixes = []string{"/v1/", "/widget/v1/"}

// Long values, so that the tables have rows as wide as real ones get.
const (
	longHost  = "crm-customer-000184467-from-the-old-loyalty-programme"
	longGuest = "crm-customer-000184468-invited-by-the-old-loyalty-programme"
	longEmail = "maximiliana.wolfeschlegelsteinhausen-bergerdorff@subsidiary.example-holdings.com"
	longName  = "Maximiliana Wolfeschlegelsteinhausen-Bergerdorff"
	longSlug  = "autumn-loyalty-programme-referrals-for-returning-customers"
)

// TestE2EWidths opens every page of the console, the API reference, the
// invite page and a partner's page hosting the widget at each of widths,
// on a tenant whose tables hold long rows, and fails naming the page and
// the width wherever the page is wider than the window (a person would
// have to scroll sideways, or could not reach a button at all).
func TestE2EWidths(t *testing.T) {
	if testing.Short() {
		t.Skip("the browser test is slow; -short skips it")
	}
	execPath := findChromium(t)
	base := startServer(t)
	pages := seedWidths(t, base)

	// Every GET route of the app is a page visited below or says why not.
	routes := web.New(serverConfig(t, base, stripebilling.Config{})).GetRoutes(true)
	for _, r := range routes {
		if r.Method != http.MethodGet || notPages[r.Path] != "" || slices.ContainsFunc(notPagePrefixes, func(p string) bool {
			return strings.HasPrefix(r.Path, p)
		}) {
			continue
		}
		if _, ok := pages.routes[r.Path]; !ok {
			t.Errorf("GET %s is in the route table but not among the pages measured here: give it a URL in seedWidths, or say in notPages why it is no page", r.Path)
		}
	}

	c := newChrome(t, execPath, base)
	measure := func(route, url string) {
		t.Helper()
		for _, w := range widths {
			// Reading scrollWidth lays the page out again for the new size.
			c.do(fmt.Sprintf("resize to %d px", w), chromedp.EmulateViewport(w, viewportHeight), chromedp.Sleep(30*time.Millisecond))
			got := eval[[]int64](c, `[document.documentElement.scrollWidth, window.innerWidth]`)
			if got[0] > got[1] {
				t.Errorf("%s (%s) at %d px: the page is %d px wide, %d px wider than the window%s; %s",
					route, url, w, got[0], got[0]-got[1], c.widest(), c.windowShot(fmt.Sprintf("wide-%d-%s", w, route)))
			}
		}
		c.do("restore the window", chromedp.EmulateViewport(viewportWidth, viewportHeight))
		c.checkAxe(t, route)
		c.checkClean(route)
	}
	visit := func(route string) {
		t.Helper()
		url := pages.routes[route]
		delete(pages.routes, route)
		if route == "/i/:code" || route == "/docs/api" {
			// Not the console's: no htmx to wait for.
			c.do("open "+url, chromedp.Navigate(c.base+url))
			c.waitFor(`document.readyState === "complete"`, url+" loaded")
		} else {
			c.open(url)
		}
		measure(route, url)
	}

	// Signed out first.
	for _, route := range []string{"/login", "/signup", "/join/:token", "/i/:code", "/docs/api"} {
		visit(route)
	}
	c.open("/login")
	c.fill(`input[name="email"]`, demo.Email)
	c.fill(`input[name="password"]`, demo.Password)
	c.clickAndLoad(testid("login-submit"), "/")
	for _, route := range slices.Sorted(func(yield func(string) bool) {
		for r := range pages.routes {
			if !yield(r) {
				return
			}
		}
	}) {
		visit(route)
	}

	// The widget, on a partner's page that allows any width it is given.
	c.do("open the partner's page", chromedp.Navigate(pages.widgetHost))
	shadow := `document.querySelector("tandem-referral").shadowRoot`
	c.waitFor(shadow+` && `+shadow+`.querySelector("li.guest")`, "the widget with the host's guests")
	measure("a page hosting the widget", pages.widgetHost)
}

// widthPages are the URLs to measure: one per route of the console (route
// path → URL path), and the partner's page hosting the widget.
type widthPages struct {
	routes     map[string]string
	widgetHost string
}

// seedWidths loads the demo tenant and gives it rows as long as real ones
// get: a campaign with a long name and long event names, a participant
// with a long id, name and e-mail as host and guest, a webhook endpoint,
// an API key and a team invitation with long values, a raffle draw, and a
// draft waiting to be published.
func seedWidths(t *testing.T, base string) widthPages {
	t.Helper()
	creds, err := demo.Seed(context.Background(), env.App)
	if err != nil {
		t.Fatal(err)
	}
	api := &apiClient{t: t, base: base, key: creds.SecretKey}
	steps := []string{"customer_completed_the_onboarding_questionnaire", "customer_placed_a_first_order_over_twenty_dollars"}
	for _, name := range steps {
		api.want(201, "POST", "/v1/event-definitions", map[string]any{"name": name,
			"description": "Reported by the shop's order pipeline once the customer's payment has been captured and confirmed by the bank."})
	}
	campaign := map[string]any{"name": "Autumn loyalty programme: referrals for returning customers of every store", "mode": "invitation",
		"quest": map[string]any{"steps": steps},
		"host_milestones": []any{map[string]any{"count": 1, "reward": map[string]any{
			"description": "A voucher of $125.00 for the flagship store's seasonal tasting menu", "kind": "cash", "amount": 12500, "currency": "USD"}}},
		"repeat_last_milestone": true,
		"guest_reward": map[string]any{"description": "A complimentary tasting flight for the invited friend at any store",
			"kind": "coupon", "amount": 2500, "currency": "EUR"},
		"signup_url": "https://www.example-holdings.com/loyalty/autumn/sign-up?utm_source=referral&utm_medium=invite"}
	api.want(200, "PUT", "/v1/campaigns/"+longSlug, campaign)
	api.want(200, "POST", "/v1/campaigns/"+longSlug+"/publish", nil)
	campaign["name"] = "Autumn loyalty programme: referrals for returning customers of every store, second edition"
	api.want(200, "PUT", "/v1/campaigns/"+longSlug, campaign) // a draft to publish

	for _, p := range []string{longHost, longGuest} {
		api.want(201, "POST", "/v1/participants", map[string]any{"external_id": p, "email": longEmail, "display_name": longName})
	}
	inv := api.want(201, "POST", "/v1/campaigns/"+longSlug+"/invitations", map[string]any{"host": longHost, "channel": "email", "recipient": longEmail})
	api.want(201, "POST", "/v1/claims", map[string]any{"code": inv["code"], "guest": longGuest})
	for _, name := range steps {
		api.want(202, "POST", "/v1/events", map[string]any{"participant": longGuest, "name": name})
	}
	earned := api.want(200, "GET", "/v1/participants/"+longHost+"/rewards", nil)["data"].([]any)[0].(map[string]any)
	// A campaign that holds every reward: the review queue's rows, the
	// same host and guest (one mailbox, so a signal with its evidence).
	campaign["review"] = "all"
	api.want(200, "PUT", "/v1/campaigns/held-for-review", campaign)
	api.want(200, "POST", "/v1/campaigns/held-for-review/publish", nil)
	held := api.want(201, "POST", "/v1/campaigns/held-for-review/invitations", map[string]any{"host": longHost, "channel": "email", "recipient": longEmail})
	api.want(201, "POST", "/v1/claims", map[string]any{"code": held["code"], "guest": longGuest})
	for _, name := range steps {
		api.want(202, "POST", "/v1/events", map[string]any{"participant": longGuest, "name": name})
	}
	api.want(200, "PUT", "/v1/fraud/blocklist", map[string]any{"entries": []string{"*@" + longEmail[strings.Index(longEmail, "@")+1:], "203.0.113.0/24"}})
	pending := api.want(201, "POST", "/v1/campaigns/"+longSlug+"/invitations", map[string]any{"host": longHost, "channel": "email"})
	raffle := api.want(201, "POST", "/v1/raffles", map[string]any{"campaign": "refer-a-friend", "winners": 1})
	endpoint := api.want(201, "POST", "/v1/webhook-endpoints", map[string]any{
		"url":         "http://127.0.0.1:9/hooks/tandem/referrals/production-environment/eu-west-receiver?source=tandem&verify=true",
		"description": "The order pipeline's receiver for every referral event of the loyalty programme, production", "events": []string{"*"}})
	api.want(202, "POST", "/v1/webhook-endpoints/"+endpoint["id"].(string)+"/test", nil)

	var joinToken string
	var owner string
	if err := env.Owner.Raw(`SELECT id FROM members WHERE email = ?`, demo.Email).Scan(&owner).Error; err != nil {
		t.Fatal(err)
	}
	env.InTenant(t, uuid.MustParse(creds.TenantID), func(ctx context.Context) error {
		ctx = models.WithActor(ctx, "member:"+owner)
		if _, _, err := tenants.NewKey(ctx, "publishable", "The storefront's widget on every regional domain of the holding", []string{
			"https://www.example-holdings.com", "https://shop.subsidiary.example-holdings.com"}); err != nil {
			return err
		}
		// Texts as long as the schema allows, with a word longer than a
		// phone's line, on the invite page and the Branding page.
		long := strings.Repeat("Wolfeschlegelsteinhausenbergerdorff ", 11)
		if _, err := models.SaveGuestTexts(ctx, models.GuestTexts{Texts: map[string]map[string]string{
			"en": {models.TextInviteHeadline: longName + " saved you a seat at the flagship store's seasonal tasting",
				models.TextInviteBody: strings.TrimSpace(long + long[:400-len(long)-1])},
			"fr": {models.TextWidgetOffer: strings.TrimSpace(long[:199])}}}); err != nil {
			return err
		}
		var err error
		_, joinToken, err = tenants.InviteMember(ctx, longEmail, "marketer", owner)
		return err
	})

	// The partner's page: the widget for the long host, on an origin the
	// tenant allows.
	token := api.want(201, "POST", "/v1/widget/tokens", map[string]any{"participant": longHost, "campaign": longSlug})["token"].(string)
	host := serveOn(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Partner</title>
<script src="%s/widget.js" data-key="%s" async></script></head>
<body><main><h1>Partner</h1><tandem-referral token="%s"></tandem-referral></main></body></html>`, base, creds.PublishableKey, token)
	}))
	api.want(200, "PUT", "/v1/widget/settings", map[string]any{"allowed_origins": []string{host}})

	return widthPages{widgetHost: host, routes: map[string]string{
		"/signup":                          "/signup",
		"/login":                           "/login",
		"/join/:token":                     "/join/" + joinToken,
		"/i/:code":                         "/i/" + pending["code"].(string),
		"/docs/api":                        "/docs/api",
		"/":                                "/",
		"/dashboard":                       "/dashboard?campaign=" + longSlug,
		"/team":                            "/team",
		"/campaigns":                       "/campaigns",
		"/campaigns/new":                   "/campaigns/new",
		"/campaigns/:slug":                 "/campaigns/" + longSlug,
		"/campaigns/:slug/edit":            "/campaigns/" + longSlug + "/edit",
		"/campaigns/:slug/publish":         "/campaigns/" + longSlug + "/publish",
		"/campaigns/:slug/publish/preview": "/campaigns/" + longSlug + "/publish/preview",
		"/campaigns/:slug/versions/:n":     "/campaigns/" + longSlug + "/versions/1",
		"/participants":                    "/participants",
		"/participants/:external_id":       "/participants/" + longHost,
		"/participants/:external_id/erase": "/participants/" + longHost + "/erase",
		"/invitations":                     "/invitations",
		"/rewards":                         "/rewards",
		"/rewards/:id/redeem":              "/rewards/" + earned["id"].(string) + "/redeem",
		"/review":                          "/review",
		"/blocklist":                       "/blocklist",
		"/raffles":                         "/raffles",
		"/raffles/:id":                     "/raffles/" + raffle["id"].(string),
		"/events":                          "/events",
		"/events/log":                      "/events/log",
		"/api-keys":                        "/api-keys",
		"/webhooks":                        "/webhooks",
		"/webhooks/:id":                    "/webhooks/" + endpoint["id"].(string),
		"/widget":                          "/widget",
		"/integrations/stripe":             "/integrations/stripe",
		"/audit":                           "/audit",
		"/branding":                        "/branding",
		"/branding/translations":           "/branding/translations",
		"/billing":                         "/billing",
		"/settings/retention":              "/settings/retention",
		"/settings/account":                "/settings/account",
	}}
}

// widest names the element that reaches furthest right beyond the window,
// for the failure message.
func (c *chrome) widest() string {
	c.t.Helper()
	found := eval[string](c, `(function () {
		var best = null, right = window.innerWidth;
		document.querySelectorAll("body *").forEach(function (e) {
			var r = e.getBoundingClientRect();
			if (r.width === 0 || r.right <= right + 0.5) { return; }
			for (var a = e.parentElement; a && a !== document.body; a = a.parentElement) {
				if (getComputedStyle(a).overflowX !== "visible") { return; } // clipped: scrolls inside its box
			}
			best = e; right = r.right;
		});
		if (!best) { return ""; }
		var name = best.tagName.toLowerCase() + (best.id ? "#" + best.id : "") +
			(best.className && typeof best.className === "string" ? "." + best.className.trim().split(/\s+/).join(".") : "");
		return name + " reaches " + Math.round(right) + " px";
	})()`)
	if found == "" {
		return ""
	}
	return " (" + found + ")"
}

// windowShot saves the window as it is (not the whole page) under the
// output folder, and says where.
func (c *chrome) windowShot(name string) string {
	c.t.Helper()
	c.shot++
	file := filepath.Join(c.out, fmt.Sprintf("%02d-%s.png", c.shot, strings.NewReplacer("/", "_", ":", "").Replace(name)))
	ctx, cancel := context.WithTimeout(c.ctx, stepTimeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err == nil {
		err = os.WriteFile(file, png, 0o644)
	}
	if err != nil {
		return "no screenshot: " + err.Error()
	}
	return "screenshot " + file
}
