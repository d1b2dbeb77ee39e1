package console

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/tandemhq/tandem/models"
)

// Owners and admins write the texts for guests and hosts per language on
// the Branding page, pick the default language and allow naming hosts
// (audited); a refused text is named on the page with everything typed
// kept and nothing saved; marketers may not, and another tenant sees none
// of it.
func TestConsoleGuestTexts(t *testing.T) {
	app := newConsoleApp(t)
	b := newBrowser(t, app)
	owner := signUp(t, b)
	p := b.get("/branding")
	if p.Doc.Find(`[data-testid="name-hosts"]`).Is(":checked") || p.Doc.Find(`select[name="default_locale"] option[selected]`).AttrOr("value", "") != "en" {
		t.Error("a new tenant names its hosts, or does not default to English")
	}

	form := url.Values{"default_locale": {"fr"}, "name_hosts": {"1"},
		"texts.en.widget_offer":    {"{host} gives you {reward}"},
		"texts.fr.widget_offer":    {"{host} vous offre {reward}"},
		"texts.fr.invite_headline": {"{reward} pour vous"}} // {reward} has no place on the invite page
	p = b.post("/branding/texts", form)
	wantStatus(t, p, http.StatusUnprocessableEntity)
	if p.text("error-texts.fr.invite_headline") == "" || p.text("guest-texts-error") == "" {
		t.Errorf("the refused headline is not named: %q", p.text("error-texts.fr.invite_headline"))
	}
	if got := p.Doc.Find(`input[name="texts.en.widget_offer"]`).AttrOr("value", ""); got != "{host} gives you {reward}" {
		t.Errorf("the typed offer was not kept: %q", got)
	}
	if got := p.Doc.Find(`input[name="texts.fr.invite_headline"]`).AttrOr("aria-invalid", ""); got != "true" {
		t.Errorf("the refused field is not marked invalid: %q", got)
	}

	form.Set("texts.fr.invite_headline", "  {host} vous attend  ")
	wantRedirect(t, b.post("/branding/texts", form), "/branding")
	p = b.get("/branding")
	for name, want := range map[string]string{"texts.fr.invite_headline": "{host} vous attend", "texts.en.widget_offer": "{host} gives you {reward}",
		"texts.en.invite_body": ""} {
		if got := p.Doc.Find(`input[name="`+name+`"]`).AttrOr("value", ""); got != want {
			t.Errorf("%s shown as %q, want %q", name, got, want)
		}
	}
	if !p.Doc.Find(`[data-testid="name-hosts"]`).Is(":checked") || p.Doc.Find(`select[name="default_locale"] option[selected]`).AttrOr("value", "") != "fr" {
		t.Error("the settings were not saved")
	}
	env.InTenant(t, owner.tenantID, func(ctx context.Context) error {
		g, err := models.GetGuestTexts(ctx)
		if err != nil {
			return err
		}
		if len(g.Texts["en"])+len(g.Texts["fr"]) != 3 {
			t.Errorf("saved texts %v, want the three written", g.Texts)
		}
		return nil
	})
	if opsAuditCount(t, owner, "texts.saved", "texts") != 1 {
		t.Error("saving the texts is not audited once")
	}
	// Unticked, the box turns naming off.
	form.Del("name_hosts")
	wantRedirect(t, b.post("/branding/texts", form), "/branding")
	if b.get("/branding").Doc.Find(`[data-testid="name-hosts"]`).Is(":checked") {
		t.Error("unticking does not stop naming hosts")
	}
	wantStatus(t, b.post("/branding/texts", url.Values{"default_locale": {"de"}}), http.StatusUnprocessableEntity)

	other := newBrowser(t, app)
	signUp(t, other)
	if got := other.get("/branding").Doc.Find(`input[name="texts.en.widget_offer"]`).AttrOr("value", ""); got != "" {
		t.Errorf("another tenant sees the offer %q", got)
	}

	mb := newBrowser(t, app)
	logIn(t, mb, addMember(t, owner.tenantID, models.RoleMarketer))
	wantStatus(t, mb.post("/branding/texts", url.Values{"texts.en.widget_offer": {"x"}}), http.StatusForbidden)
}
