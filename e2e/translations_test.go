package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/tandemhq/tandem/examples/widget-backend/partner"
	"github.com/tandemhq/tandem/tenants"
)

// TestE2ETranslations: an owner translates, on the Translations page, the
// campaign's name, its step's label and its reward into French; a French
// widget then shows them in French (the campaign's name, a claimed
// friend's next step, the reward table), an English one as written. axe
// passes on the page and the widget.
func TestE2ETranslations(t *testing.T) {
	if testing.Short() {
		t.Skip("the browser test is slow; -short skips it")
	}
	execPath := findChromium(t)
	base := startServer(t)
	const email, password = "owner@translations.example", "correct horse battery"
	tenant, err := tenants.Create(context.Background(), env.App, tenants.NewTenant{Name: "Translations Café", OwnerEmail: email, OwnerPassword: password})
	if err != nil {
		t.Fatal(err)
	}
	api := &apiClient{t: t, base: base, key: tenant.SecretKey}
	api.want(201, "POST", "/v1/event-definitions", map[string]any{"name": "signed_up", "label": "Sign up"})
	api.want(200, "PUT", "/v1/campaigns/autumn", map[string]any{"name": "Autumn friends", "mode": "invitation",
		"quest":           map[string]any{"steps": []string{"signed_up"}},
		"host_milestones": []any{map[string]any{"count": 1, "reward": map[string]any{"description": "$10 credit", "kind": "credit"}}}})
	api.want(200, "POST", "/v1/campaigns/autumn/publish", nil)
	api.want(201, "POST", "/v1/participants", map[string]any{"external_id": "hana", "display_name": "Hana"})
	code := api.want(201, "POST", "/v1/campaigns/autumn/invitations", map[string]any{"host": "hana"})["code"].(string)
	api.want(201, "POST", "/v1/claims", map[string]any{"code": code, "guest": "gina"})
	site := serveOn(t, partner.Handler(partner.Config{TandemURL: base, SecretKey: tenant.SecretKey,
		PublishableKey: tenant.PublishableKey, Campaign: "autumn"}))
	api.want(200, "PUT", "/v1/widget/settings", map[string]any{"allowed_origins": []string{site}})

	c := newChrome(t, execPath, base)
	c.open("/login")
	c.fill(`input[name="email"]`, email)
	c.fill(`input[name="password"]`, password)
	c.clickAndLoad(testid("login-submit"), "/")
	c.open("/branding/translations")
	for source, french := range map[string]string{"Autumn friends": "Parrainage d'automne", "Sign up": "Inscription", "$10 credit": "10 $ de crédit"} {
		name := eval[string](c, `(function () {
			var s = Array.from(document.querySelectorAll("input[type=hidden][name^='source.']")).find(function (e) { return e.value === `+strconv.Quote(source)+`; });
			return "translation." + s.name.slice("source.".length) + ".fr";
		})()`)
		c.fill(`input[name="`+name+`"]`, french)
	}
	c.clickAndLoad(testid("translations-save"), "/branding/translations")
	c.checkAxe(t, "the Translations page")
	c.checkClean("saving the translations")

	shadow := `document.querySelector("tandem-referral").shadowRoot`
	widget := func(locale, name, step, earnings string) {
		t.Helper()
		c.do("open the host's widget in "+locale, chromedp.Navigate(site+"/?user=hana&locale="+locale))
		c.waitFor(shadow+` && `+shadow+`.querySelector("li.guest")`, "the widget's friends")
		if got := eval[string](c, shadow+`.querySelector("p.sub").textContent`); got != name {
			t.Errorf("%s: the campaign reads %q, want %q", locale, got, name)
		}
		if got := eval[string](c, shadow+`.querySelector("li.guest").textContent`); !strings.Contains(got, step) {
			t.Errorf("%s: the friend reads %q, want the step %q", locale, got, step)
		}
		if got := eval[string](c, shadow+`.querySelector("[part~=earnings]").textContent`); !strings.Contains(got, earnings) {
			t.Errorf("%s: the earnings read %q, want %q", locale, got, earnings)
		}
	}
	widget("fr", "Parrainage d'automne", "Inscription", "10 $ de crédit")
	c.checkAxe(t, "the host's widget in French with translations")
	widget("en", "Autumn friends", "Sign up", "$10 credit")
	c.checkClean("the host's widget")
}
