package widget

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tandemhq/tandem/models"
)

// The origin check tells any page, readably, whether its own origin may
// run the widget for the key's tenant: the widget names a refusal instead
// of calling it a network failure.
func TestOriginCheck(t *testing.T) {
	w := newWidgetTenant(t, shop)
	key := w.created.PublishableKey
	for _, c := range []struct {
		origin  string
		allowed bool
	}{{shop, true}, {evil, false}, {tandemAt, true}} {
		r := w.get("/widget/v1/origin?key="+key, "", c.origin)
		want(t, "the origin check from "+c.origin, r, http.StatusOK, "")
		if r.JSON["allowed"] != c.allowed || r.JSON["origin"] != c.origin || r.Header.Get("Access-Control-Allow-Origin") != c.origin {
			t.Errorf("from %s: %s, ACAO %q; want allowed %v, readable", c.origin, r.Body, r.Header.Get("Access-Control-Allow-Origin"), c.allowed)
		}
	}
	if r := w.get("/widget/v1/origin?key="+key, "", ""); r.JSON["allowed"] != true {
		t.Errorf("without an Origin (no browser's cross-origin request): %s", r.Body)
	}
	want(t, "no key", w.get("/widget/v1/origin", "", shop), http.StatusUnauthorized, "key_invalid")
	want(t, "a secret key", w.get("/widget/v1/origin?key="+w.created.SecretKey, "", shop), http.StatusUnauthorized, "key_invalid")
}

// With the visitor's code, the guest offer stands only while that code
// can be claimed in the campaign: a made-up code, another campaign's, a
// used invitation and a paused campaign's code are each refused as a
// claim would be.
func TestGuestOfferForACode(t *testing.T) {
	w := newWidgetTenant(t, shop)
	w.publish("spring", models.ModeInvitation, "signed_up")
	w.publish("friends", models.ModeReferrerCode, "signed_up")
	token := w.mint("hana", "spring", time.Hour)
	open := w.do("POST", "/widget/v1/invitations", map[string]any{"channel": "link", "recipient": "Gina"}, token, shop).JSON["code"].(string)
	used := w.do("POST", "/widget/v1/invitations", map[string]any{"channel": "link", "recipient": "Ivan"}, token, shop).JSON["code"].(string)
	var friendsCode string
	w.in(func(ctx context.Context) error {
		if _, err := models.Claim(ctx, used, "ivan"); err != nil {
			return err
		}
		var err error
		friendsCode, err = models.ReferrerCode(ctx, "friends", "hana")
		return err
	})
	offer := func(campaign, code string) string {
		return "/widget/v1/offer?campaign=" + campaign + "&code=" + code + "&key=" + w.created.PublishableKey
	}
	want(t, "an open invitation's code", w.get(offer("spring", open), "", shop), http.StatusOK, "")
	want(t, "in lower case", w.get(offer("spring", strings.ToLower(open)), "", shop), http.StatusOK, "")
	want(t, "a made-up code", w.get(offer("spring", "ZZZZZZZZ"), "", shop), http.StatusNotFound, "code_not_found")
	want(t, "another campaign's code", w.get(offer("spring", friendsCode), "", shop), http.StatusNotFound, "code_not_found")
	want(t, "a used invitation", w.get(offer("spring", used), "", shop), http.StatusConflict, "invitation_already_claimed")
	want(t, "a referrer code", w.get(offer("friends", friendsCode), "", shop), http.StatusOK, "")
	w.in(func(ctx context.Context) error {
		_, err := models.ChangeCampaignStatus(ctx, "friends", models.ActionPause)
		return err
	})
	want(t, "a paused campaign's code", w.get(offer("friends", friendsCode), "", shop), http.StatusGone, "campaign_not_active")
}
