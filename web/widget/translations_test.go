package widget

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/tandemhq/tandem/models"
)

// The host's answer and the guest offer carry the tenant's translations of
// the campaign's own words, with its default locale, for the widget to
// pick from by its language; another campaign's are not sent.
func TestWidgetCampaignTranslations(t *testing.T) {
	w := newWidgetTenant(t, shop)
	w.publish("spring", models.ModeInvitation, "signed_up")
	w.publish("autumn", models.ModeInvitation, "bought")
	token := w.mint("hana", "spring", time.Hour)
	offer := "/widget/v1/offer?campaign=spring&key=" + w.created.PublishableKey
	for _, path := range []string{"/widget/v1/me", offer} {
		r := w.get(path, token, shop)
		want(t, path, r, http.StatusOK, "")
		if got := fmt.Sprint(r.JSON["translations"]); got != "map[default_locale:en items:[]]" {
			t.Errorf("%s: translations before any: %s", path, got)
		}
	}
	w.in(func(ctx context.Context) error {
		for event, label := range map[string]string{"signed_up": "Sign up", "bought": "Buy"} {
			if _, _, err := models.DefineEventWith(ctx, models.EventDefinitionInput{Name: event, Label: &label}); err != nil {
				return err
			}
		}
		_, err := models.SaveTranslations(ctx, models.Translations{Locales: map[string]map[string]map[string]string{"fr": {
			models.TranslateCampaignName:      {"Campaign spring": "Campagne de printemps", "Campaign autumn": "Campagne d'automne"},
			models.TranslateStepLabel:         {"Sign up": "Inscription", "Buy": "Achat"},
			models.TranslateRewardDescription: {"$10 credit": "10 $ de crédit"},
		}}})
		return err
	})
	for _, path := range []string{"/widget/v1/me", offer} {
		r := w.get(path, token, shop)
		want(t, path, r, http.StatusOK, "")
		if got := fmt.Sprint(r.JSON["translations"]); got != "map[default_locale:en items:["+
			"map[kind:campaign_name locale:fr source:Campaign spring translation:Campagne de printemps] "+
			"map[kind:step_label locale:fr source:Sign up translation:Inscription] "+
			"map[kind:reward_description locale:fr source:$10 credit translation:10 $ de crédit]]]" {
			t.Errorf("%s: translations %s", path, got)
		}
	}
}
