package invite_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tandemhq/tandem/models"
)

// An open invitation's page tells chat apps what to show of its link
// (Open Graph and Twitter card tags: who invites to what, what the guest
// gets), and says until when an invitation works (a referrer code never
// expires); a link that leads nowhere previews as nothing in particular.
func TestInviteLinkPreviewAndExpiry(t *testing.T) {
	ic := newInviteCampaign(t, models.ModeInvitation, "https://shop.example/join")
	code := ic.invite(t, "host-1", "Maya")
	ic.nameHosts(t)
	p := getInvitePage(t, ic, "/i/"+code)
	if p.status != http.StatusOK {
		t.Fatalf("status %d", p.status)
	}
	meta := func(p invitePage, attr, name string) string {
		return p.doc.Find(`meta[`+attr+`="`+name+`"]`).AttrOr("content", "")
	}
	for _, m := range []struct{ attr, name, want string }{
		{"property", "og:title", "Maya invited you to join " + ic.tenantName},
		{"property", "og:description", "You get $10 off your first order. Accept the invitation to join " + ic.tenantName + "."},
		{"property", "og:site_name", ic.tenantName},
		{"property", "og:type", "website"},
		{"name", "twitter:card", "summary"},
		{"name", "twitter:title", "Maya invited you to join " + ic.tenantName},
	} {
		if got := meta(p, m.attr, m.name); got != m.want {
			t.Errorf("%s = %q, want %q", m.name, got, m.want)
		}
	}
	if !p.has("invite-expiry") {
		t.Error("an invitation with the default lifetime shows no expiry")
	}

	// A lifetime of two days: the page says until when.
	r := ic.call(t, "PUT", "/v1/campaigns/friends", map[string]any{
		"name": "Bring a friend", "mode": models.ModeInvitation, "quest": map[string]any{"steps": []string{"signup_complete"}},
		"invitation_ttl_hours": 48, "signup_url": "https://shop.example/join"})
	if r.Status != http.StatusOK {
		t.Fatalf("put campaign: %d %s", r.Status, r.Body)
	}
	if r := ic.call(t, "POST", "/v1/campaigns/friends/publish", map[string]any{"inflight": "keep"}); r.Status != http.StatusOK {
		t.Fatalf("publish: %d %s", r.Status, r.Body)
	}
	expiring := ic.invite(t, "host-1", "Maya")
	p = getInvitePage(t, ic, "/i/"+expiring)
	at, err := time.Parse(time.RFC3339, p.doc.Find(`[data-testid="invite-expiry"] time`).AttrOr("datetime", ""))
	if err != nil || time.Until(at) < 47*time.Hour || time.Until(at) > 49*time.Hour {
		t.Errorf("expiry %v (%v), want in two days", at, err)
	}
	if text := p.text("invite-expiry"); !strings.Contains(text, at.UTC().Format("2 Jan 2006, 15:04 UTC")) {
		t.Errorf("expiry reads %q", text)
	}

	// A referrer code does not expire, and says nothing of it.
	codes := newInviteCampaign(t, models.ModeReferrerCode, "")
	var code2 string
	codes.do(t, func(ctx context.Context) (err error) {
		code2, err = models.ReferrerCode(ctx, "friends", "host-1")
		return err
	})
	if p := getInvitePage(t, codes, "/i/"+code2); p.status != http.StatusOK || p.has("invite-expiry") || meta(p, "property", "og:title") != "A friend recommends "+codes.tenantName+" to you" {
		t.Errorf("a referrer code: status %d, expiry %q, title %q", p.status, p.text("invite-expiry"), meta(p, "property", "og:title"))
	}

	gone := getInvitePage(t, ic, "/i/ZZZZZZZZ")
	if gone.status != http.StatusNotFound || gone.doc.Find(`meta[property^="og:"]`).Length() != 0 {
		t.Errorf("an unknown code: status %d with %d Open Graph tags", gone.status, gone.doc.Find(`meta[property^="og:"]`).Length())
	}
}
