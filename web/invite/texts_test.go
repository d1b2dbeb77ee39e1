package invite_test

import (
	"context"
	"strings"
	"testing"

	"github.com/tandemhq/tandem/internal/webtest"
	"github.com/tandemhq/tandem/models"
)

// nameHosts lets the tenant's guests be told their host's name, keeping
// its texts.
func (ic *inviteCampaign) nameHosts(t *testing.T) {
	t.Helper()
	ic.saveTexts(t, func(g *models.GuestTexts) { g.NameHosts = true })
}

// saveTexts changes the tenant's texts and settings with edit.
func (ic *inviteCampaign) saveTexts(t *testing.T, edit func(g *models.GuestTexts)) {
	t.Helper()
	ic.do(t, func(ctx context.Context) error {
		g, err := models.GetGuestTexts(ctx)
		if err != nil {
			return err
		}
		edit(&g)
		_, err = models.SaveGuestTexts(ctx, g)
		return err
	})
}

// getInvitePageIn fetches a page as a browser whose languages are
// acceptLanguage.
func getInvitePageIn(t *testing.T, ic *inviteCampaign, path, acceptLanguage string) invitePage {
	t.Helper()
	return parseInvitePage(t, webtest.Do(t, ic.app, "GET", path, nil, "Accept-Language", acceptLanguage))
}

// A host's name reaches the guest only when the tenant allows it: by
// default the page, its title and its link preview say "A friend", and
// nowhere the name; allowed, the name, and "A friend" still for a host
// without one.
func TestInviteHostNamedOnlyWhenAllowed(t *testing.T) {
	ic := newInviteCampaign(t, models.ModeInvitation, "https://shop.example/join")
	maya := ic.invite(t, "host-1", "Maya")
	nameless := ic.invite(t, "host-2", "")
	p := getInvitePage(t, ic, "/i/"+maya)
	if got, want := p.text("invite-headline"), "A friend invited you to join "+ic.tenantName; got != want {
		t.Errorf("headline %q, want %q", got, want)
	}
	if html, _ := p.doc.Html(); strings.Contains(html, "Maya") {
		t.Error("the page names the host though the tenant does not allow it")
	}
	ic.nameHosts(t)
	for code, want := range map[string]string{maya: "Maya invited you to join ", nameless: "A friend invited you to join "} {
		p := getInvitePage(t, ic, "/i/"+code)
		if got := p.text("invite-headline"); got != want+ic.tenantName {
			t.Errorf("%s: headline %q, want %q", code, got, want+ic.tenantName)
		}
		if got := p.doc.Find(`meta[property="og:title"]`).AttrOr("content", ""); got != want+ic.tenantName {
			t.Errorf("%s: og:title %q", code, got)
		}
	}
}

// The tenant's headline and paragraph in the visitor's language (by
// Accept-Language's weights, fr-CA reading fr), else in the tenant's
// default locale, else Tandem's own; a text in another language than the
// page's says so; {host} is "un ami" in French; a campaign's own headline
// comes before them all.
func TestInvitePageTenantTextsByLanguage(t *testing.T) {
	ic := newInviteCampaign(t, models.ModeInvitation, "https://shop.example/join")
	code := ic.invite(t, "host-1", "Maya")
	builtIn := "A friend invited you to join " + ic.tenantName
	if p := getInvitePageIn(t, ic, "/i/"+code, "fr"); p.text("invite-headline") != builtIn || p.has("invite-body") {
		t.Errorf("a tenant without texts: headline %q, want Tandem's", p.text("invite-headline"))
	}
	ic.saveTexts(t, func(g *models.GuestTexts) {
		g.Texts = map[string]map[string]string{
			"en": {models.TextInviteHeadline: "{host} saved you a seat", models.TextInviteBody: "Coffee is on us."},
			"fr": {models.TextInviteHeadline: "{host} vous a gardé une place"},
		}
	})
	type want struct{ headline, headlineLang, body, bodyLang string }
	check := func(acceptLanguage string, w want) {
		t.Helper()
		r := webtest.Do(t, ic.app, "GET", "/i/"+code, nil, "Accept-Language", acceptLanguage)
		if !strings.Contains(r.Header.Get("Vary"), "Accept-Language") {
			t.Errorf("%q: Vary %q", acceptLanguage, r.Header.Get("Vary"))
		}
		p := parseInvitePage(t, r)
		h, b := p.doc.Find(`[data-testid="invite-headline"]`), p.doc.Find(`[data-testid="invite-body"]`)
		got := want{strings.TrimSpace(h.Text()), h.AttrOr("lang", ""), strings.TrimSpace(b.Text()), b.AttrOr("lang", "")}
		if got != w {
			t.Errorf("Accept-Language %q: %+v, want %+v", acceptLanguage, got, w)
		}
	}
	french := want{"Un ami vous a gardé une place", "fr", "Coffee is on us.", ""}
	english := want{"A friend saved you a seat", "", "Coffee is on us.", ""}
	check("fr-CA,fr;q=0.9,en;q=0.8", french)
	check("en;q=0.5, fr;q=0.9", french)
	check("de-DE,de;q=0.9", english)
	check("", english)
	check("not a header;;;", english)
	check("en-GB", english)

	// French by default: a German visitor reads the French texts, and
	// Tandem's own copy where French has none (no paragraph).
	ic.saveTexts(t, func(g *models.GuestTexts) { g.DefaultLocale = "fr" })
	check("de", want{"Un ami vous a gardé une place", "fr", "", ""})
	check("en", english)

	ic.do(t, func(ctx context.Context) error {
		return models.SetInviteHeadline(ctx, "friends", "Join {host} at the shop")
	})
	check("fr", want{"Join a friend at the shop", "", "", ""})
	check("en", want{"Join a friend at the shop", "", "Coffee is on us.", ""})
}
