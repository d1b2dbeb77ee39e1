package console

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/tandemhq/tandem/models"
)

// Owners and admins set the branding (checked field by field, audited) and
// each running campaign's invite headline; marketers may do neither, and
// a headline names no other tenant's campaign.
func TestConsoleBranding(t *testing.T) {
	app := newConsoleApp(t)
	b := newBrowser(t, app)
	owner := signUp(t, b)
	env.InTenant(t, owner.tenantID, func(ctx context.Context) error {
		_, _, err := models.SaveCampaignDraft(ctx, "spring", models.CampaignInput{Name: "Spring", Mode: models.ModeReferrerCode,
			Rules: models.Rules{Steps: []string{"invitation_claimed"}}})
		return err
	})
	wantStatus(t, b.get("/branding"), http.StatusOK)

	p := b.post("/branding", url.Values{"logo_url": {"ftp://logo"}, "accent_color": {"#2F5BEA"}, "sender_name": {"Shop"}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	if p.text("error-logo_url") == "" || p.Doc.Find(`input[name="accent_color"]`).AttrOr("value", "") != "#2F5BEA" {
		t.Errorf("a bad logo: error %q, typed colour kept as %q", p.text("error-logo_url"), p.Doc.Find(`input[name="accent_color"]`).AttrOr("value", ""))
	}
	wantRedirect(t, b.post("/branding", url.Values{"logo_url": {"https://cdn.shop.example/logo.svg"}, "accent_color": {"#2F5BEA"},
		"sender_name": {" Shop team "}}), "/branding")
	p = b.get("/branding")
	if got := p.Doc.Find(`input[name="accent_color"]`).AttrOr("value", ""); got != "#2f5bea" {
		t.Errorf("saved colour shown as %q", got)
	}
	if got := p.Doc.Find(`input[name="sender_name"]`).AttrOr("value", ""); got != "Shop team" {
		t.Errorf("saved sender shown as %q", got)
	}
	if opsAuditCount(t, owner, "branding.saved", "branding") != 1 {
		t.Error("saving the branding is not audited once")
	}

	if n := p.find("headline-form").Length(); n != 1 {
		t.Fatalf("%d headline forms, want spring's", n)
	}
	wantRedirect(t, b.post("/campaigns/spring/headline", url.Values{"invite_headline": {"{host} saved you a seat"}}), "/branding")
	if got := b.get("/branding").Doc.Find(`[data-slug="spring"] input[name="invite_headline"]`).AttrOr("value", ""); got != "{host} saved you a seat" {
		t.Errorf("saved headline shown as %q", got)
	}
	wantStatus(t, b.post("/campaigns/nope/headline", url.Values{"invite_headline": {"x"}}), http.StatusNotFound)

	// Another tenant's owner reaches neither this branding nor this campaign.
	other := newBrowser(t, app)
	signUp(t, other)
	if got := other.get("/branding").Doc.Find(`input[name="sender_name"]`).AttrOr("value", ""); got != "" {
		t.Errorf("another tenant sees the sender %q", got)
	}
	wantStatus(t, other.post("/campaigns/spring/headline", url.Values{"invite_headline": {"hijacked"}}), http.StatusNotFound)

	mb := newBrowser(t, app)
	logIn(t, mb, addMember(t, owner.tenantID, models.RoleMarketer))
	wantStatus(t, mb.get("/branding"), http.StatusForbidden)
	wantStatus(t, mb.post("/branding", url.Values{"sender_name": {"x"}}), http.StatusForbidden)
	wantStatus(t, mb.post("/campaigns/spring/headline", url.Values{"invite_headline": {"x"}}), http.StatusForbidden)
}
