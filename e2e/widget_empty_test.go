package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/tandemhq/tandem/examples/widget-backend/partner"
	"github.com/tandemhq/tandem/internal/webtest"
)

// TestE2EWidgetEmptyInvitations: a host of an invitation campaign, who
// has no link until they invite someone, is told to invite a friend by
// e-mail rather than to share a link; once the campaign has ended, that
// no friend joined.
func TestE2EWidgetEmptyInvitations(t *testing.T) {
	execPath := findChromium(t)
	base := startServer(t)
	tenant := webtest.NewTenant(t, env.App)
	api := &apiClient{t: t, base: base, key: tenant.SecretKey}
	api.want(201, "POST", "/v1/event-definitions", map[string]any{"name": "signed_up"})
	api.want(200, "PUT", "/v1/campaigns/autumn", map[string]any{"name": "Autumn invitations", "mode": "invitation",
		"quest": map[string]any{"steps": []string{"signed_up"}}})
	api.want(200, "POST", "/v1/campaigns/autumn/publish", nil)
	site := serveOn(t, partner.Handler(partner.Config{TandemURL: base, SecretKey: tenant.SecretKey,
		PublishableKey: tenant.PublishableKey, Campaign: "autumn"}))
	api.want(200, "PUT", "/v1/widget/settings", map[string]any{"allowed_origins": []string{site}})

	c := newChrome(t, execPath, base)
	shadow := `document.querySelector("tandem-referral").shadowRoot`
	c.do("open the partner's page", chromedp.Navigate(site+"/?user=hana"))
	c.waitFor(shadow+` && `+shadow+`.querySelector('[data-empty="noFriendsInvite"]')`, "the no-guests state of an invitation campaign")
	if text := eval[string](c, shadow+`.querySelector("[data-empty]").textContent`); text != "No friends yet. Create an invite link for one above." {
		t.Errorf("the empty list reads %q", text)
	}
	if eval[bool](c, shadow+`.querySelector("form.invite").hidden`) {
		t.Error("the invitation form it points to is hidden")
	}

	api.want(200, "POST", "/v1/campaigns/autumn/end", nil)
	c.do("open the page again", chromedp.Navigate(site+"/?user=hana"))
	c.waitFor(shadow+` && `+shadow+`.querySelector('[data-empty="noFriendsClosed"]')`, "the no-guests state of an ended campaign")
}
