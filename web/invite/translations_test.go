package invite_test

import (
	"context"
	"testing"

	"github.com/tandemhq/tandem/models"
)

// The campaign's name and the guest's reward in the visitor's language
// (Accept-Language), else in the tenant's default locale's translation,
// else as the tenant wrote them.
func TestInvitePageTranslatedCampaignAndReward(t *testing.T) {
	ic := newInviteCampaign(t, models.ModeInvitation, "https://shop.example/join")
	code := ic.invite(t, "host-1", "Maya")
	ic.do(t, func(ctx context.Context) error {
		_, err := models.SaveTranslations(ctx, models.Translations{Locales: map[string]map[string]map[string]string{
			"fr": {
				models.TranslateCampaignName:      {"Bring a friend": "Parrainez un ami"},
				models.TranslateRewardDescription: {"$10 off your first order": "10 $ de réduction sur votre première commande"},
			},
		}})
		return err
	})
	check := func(acceptLanguage, name, reward string) {
		t.Helper()
		p := getInvitePageIn(t, ic, "/i/"+code, acceptLanguage)
		if got := p.text("campaign-name"); got != name {
			t.Errorf("Accept-Language %q: campaign %q, want %q", acceptLanguage, got, name)
		}
		if got := p.text("guest-reward"); got != reward {
			t.Errorf("Accept-Language %q: reward %q, want %q", acceptLanguage, got, reward)
		}
	}
	check("fr-CA,fr;q=0.9", "Parrainez un ami", "10 $ de réduction sur votre première commande")
	check("en", "Bring a friend", "$10 off your first order")
	check("de", "Bring a friend", "$10 off your first order")

	// French by default: a visitor whose language has no translation reads
	// the French ones.
	ic.saveTexts(t, func(g *models.GuestTexts) { g.DefaultLocale = "fr" })
	check("de", "Parrainez un ami", "10 $ de réduction sur votre première commande")
	check("en", "Parrainez un ami", "10 $ de réduction sur votre première commande")
}
