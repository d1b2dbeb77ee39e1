package console

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/tandemhq/tandem/models"
)

// Owners and admins translate, on one page, every campaign name, event
// label and reward description of theirs into the non-default locale; a
// refused translation is named next to its field with what was typed
// kept and nothing saved; a saved one is audited and shown again.
func TestConsoleTranslations(t *testing.T) {
	app := newConsoleApp(t)
	b := newBrowser(t, app)
	owner := signUp(t, b)
	if p := b.get("/branding/translations"); p.Doc.Find(`[data-testid="translation-row"]`).Length() != 0 {
		t.Error("a tenant without campaigns has texts to translate")
	}
	env.InTenant(t, owner.tenantID, func(ctx context.Context) error {
		label := "Sign up"
		if _, _, err := models.DefineEventWith(ctx, models.EventDefinitionInput{Name: "signed_up", Label: &label}); err != nil {
			return err
		}
		_, _, err := models.SaveCampaignDraft(ctx, "spring", models.CampaignInput{Name: "Spring friends", Mode: models.ModeInvitation,
			Rules: models.Rules{Steps: []string{"signed_up"}, Milestones: []models.Milestone{{Count: 1,
				Reward: models.Reward{Description: "A free coffee", Kind: "custom", Quantity: 1}}}}})
		if err != nil {
			return err
		}
		_, err = models.PublishCampaign(ctx, "spring", models.InflightKeep)
		return err
	})
	p := b.get("/branding/translations")
	form := url.Values{}
	p.Doc.Find(`[data-testid="translation-row"] input[type="hidden"]`).Each(func(_ int, s *goquery.Selection) {
		form.Set(s.AttrOr("name", ""), s.AttrOr("value", ""))
	})
	if len(form) != 6 || p.Doc.Find(`input[name^="translation."][name$=".en"]`).Length() != 0 {
		t.Fatalf("the page offers %v, want three texts, in French only", form)
	}
	french := map[string]string{"Spring friends": "Parrainage de printemps", "Sign up": "Inscription", "A free coffee": "Un café offert"}
	field := map[string]string{}
	for i := range 3 {
		n := strconv.Itoa(i)
		field[form.Get("source."+n)] = "translation." + n + ".fr"
	}
	form.Set(field["Spring friends"], french["Spring friends"])
	form.Set(field["Sign up"], strings.Repeat("x", 81))
	p = b.post("/branding/translations", form)
	wantStatus(t, p, http.StatusUnprocessableEntity)
	if p.text("error-translations.fr.step_label.Sign up") == "" || p.text("translations-error") == "" {
		t.Error("the refused label is not named next to its field")
	}
	if got := p.Doc.Find(`input[name="`+field["Spring friends"]+`"]`).AttrOr("value", ""); got != french["Spring friends"] {
		t.Errorf("the typed name was not kept: %q", got)
	}

	for source, text := range french {
		form.Set(field[source], "  "+text+" ")
	}
	wantRedirect(t, b.post("/branding/translations", form), "/branding/translations")
	p = b.get("/branding/translations")
	for source, text := range french {
		if got := p.Doc.Find(`input[name="`+field[source]+`"]`).AttrOr("value", ""); got != text {
			t.Errorf("%q shown translated as %q, want %q", source, got, text)
		}
	}
	env.InTenant(t, owner.tenantID, func(ctx context.Context) error {
		tr, err := models.GetTranslations(ctx)
		if err != nil {
			return err
		}
		if got := tr.Translate("fr", models.TranslateStepLabel, "Sign up"); got != "Inscription" {
			t.Errorf("the saved label reads %q in French", got)
		}
		return nil
	})
	if opsAuditCount(t, owner, "translations.saved", "translations") != 1 {
		t.Error("saving the translations is not audited once")
	}
}
