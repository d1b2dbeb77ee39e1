package e2e

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/tandemhq/tandem/examples/widget-backend/partner"
	"github.com/tandemhq/tandem/internal/webtest"
	"github.com/tandemhq/tandem/models"
)

// TestE2EWidgetHostAndBranding: in an invitation campaign, the host reads
// in the widget what each referral earns and what the next one pays, and
// tells their friends apart (a masked address, the name they typed, or
// "Friend 2"); the tenant's sender name and accent colour brand the
// widget, and its logo, name and the campaign's headline the invite page;
// a visitor who arrives with a made-up code is offered nothing.
func TestE2EWidgetHostAndBranding(t *testing.T) {
	if testing.Short() {
		t.Skip("the browser test is slow; -short skips it")
	}
	execPath := findChromium(t)
	base := startServer(t)
	tenant := webtest.NewTenant(t, env.App)
	api := &apiClient{t: t, base: base, key: tenant.SecretKey}
	api.want(201, "POST", "/v1/event-definitions", map[string]any{"name": "signed_up"})
	api.want(200, "PUT", "/v1/campaigns/autumn", map[string]any{"name": "Autumn friends", "mode": "invitation",
		"quest": map[string]any{"steps": []string{"signed_up"}}, "signup_url": "https://shop.example/join",
		"host_milestones": []any{
			map[string]any{"count": 1, "reward": map[string]any{"description": "$10 credit", "kind": "cash", "amount": 1000, "currency": "USD"}},
			map[string]any{"count": 2, "reward": map[string]any{"description": "$5 credit", "kind": "cash", "amount": 500, "currency": "USD"}}},
		"repeat_last_milestone": true})
	api.want(200, "POST", "/v1/campaigns/autumn/publish", nil)
	logo := serveOn(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/svg+xml")
		fmt.Fprint(w, `<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="#a11d33"/></svg>`)
	}))
	// No logo yet: the partner's page below, strict as a real one, admits
	// no image from another origin (a logo in the widget needs the
	// partner's img-src).
	brand := func(logoURL string) {
		env.InTenant(t, tenant.TenantID, func(ctx context.Context) error {
			_, err := models.SaveBranding(ctx, models.Branding{LogoURL: logoURL, AccentColor: "#a11d33", SenderName: "Autumn Shop"})
			return err
		})
	}
	brand("")
	env.InTenant(t, tenant.TenantID, func(ctx context.Context) error {
		if _, err := models.SaveGuestTexts(ctx, models.GuestTexts{NameHosts: true}); err != nil {
			return err
		}
		return models.SetInviteHeadline(ctx, "autumn", "{host} saved you a seat at Autumn Shop")
	})
	api.want(201, "POST", "/v1/participants", map[string]any{"external_id": "hana", "display_name": "Hana"})
	api.want(201, "POST", "/v1/campaigns/autumn/invitations", map[string]any{"host": "hana", "channel": "email", "recipient": "gina@example.com"})
	api.want(201, "POST", "/v1/campaigns/autumn/invitations", map[string]any{"host": "hana"})

	site := serveOn(t, partner.Handler(partner.Config{TandemURL: base, SecretKey: tenant.SecretKey,
		PublishableKey: tenant.PublishableKey, Campaign: "autumn"}))
	api.want(200, "PUT", "/v1/widget/settings", map[string]any{"allowed_origins": []string{site}})

	c := newChrome(t, execPath, base)
	c.do("open the partner's page", chromedp.Navigate(site+"/?user=hana"))
	widget := `document.querySelector("tandem-referral")`
	shadow := widget + `.shadowRoot`
	c.waitFor(shadow+` && `+shadow+`.querySelector(".earnings .next")`, "the host's earnings")
	if got := eval[string](c, shadow+`.querySelector(".earnings ul").textContent`); got != "Referral 1: $10 creditReferral 2 and each one after: $5 credit" {
		t.Errorf("the reward table reads %q", got)
	}
	if got := eval[string](c, shadow+`.querySelector(".earnings .next").textContent`); got != "Your next completed referral earns: $10 credit" {
		t.Errorf("the next reward reads %q", got)
	}
	if got := eval[string](c, shadow+`.querySelector("[part~=brand]").textContent`); got != "Autumn Shop" {
		t.Errorf("the widget is signed %q", got)
	}
	if got := eval[string](c, `getComputedStyle(`+shadow+`.querySelector("form.invite button")).backgroundColor`); got != "rgb(161, 29, 51)" {
		t.Errorf("the widget's button is %s, want the tenant's accent", got)
	}

	// The host creates a link for a friend they name; the button says what it does.
	if got := eval[string](c, shadow+`.querySelector("form.invite button").textContent`); got != "Create invite link" {
		t.Errorf("the invite button reads %q", got)
	}
	eval[bool](c, `(function () { var i = `+shadow+`.querySelector("form.invite input"); i.value = "Uncle Bob"; return true; })()`)
	eval[bool](c, `(`+shadow+`.querySelector("form.invite button").click(), true)`)
	c.waitFor(shadow+`.querySelectorAll("li.guest").length === 3`, "the new friend in the list")
	labels := eval[[]string](c, `Array.from(`+shadow+`.querySelectorAll("li.guest .name")).map(function (e) { return e.textContent; })`)
	if strings.Join(labels, " | ") != "U••• B. | Friend 2 | g•••@example.com" {
		t.Errorf("friends labelled %q, want the typed name, the rank, the masked address", labels)
	}
	c.screenshot("widget-host-earnings")
	c.checkClean("the host's widget")

	// The invite page of Gina's invitation: the tenant's logo, name and
	// colour, and the campaign's headline with the host's name.
	brand(logo + "/logo.svg")
	invs := api.want(200, "GET", "/v1/participants/hana/invitations", nil)["data"].([]any)
	code := invs[len(invs)-1].(map[string]any)["code"].(string)
	c.do("open the invite page", chromedp.Navigate(base+"/i/"+code))
	c.waitFor(`document.readyState === "complete" && document.querySelector("[data-testid=tenant-logo]").complete`, "the invite page with its logo")
	if w := eval[int](c, `document.querySelector("[data-testid=tenant-logo]").naturalWidth`); w != 40 {
		t.Errorf("the logo did not load (natural width %d)", w)
	}
	if got := eval[string](c, `document.querySelector("[data-testid=invite-headline]").textContent`); got != "Hana saved you a seat at Autumn Shop" {
		t.Errorf("the headline reads %q", got)
	}
	if got := eval[string](c, `document.querySelector("[data-testid=tenant-name]").textContent.trim()`); got != "Autumn Shop" {
		t.Errorf("the page is signed %q", got)
	}
	button := `getComputedStyle(document.querySelector("[data-testid=signup-link]"))`
	if got := eval[string](c, button+`.backgroundColor + " on " + `+button+`.color`); got != "rgb(161, 29, 51) on rgb(255, 255, 255)" {
		t.Errorf("the invite page's button is %s, want the tenant's accent with white ink", got)
	}
	c.screenshot("invite-branded")
	c.checkClean("the branded invite page")

	// A visitor with a made-up code: the offer is refused, nothing shown.
	c.expectFailure("/widget/v1/offer", 404)
	c.do("open the partner's page with a made-up code", chromedp.Navigate(site+"/?ref=ZZZZZZZZ"))
	c.waitFor(`window.Tandem && Tandem.referralCode() === "ZZZZZZZZ"`, "the code captured")
	c.waitFor(`performance.getEntriesByType("resource").some(function (e) { return e.name.includes("/widget/v1/offer?") && e.responseEnd > 0; })`,
		"the offer's answer")
	if eval[bool](c, shadow+`.textContent.includes("You were invited")`) {
		t.Error("a made-up code was offered the guest reward")
	}
	c.checkClean("the partner's page with a made-up code")
}
