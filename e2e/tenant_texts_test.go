package e2e

import (
	"context"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/tandemhq/tandem/examples/widget-backend/partner"
	"github.com/tandemhq/tandem/tenants"
)

// TestE2ETenantTexts: an owner writes, on the Branding page, texts in
// English and French and lets guests be told their host's name; a French
// widget then shows the English empty state where French has none (marked
// as English) and its own French where neither has one; a French visitor
// with a code is offered the French offer naming the host, and the invite
// page greets a French browser in French; with naming turned off the same
// offer says "Un ami". axe passes on each.
func TestE2ETenantTexts(t *testing.T) {
	if testing.Short() {
		t.Skip("the browser test is slow; -short skips it")
	}
	execPath := findChromium(t)
	base := startServer(t)
	const email, password = "owner@texts.example", "correct horse battery"
	tenant, err := tenants.Create(context.Background(), env.App, tenants.NewTenant{Name: "Texts Café", OwnerEmail: email, OwnerPassword: password})
	if err != nil {
		t.Fatal(err)
	}
	api := &apiClient{t: t, base: base, key: tenant.SecretKey}
	api.want(201, "POST", "/v1/event-definitions", map[string]any{"name": "signed_up"})
	api.want(200, "PUT", "/v1/campaigns/autumn", map[string]any{"name": "Autumn friends", "mode": "invitation",
		"quest": map[string]any{"steps": []string{"signed_up"}}, "signup_url": "https://shop.example/join",
		"host_milestones": []any{map[string]any{"count": 1, "reward": map[string]any{"description": "$10 credit", "kind": "credit"}}},
		"guest_reward":    map[string]any{"description": "un café offert", "kind": "coupon"}})
	api.want(200, "POST", "/v1/campaigns/autumn/publish", nil)
	api.want(201, "POST", "/v1/participants", map[string]any{"external_id": "hana", "display_name": "Hana"})
	api.want(201, "POST", "/v1/participants", map[string]any{"external_id": "ivy", "display_name": "Ivy"})
	code := api.want(201, "POST", "/v1/campaigns/autumn/invitations", map[string]any{"host": "hana"})["code"].(string)
	site := serveOn(t, partner.Handler(partner.Config{TandemURL: base, SecretKey: tenant.SecretKey,
		PublishableKey: tenant.PublishableKey, Campaign: "autumn"}))
	api.want(200, "PUT", "/v1/widget/settings", map[string]any{"allowed_origins": []string{site}})

	c := newChrome(t, execPath, base)
	c.open("/login")
	c.fill(`input[name="email"]`, email)
	c.fill(`input[name="password"]`, password)
	c.clickAndLoad(testid("login-submit"), "/")
	c.open("/branding")
	c.fill(`input[name="texts.en.widget_no_friends_invitation"]`, "Nobody yet: invite a friend above.")
	c.fill(`input[name="texts.fr.widget_offer"]`, "{host} vous offre {reward}")
	c.fill(`input[name="texts.fr.invite_headline"]`, "{host} vous a gardé une place")
	c.press(testid("name-hosts"))
	c.clickAndLoad(testid("guest-texts-save"), "/branding")
	if got := c.attr(`input[name="texts.fr.widget_offer"]`, "value"); got != "{host} vous offre {reward}" {
		t.Fatalf("the saved offer reads %q", got)
	}
	c.checkClean("saving the texts")

	// The widget in French of a host who has invited no one yet.
	c.do("open the host's widget in French", chromedp.Navigate(site+"/?user=ivy&locale=fr"))
	shadow := `document.querySelector("tandem-referral").shadowRoot`
	c.waitFor(shadow+` && `+shadow+`.querySelector("li.muted[data-empty]")`, "the widget's empty list")
	if got := eval[[]string](c, `(function () { var e = `+shadow+`.querySelector("li.muted[data-empty]"); return [e.textContent, e.lang]; })()`); got[0] != "Nobody yet: invite a friend above." || got[1] != "en" {
		t.Errorf("the empty list reads %q, want the default locale's text marked English", got)
	}
	if got := eval[string](c, shadow+`.querySelector("ul.rewards li.muted").textContent`); got != "Pas encore de récompense : elles apparaissent ici quand un ami termine toutes les étapes." {
		t.Errorf("the empty rewards read %q, want the widget's own French", got)
	}
	if got := eval[string](c, shadow+`.querySelector("[part~=earnings]").textContent`); got != "Parrainage 1 : $10 creditVotre prochain parrainage terminé rapporte : $10 credit" {
		t.Errorf("the earnings of a host with no completed referral read %q", got)
	}
	c.checkAxe(t, "the host's widget in French with the tenant's texts")
	c.checkClean("the host's widget in French")

	offer := func(want string) {
		t.Helper()
		c.do("open the partner's page with a code", chromedp.Navigate(site+"/?ref="+code+"&locale=fr"))
		c.waitFor(shadow+` && `+shadow+`.querySelector("[part~=offer] p")`, "the guest offer")
		if got := eval[string](c, shadow+`.querySelector("[part~=offer] p").textContent`); got != want {
			t.Errorf("the offer reads %q, want %q", got, want)
		}
	}
	offer("Hana vous offre un café offert")
	c.checkAxe(t, "the guest offer in French")
	c.checkClean("the guest offer")

	browseIn := func(acceptLanguage string) {
		t.Helper()
		headers := network.Headers{}
		if acceptLanguage != "" {
			headers["Accept-Language"] = acceptLanguage
		}
		c.call(func(ctx context.Context) error {
			_, err := chromedp.Call(ctx, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{Headers: headers})
			return err
		}, "browse in "+acceptLanguage)
	}
	browseIn("fr-FR,fr;q=0.9")
	c.do("open the invite page", chromedp.Navigate(base+"/i/"+code))
	c.waitFor(`document.readyState === "complete"`, "the invite page")
	if got := eval[[]string](c, `(function () { var e = document.querySelector("[data-testid=invite-headline]"); return [e.textContent, e.lang]; })()`); got[0] != "Hana vous a gardé une place" || got[1] != "fr" {
		t.Errorf("the invite page's headline %q, want the French text naming the host, marked French", got)
	}
	c.checkAxe(t, "the invite page in French")
	c.checkClean("the invite page in French")
	browseIn("")

	// Naming turned off: the same offer names no one.
	c.open("/branding")
	c.press(testid("name-hosts"))
	c.clickAndLoad(testid("guest-texts-save"), "/branding")
	offer("Un ami vous offre un café offert")
	c.checkClean("the guest offer without the host's name")
}
