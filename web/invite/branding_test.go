package invite_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/tandemhq/tandem/models"
)

// A tenant's branding reaches its invite page: its logo (and the link
// preview's image), its accent colour through a stylesheet the page's
// Content-Security-Policy admits by hash and nothing else inline, its
// sender name where the tenant's name was, and the campaign's own
// headline with the host's name in place of {host}.
func TestInviteLinkBranding(t *testing.T) {
	ic := newInviteCampaign(t, models.ModeInvitation, "https://shop.example/join")
	code := ic.invite(t, "host-1", "Maya")
	ic.nameHosts(t)
	plain := getInvitePage(t, ic, "/i/"+code)
	if plain.has("tenant-logo") || plain.doc.Find("style").Length() != 0 || strings.Contains(plain.header.Get("Content-Security-Policy"), "sha256") {
		t.Fatal("an unbranded page has a logo or a stylesheet of its own")
	}
	ic.do(t, func(ctx context.Context) error {
		if _, err := models.SaveBranding(ctx, models.Branding{LogoURL: "https://cdn.shop.example/logo.png",
			AccentColor: "#FFD500", SenderName: "The Shop team"}); err != nil {
			return err
		}
		return models.SetInviteHeadline(ctx, "friends", "{host} saved you a seat at The Shop")
	})
	p := getInvitePage(t, ic, "/i/"+code)
	if p.status != http.StatusOK {
		t.Fatalf("status %d", p.status)
	}
	if src := p.doc.Find(`[data-testid="tenant-logo"]`).AttrOr("src", ""); src != "https://cdn.shop.example/logo.png" {
		t.Errorf("logo %q", src)
	}
	if got := p.doc.Find(`meta[property="og:image"]`).AttrOr("content", ""); got != "https://cdn.shop.example/logo.png" {
		t.Errorf("og:image %q", got)
	}
	if got := p.text("tenant-name"); got != "The Shop team" {
		t.Errorf("signed %q, want the sender name", got)
	}
	if got := p.doc.Find(`meta[property="og:site_name"]`).AttrOr("content", ""); got != "The Shop team" {
		t.Errorf("og:site_name %q", got)
	}
	if got := p.text("invite-headline"); got != "Maya saved you a seat at The Shop" {
		t.Errorf("headline %q", got)
	}
	css := p.doc.Find("style").Text()
	if css != ":root{--accent:#ffd500;--accent-ink:#000000}" {
		t.Errorf("the accent's stylesheet %q (a light accent takes black ink)", css)
	}
	sum := sha256.Sum256([]byte(css))
	csp := p.header.Get("Content-Security-Policy")
	for _, want := range []string{"style-src 'self' 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "';",
		"img-src 'self' https://cdn.shop.example;", "default-src 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP %q admits any inline style", csp)
	}
}

// A headline names "a friend" when the host has no name, capitalised only
// at the start; refused branding names its field.
func TestInviteHeadlineAndBrandingRefusals(t *testing.T) {
	ic := newInviteCampaign(t, models.ModeInvitation, "")
	code := ic.invite(t, "host-2", "")
	ic.do(t, func(ctx context.Context) error {
		return models.SetInviteHeadline(ctx, "friends", "Join us: {host} sent this")
	})
	if got := getInvitePage(t, ic, "/i/"+code).text("invite-headline"); got != "Join us: a friend sent this" {
		t.Errorf("headline %q", got)
	}
	ic.do(t, func(ctx context.Context) error {
		for field, b := range map[string]models.Branding{
			"logo_url":     {LogoURL: "javascript:alert(1)"},
			"accent_color": {AccentColor: "red"},
			"sender_name":  {SenderName: "two\nlines"},
		} {
			var e *models.ValidationError
			if _, err := models.SaveBranding(ctx, b); !errors.As(err, &e) || e.Field != field {
				t.Errorf("%v: %v, want an error on %s", b, err, field)
			}
		}
		if err := models.SetInviteHeadline(ctx, "friends", strings.Repeat("x", 121)); err == nil {
			t.Error("a headline of 121 characters was saved")
		}
		return nil
	})
}
