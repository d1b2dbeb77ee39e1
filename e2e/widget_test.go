package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/tandemhq/tandem/examples/widget-backend/partner"
	"github.com/tandemhq/tandem/internal/webtest"
)

// TestE2EWidget is the widget's whole path: a partner's page on a second
// origin, under a strict CSP naming only Tandem's URL, embeds the widget
// with a token its backend (examples/widget-backend) minted through the
// API; the host sees their link, a guest's progress move as events arrive
// through the API, and the reward; the same page from an origin the tenant
// did not allow shows the error state, and the API refused it; a Stripe
// coupon (20% off) shows that its promotion code is coming, then the code
// once fulfilled, with a button to copy it; a reward held for review
// shows as under review until the tenant approves it; an expired
// token shows its state and a fresh one recovers without a reload; the
// browser reports no CSP violation or console error on the allowed page.
func TestE2EWidget(t *testing.T) {
	execPath := findChromium(t)
	base := startServer(t)
	tenant := webtest.NewTenant(t, env.App)
	api := &apiClient{t: t, base: base, key: tenant.SecretKey}

	// The tenant's campaign: two steps, $10 for the host's first guest, a
	// Stripe coupon of 20% off for the second.
	for _, name := range []string{"signed_up", "first_order"} {
		api.want(201, "POST", "/v1/event-definitions", map[string]any{"name": name})
	}
	api.want(200, "PUT", "/v1/campaigns/spring", map[string]any{"name": "Spring referrals", "mode": "referrer_code",
		"quest": map[string]any{"steps": []string{"signed_up", "first_order"}},
		"host_milestones": []any{map[string]any{"count": 1, "reward": map[string]any{
			"description": "$10 credit", "kind": "cash", "amount": 1000, "currency": "USD"}},
			map[string]any{"count": 2, "reward": map[string]any{
				"description": "20% off your plan", "kind": "stripe_coupon", "percent_off": 20}}}})
	api.want(200, "POST", "/v1/campaigns/spring/publish", nil)

	// The partner's site, twice: the origin the tenant allows, and another.
	site := partner.Handler(partner.Config{TandemURL: base, SecretKey: tenant.SecretKey,
		PublishableKey: tenant.PublishableKey, Campaign: "spring"})
	allowed, other := serveOn(t, site), serveOn(t, site)
	api.want(200, "PUT", "/v1/widget/settings", map[string]any{"allowed_origins": []string{allowed}})

	c := newChrome(t, execPath, base)
	c.do("open the partner's page", chromedp.Navigate(allowed+"/?user=hana"))
	widget := `document.querySelector("tandem-referral")`
	shadow := widget + `.shadowRoot`
	c.waitFor(shadow+` && `+shadow+`.querySelector("input[part~=link]")`, "the host's link in the widget's shadow root")
	link := eval[string](c, shadow+`.querySelector("input[part~=link]").value`)
	code := eval[string](c, shadow+`.querySelector("code").textContent`)
	if link != base+"/i/"+code || len(code) != 8 {
		t.Fatalf("the widget shows link %q and code %q", link, code)
	}
	if n := eval[int](c, shadow+`.querySelectorAll("svg.qr path").length`); n != 1 {
		t.Errorf("QR code paths: %d", n)
	}
	c.waitFor(shadow+`.querySelector('[data-empty="noFriends"]') && `+shadow+`.textContent.includes("No friends yet. Share your link")`,
		"the no-guests state of a referrer code")
	c.screenshot("widget-host")
	eval[bool](c, `(window.__tandem = {errors: [], expiring: 0},
		document.addEventListener("tandem:error", function (e) { window.__tandem.errors.push(e.detail.code); }),
		document.addEventListener("tandem:token-expiring", function () { window.__tandem.expiring++; }), true)`)

	// A guest claims the code and moves through the quest as the tenant's
	// backend reports events; each refresh shows where they are.
	api.want(201, "POST", "/v1/participants", map[string]any{"external_id": "guest-1", "display_name": "Alice Martin"})
	api.want(201, "POST", "/v1/claims", map[string]any{"code": code, "guest": "guest-1"})
	guest := shadow + `.querySelector("li.guest")`
	refresh := func() { eval[bool](c, `(`+widget+`.refresh(), true)`) }
	refresh()
	c.waitFor(guest+` && `+guest+`.textContent.includes("A••• M.") && `+guest+`.textContent.includes("Step 0 of 2 · Next: Signed up")`,
		"the guest at step 0 of 2")
	api.want(202, "POST", "/v1/events", map[string]any{"participant": "guest-1", "name": "signed_up"})
	refresh()
	c.waitFor(guest+`.textContent.includes("Step 1 of 2 · Next: First order")`, "the guest at step 1 of 2")
	if got := eval[string](c, shadow+`.querySelector("ul.rewards").textContent`); !strings.Contains(got, "No rewards yet") {
		t.Errorf("rewards before the quest is done: %q", got)
	}
	api.want(202, "POST", "/v1/events", map[string]any{"participant": "guest-1", "name": "first_order"})
	refresh()
	c.waitFor(guest+`.textContent.includes("Completed") && `+shadow+`.querySelector("li.reward[data-status=issued]") && `+
		shadow+`.querySelector("li.reward").textContent.includes("$10 credit")`, "the completed quest and the host's reward")
	c.screenshot("widget-reward")

	// A second guest earns the host the Stripe coupon: pending while it is
	// made in Stripe (this server runs no jobs), then its promotion code.
	api.want(201, "POST", "/v1/participants", map[string]any{"external_id": "guest-2", "display_name": "Bruno Diaz"})
	api.want(201, "POST", "/v1/claims", map[string]any{"code": code, "guest": "guest-2"})
	for _, step := range []string{"signed_up", "first_order"} {
		api.want(202, "POST", "/v1/events", map[string]any{"participant": "guest-2", "name": step})
	}
	refresh()
	coupon := `Array.from(` + shadow + `.querySelectorAll("li.reward")).find(function (li) { return li.textContent.includes("20% off your plan"); })`
	c.waitFor(coupon+` && `+coupon+`.querySelector("[part~=pending]") && `+coupon+`.textContent.includes("being prepared") && !`+coupon+`.querySelector("code")`,
		"the coupon's promotion code pending")
	if err := env.Owner.Exec(`UPDATE reward_fulfilments SET status = 'fulfilled', stripe_object = 'coupon_e2e', code = 'SPRING20OFF', error = ''
		WHERE tenant_id = ?`, tenant.TenantID).Error; err != nil {
		t.Fatal(err)
	}
	refresh()
	c.waitFor(coupon+` && `+coupon+`.querySelector("code[part~=promotion-code]") && `+coupon+`.querySelector("code[part~=promotion-code]").textContent === "SPRING20OFF"`,
		"the coupon's promotion code")
	if got := eval[string](c, coupon+`.querySelector("button").textContent`); got != "Copy code" || eval[bool](c, `!!`+coupon+`.querySelector("[part~=pending]")`) {
		t.Errorf("the fulfilled coupon's copy button reads %q, or it still says pending", got)
	}
	if n := eval[int](c, `Array.from(`+shadow+`.querySelectorAll("li.reward")).filter(function (li) { return li.querySelector("code"); }).length`); n != 1 {
		t.Errorf("%d rewards show a code, want the coupon alone (not the $10 credit)", n)
	}
	c.screenshot("widget-promotion-code")

	// A version that holds every reward for review, with a third
	// milestone: the third guest's reward shows as under review until the
	// tenant approves it.
	api.want(200, "PUT", "/v1/campaigns/spring", map[string]any{"name": "Spring referrals", "mode": "referrer_code", "review": "all",
		"quest": map[string]any{"steps": []string{"signed_up", "first_order"}},
		"host_milestones": []any{map[string]any{"count": 1, "reward": map[string]any{
			"description": "$10 credit", "kind": "cash", "amount": 1000, "currency": "USD"}},
			map[string]any{"count": 2, "reward": map[string]any{"description": "20% off your plan", "kind": "stripe_coupon", "percent_off": 20}},
			map[string]any{"count": 3, "reward": map[string]any{"description": "$30 credit", "kind": "cash", "amount": 3000, "currency": "USD"}}}})
	api.want(200, "POST", "/v1/campaigns/spring/publish", nil)
	api.want(201, "POST", "/v1/claims", map[string]any{"code": code, "guest": "guest-3"})
	for _, step := range []string{"signed_up", "first_order"} {
		api.want(202, "POST", "/v1/events", map[string]any{"participant": "guest-3", "name": step})
	}
	refresh()
	held := `Array.from(` + shadow + `.querySelectorAll("li.reward")).find(function (li) { return li.textContent.includes("$30 credit"); })`
	c.waitFor(held+` && `+held+`.dataset.status === "held" && `+held+`.textContent.includes("Under review") && `+held+`.querySelector("[part~=held-note]")`,
		"the held reward under review")
	c.screenshot("widget-under-review")
	var heldID string
	if err := env.Owner.Raw(`SELECT id FROM reward_tokens WHERE tenant_id = ? AND status = 'held'`, tenant.TenantID).Scan(&heldID).Error; err != nil || heldID == "" {
		t.Fatalf("the held reward: %v", err)
	}
	api.want(200, "POST", "/v1/rewards/"+heldID+"/approve", nil)
	refresh()
	c.waitFor(held+`.dataset.status === "issued" && `+held+`.textContent.includes("Ready to use") && !`+held+`.querySelector("[part~=held-note]")`,
		"the approved reward ready to use")

	// The token expires (its row says so; no waiting): the widget says so
	// and tells the page; a fresh token recovers it without a reload.
	if err := env.Owner.Exec(`UPDATE widget_tokens SET expires_at = now() WHERE tenant_id = ?`, tenant.TenantID).Error; err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/widget/v1/me", "/widget/v1/invitations", "/widget/v1/rewards"} {
		c.expectFailure(path, http.StatusUnauthorized)
	}
	eval[bool](c, `(window.__e2eSamePage = true)`)
	refresh()
	status := shadow + `.querySelector("[part~=status]")`
	c.waitFor(status+`.dataset.state === "expired" && `+status+`.textContent.includes("expired")`, "the expired-token state")
	if got := eval[[]string](c, `window.__tandem.errors`); len(got) == 0 || got[len(got)-1] != "token_expired" {
		t.Errorf("tandem:error codes %v, want token_expired last", got)
	}
	c.screenshot("widget-expired")
	fresh := api.token("hana", 240) // under five minutes: it is expiring at once
	eval[bool](c, fmt.Sprintf(`(%s.token = %q, true)`, widget, fresh))
	c.waitFor(status+`.dataset.state === "ready" && `+guest+`.textContent.includes("Completed")`, "the widget back with a fresh token")
	c.waitFor(`window.__tandem.expiring > 0`, "tandem:token-expiring for a token with under five minutes left")
	if !eval[bool](c, `window.__e2eSamePage === true`) {
		t.Error("the page reloaded")
	}

	// SPA-safe: removing and re-adding the element, and a second element
	// with the same token, share the page's one session: no new request.
	reads := `performance.getEntriesByType("resource").filter(function (e) { return e.name.indexOf("/widget/v1/") >= 0; }).length`
	before := eval[int](c, reads)
	eval[bool](c, `(function () {
		var w = document.querySelector("tandem-referral"), parent = w.parentNode;
		parent.removeChild(w);
		parent.appendChild(w);
		var twin = document.createElement("tandem-referral");
		twin.id = "twin";
		twin.token = w.token;
		parent.appendChild(twin);
		return true;
	})()`)
	twin := `document.getElementById("twin").shadowRoot`
	c.waitFor(twin+` && `+twin+`.querySelector("li.guest") && `+twin+`.querySelector("li.guest").textContent.includes("Completed")`,
		"the second element, drawn from the shared session")
	if after := eval[int](c, reads); after != before {
		t.Errorf("remounting and a second element made %d more requests, want none", after-before)
	}
	c.checkClean("the partner's page on its allowed origin")

	// A visitor arriving with ?ref=CODE: the script keeps the code in a
	// first-party cookie for the sign-up form, and the element shows the
	// guest offer (publishable key only).
	c.do("open the partner's page with a code", chromedp.Navigate(allowed+"/?ref="+strings.ToLower(code)))
	c.waitFor(`window.Tandem && Tandem.referralCode() === `+fmt.Sprintf("%q", code), "Tandem.referralCode()")
	c.do("open another page of the site", chromedp.Navigate(allowed+"/"))
	c.waitFor(`Tandem.referralCode() === `+fmt.Sprintf("%q", code)+` && document.cookie.indexOf("tandem_ref=`+code+`") >= 0`,
		"the code kept across pages")
	c.waitFor(shadow+` && `+shadow+`.textContent.includes("You were invited!")`, "the guest offer")
	c.checkClean("the partner's page for a visitor with a code")

	// The console's live preview: the owner sees the same widget on the
	// Widget page, under the console's own CSP.
	var email string
	if err := env.Owner.Raw(`SELECT email FROM members WHERE tenant_id = ?`, tenant.TenantID).Scan(&email).Error; err != nil {
		t.Fatal(err)
	}
	c.open("/login")
	c.fill(`input[name="email"]`, email)
	c.fill(`input[name="password"]`, "correct horse battery")
	c.clickAndLoad(testid("login-submit"), "/")
	// The link fills the preview form in; the preview itself is a POST.
	c.open("/widget?participant=hana&campaign=spring")
	c.clickAndLoad(testid("widget-preview-show"), "/widget/preview")
	preview := testid("widget-preview-element")
	c.waitFor(`document.querySelector('`+preview+`').shadowRoot && document.querySelector('`+preview+`').shadowRoot.querySelector("li.guest") && `+
		`document.querySelector('`+preview+`').shadowRoot.querySelector("li.guest").textContent.includes("Completed")`, "the console's live preview")
	c.screenshot("console-widget-preview")

	// The same page from an origin the tenant did not allow: the browser
	// blocks the answers (no Access-Control-Allow-Origin), and the widget,
	// asking the origin check, names the refusal and the setting that
	// lifts it, in its status and in the browser's console, instead of a
	// network failure it would retry.
	c.do("open the page on another origin", chromedp.Navigate(other+"/?user=hana"))
	c.waitFor(shadow+` && `+status+` && `+status+`.dataset.state === "refused" && `+status+`.textContent.includes(`+
		fmt.Sprintf("%q", "This site ("+other+") may not show the referral widget. Add it in Widget → Allowed origins")+`)`,
		"the refused origin named, with its setting")
	if eval[bool](c, `!!`+shadow+`.querySelector("button[part~=retry]")`) {
		t.Error("a refused origin offers to try again")
	}
	// No screenshot here: it checks the page is clean.
	if !c.drainCORSRefusals() {
		t.Error("the browser's console does not name the refused origin")
	}
	// The API's side of it: the preflight and the request are refused.
	token := api.token("hana", 600)
	for _, method := range []string{"OPTIONS", "GET"} {
		req, _ := http.NewRequest(method, base+"/widget/v1/me", nil)
		req.Header.Set("Origin", other)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden || resp.Header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("%s from %s: %d, ACAO %q", method, other, resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"))
		}
	}
}

