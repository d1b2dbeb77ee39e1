package models_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/tandemhq/tandem/models"
)

// The tenant's translations (migrations/00073_tenant_translations.sql),
// attacked in SQL: only the locales Tandem speaks, only the kinds it
// reads, one line within each kind's limit, never empty, one translation
// per (locale, kind, text), and another tenant's out of reach.
func TestSchemaTenantTranslations(t *testing.T) {
	r := newRawDB(t)
	a, b := env.NewTenant(t, "Translations A"), env.NewTenant(t, "Translations B")
	env.InTenant(t, a.TenantID, func(ctx context.Context) error {
		_, err := models.SaveTranslations(ctx, models.Translations{Locales: map[string]map[string]map[string]string{
			"fr": {models.TranslateCampaignName: {"Spring": "Printemps"}}}})
		return err
	})
	ins := func(locale, kind, source, translation string) sqlStmt {
		return q(`INSERT INTO tenant_translations (locale, kind, source, translation) VALUES ($1, $2, $3, $4)`, locale, kind, source, translation)
	}
	r.run(t, a.TenantID, []attack{
		{name: "control: a French label", stmt: ins("fr", "step_label", "Sign up", "Inscription"), rows: 1},
		{name: "an unknown locale", stmt: ins("de", "step_label", "Buy", "Kaufen"), code: checkViolation, constraint: "tenant_translation_locale"},
		{name: "an unknown kind", stmt: ins("fr", "footer", "Hi", "Salut"), code: checkViolation, constraint: "tenant_translation_kind"},
		{name: "empty", stmt: ins("fr", "step_label", "Buy", ""), code: checkViolation, constraint: "tenant_translation_one_line"},
		{name: "an empty source", stmt: ins("fr", "step_label", "", "Acheter"), code: checkViolation, constraint: "tenant_translation_one_line"},
		{name: "outer spaces", stmt: ins("fr", "step_label", "Buy", "Acheter "), code: checkViolation, constraint: "tenant_translation_one_line"},
		{name: "two lines", stmt: ins("fr", "step_label", "Buy", "Ach\neter"), code: checkViolation, constraint: "tenant_translation_one_line"},
		{name: "a label of 81", stmt: ins("fr", "step_label", "Buy", strings.Repeat("x", 81)), code: checkViolation, constraint: "tenant_translation_length"},
		{name: "control: a description of 500", stmt: ins("fr", "reward_description", "$10", strings.Repeat("é", 500)), rows: 1},
		{name: "a description of 501", stmt: ins("fr", "reward_description", "$5", strings.Repeat("x", 501)), code: checkViolation, constraint: "tenant_translation_length"},
		{name: "a name of 201", stmt: ins("fr", "campaign_name", "Fall", strings.Repeat("x", 201)), code: checkViolation, constraint: "tenant_translation_length"},
		{name: "a source longer than its kind allows", stmt: ins("fr", "step_label", strings.Repeat("x", 81), "Acheter"), code: checkViolation, constraint: "tenant_translation_length"},
		{name: "the same text twice", stmt: ins("fr", "campaign_name", "Spring", "Encore"), code: uniqueViolation, constraint: "tenant_translations_pkey"},
	})
	r.run(t, b.TenantID, []attack{
		{name: "B rewrites A's translations", stmt: q(`UPDATE tenant_translations SET translation = 'Hacked'`), rows: 0},
		{name: "B deletes A's translations", stmt: q(`DELETE FROM tenant_translations`), rows: 0},
		{name: "B writes into A", stmt: q(`INSERT INTO tenant_translations (tenant_id, locale, kind, source, translation) VALUES ($1, 'fr', 'campaign_name', 'x', 'y')`, a.TenantID),
			code: insufficientPriv},
	})
}

// A visitor reads a translation in their language, else in the tenant's
// default locale, else the text as written; the console lists every text
// of the tenant's to translate; a refused translation names its field.
func TestTranslationsFallbackAndValidation(t *testing.T) {
	tenant := env.NewTenant(t, "Translations fallback")
	env.InTenant(t, tenant.TenantID, func(ctx context.Context) error {
		label := "Sign up"
		_, _, err := models.DefineEventWith(ctx, models.EventDefinitionInput{Name: "signed_up", Label: &label})
		must(t, err)
		dashCampaign(t, ctx, "spring", models.ModeInvitation, false, dashRules("signed_up"))
		list, err := models.ListTranslatable(ctx)
		must(t, err)
		for _, want := range []models.Translatable{{Kind: "campaign_name", Source: "spring"}, {Kind: "step_label", Source: "Sign up"},
			{Kind: "reward_description", Source: "welcome"}, {Kind: "reward_description", Source: "two tickets"}} {
			if !slices.Contains(list, want) {
				t.Errorf("translatable texts %+v lack %+v", list, want)
			}
		}

		_, err = models.SaveGuestTexts(ctx, models.GuestTexts{DefaultLocale: "fr"})
		must(t, err)
		tr, err := models.SaveTranslations(ctx, models.Translations{Locales: map[string]map[string]map[string]string{
			"fr": {models.TranslateCampaignName: {"spring": " Printemps "}, models.TranslateStepLabel: {"Sign up": "Inscription"}},
			"en": {models.TranslateCampaignName: {"spring": "Spring"}, models.TranslateStepLabel: {"Sign up": "  "}}}})
		must(t, err)
		for _, c := range []struct{ locale, kind, source, want string }{
			{"fr", models.TranslateCampaignName, "spring", "Printemps"},
			{"en", models.TranslateCampaignName, "spring", "Spring"},
			{"en", models.TranslateStepLabel, "Sign up", "Inscription"}, // the default locale's
			{"", models.TranslateStepLabel, "Sign up", "Inscription"},
			{"fr", models.TranslateRewardDescription, "welcome", "welcome"}, // as written
		} {
			if got := tr.Translate(c.locale, c.kind, c.source); got != c.want {
				t.Errorf("Translate(%q, %s, %q) = %q, want %q", c.locale, c.kind, c.source, got, c.want)
			}
		}
		for field, in := range map[string]map[string]map[string]map[string]string{
			"translations.de":                      {"de": {models.TranslateCampaignName: {"spring": "Frühling"}}},
			"translations.fr.footer":               {"fr": {"footer": {"spring": "x"}}},
			"translations.fr.step_label.Sign up":   {"fr": {models.TranslateStepLabel: {"Sign up": strings.Repeat("x", 81)}}},
			"translations.fr.campaign_name.spring": {"fr": {models.TranslateCampaignName: {"spring": "Prin\ttemps"}}},
		} {
			var ve *models.ValidationError
			if _, err := models.SaveTranslations(ctx, models.Translations{Locales: in}); !errors.As(err, &ve) || ve.Field != field {
				t.Errorf("%+v: %v, want an error on %s", in, err, field)
			}
		}
		after, err := models.GetTranslations(ctx)
		must(t, err)
		if after.Locales["fr"][models.TranslateCampaignName]["spring"] != "Printemps" || after.DefaultLocale != "fr" {
			t.Errorf("a refused save changed the translations: %+v", after)
		}
		return nil
	})
}
