package widget

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/tandemhq/tandem/models"
)

// The guest offer of a code names its host only when the tenant allows
// it, and only a host with a display name; without a code it names no
// one.
func TestGuestOfferNamesHostOnlyWhenAllowed(t *testing.T) {
	w := newWidgetTenant(t, shop)
	w.publish("spring", models.ModeInvitation, "signed_up")
	hana, nameless := w.mint("hana", "spring", time.Hour), w.mint("nameless", "spring", time.Hour)
	w.in(func(ctx context.Context) error {
		name := "Hana"
		_, _, err := models.UpsertParticipant(ctx, models.ParticipantInput{ExternalID: "hana", DisplayName: &name})
		return err
	})
	invite := func(token string) string {
		return w.do("POST", "/widget/v1/invitations", map[string]any{"channel": "link"}, token, shop).JSON["code"].(string)
	}
	hanas, namelesss := invite(hana), invite(nameless)
	hostName := func(code string) any {
		t.Helper()
		r := w.get("/widget/v1/offer?campaign=spring&code="+code+"&key="+w.created.PublishableKey, "", shop)
		want(t, "the offer of "+code, r, http.StatusOK, "")
		return r.JSON["host_name"]
	}
	if got := hostName(hanas); got != "" {
		t.Errorf("by default the offer names %q", got)
	}
	w.in(func(ctx context.Context) error {
		_, err := models.SaveGuestTexts(ctx, models.GuestTexts{NameHosts: true})
		return err
	})
	for code, name := range map[string]string{hanas: "Hana", namelesss: "", "": ""} {
		if got := hostName(code); got != name {
			t.Errorf("allowed, the offer of %q names %q, want %q", code, got, name)
		}
	}
}

// The widget reads the tenant's texts of its places, in every locale and
// with the default locale, from both the host's answer and the guest
// offer; the invite page's texts are not sent.
func TestWidgetTenantTexts(t *testing.T) {
	w := newWidgetTenant(t, shop)
	w.publish("spring", models.ModeReferrerCode, "signed_up")
	token := w.mint("hana", "spring", time.Hour)
	offer := "/widget/v1/offer?campaign=spring&key=" + w.created.PublishableKey
	for _, path := range []string{"/widget/v1/me", offer} {
		r := w.get(path, token, shop)
		if got := fmt.Sprint(r.JSON["texts"]); got != "map[default_locale:en locales:map[]]" {
			t.Errorf("%s: texts before any: %s", path, got)
		}
	}
	w.in(func(ctx context.Context) error {
		_, err := models.SaveGuestTexts(ctx, models.GuestTexts{DefaultLocale: "fr", Texts: map[string]map[string]string{
			"en": {models.TextWidgetOffer: "{host} gives you {reward}", models.TextInviteHeadline: "Hi"},
			"fr": {models.TextWidgetNoFriendsCode: "Personne encore", models.TextInviteBody: "Bonjour"}}})
		return err
	})
	for _, path := range []string{"/widget/v1/me", offer} {
		r := w.get(path, token, shop)
		want(t, path, r, http.StatusOK, "")
		if got := fmt.Sprint(r.JSON["texts"]); got != "map[default_locale:fr locales:map[en:map[widget_offer:{host} gives you {reward}] fr:map[widget_no_friends_code:Personne encore]]]" {
			t.Errorf("%s: texts %s", path, got)
		}
	}
}