// drainCORSRefusals takes the problems seen so far, which must all be the
// browser refusing the widget's API to a page whose origin is not allowed,
// or the widget saying so in the console; it reports whether the widget
// did.
func (c *chrome) drainCORSRefusals() (named bool) {
	c.t.Helper()
	c.mu.Lock()
	problems, loads := c.problems, c.failedLoads
	c.problems, c.failedLoads = nil, nil
	c.mu.Unlock()
	for _, p := range problems {
		switch {
		case strings.Contains(p, "Tandem widget: this page's origin") && strings.Contains(p, "Allowed origins, in the Tandem console"):
			named = true
		case !strings.Contains(p, "blocked by CORS policy"):
			c.t.Errorf("on the refused origin: %s", p)
		}
	}
	for _, e := range loads {
		if !strings.Contains(e.URL, "/widget/v1/") {
			c.t.Errorf("on the refused origin: %s %s", e.Text, e.URL)
		}
	}
	return named
}

// serveOn serves h on a fresh loopback port: another origin than Tandem's.
func serveOn(t *testing.T, h http.Handler) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String()
}

// apiClient calls Tandem's API v1 with a secret key, as a tenant's backend.
type apiClient struct {
	t         *testing.T
	base, key string
}

func (a *apiClient) want(status int, method, path string, body any) map[string]any {
	a.t.Helper()
	var raw []byte
	if body != nil {
		raw, _ = json.Marshal(body)
	}
	req, err := http.NewRequest(method, a.base+path, bytes.NewReader(raw))
	if err != nil {
		a.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+a.key)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	if resp.StatusCode != status {
		a.t.Fatalf("%s %s: %d %v, want %d", method, path, resp.StatusCode, out, status)
	}
	return out
}

// token mints a widget token for participant in spring, living seconds.
func (a *apiClient) token(participant string, seconds int) string {
	a.t.Helper()
	out := a.want(201, "POST", "/v1/widget/tokens", map[string]any{"participant": participant, "campaign": "spring", "expires_in": seconds})
	return out["token"].(string)
}
