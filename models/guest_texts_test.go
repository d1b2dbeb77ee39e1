package models_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/tandemhq/tandem/models"
)

// The tenant's texts (migrations/00071_tenant_texts.sql), attacked in SQL:
// only the locales Tandem speaks, only the texts it reads, one line within
// each text's limit, braces only as the text's placeholders, one text per
// (locale, name), and another tenant's texts out of reach.
func TestSchemaTenantTexts(t *testing.T) {
	r := newRawDB(t)
	a, b := env.NewTenant(t, "Texts A"), env.NewTenant(t, "Texts B")
	env.InTenant(t, a.TenantID, func(ctx context.Context) error {
		_, err := models.SaveGuestTexts(ctx, models.GuestTexts{Texts: map[string]map[string]string{
			"en": {models.TextInviteHeadline: "Come along"}}})
		return err
	})
	ins := func(locale, name, body string) sqlStmt {
		return q(`INSERT INTO tenant_texts (locale, name, body) VALUES ($1, $2, $3)`, locale, name, body)
	}
	r.run(t, a.TenantID, []attack{
		{name: "control: a French offer", stmt: ins("fr", "widget_offer", "{host} vous offre {reward}"), rows: 1},
		{name: "an unknown locale", stmt: ins("de", "widget_offer", "Hallo"), code: checkViolation, constraint: "tenant_text_locale"},
		{name: "a locale in upper case", stmt: ins("FR", "widget_offer", "Salut"), code: checkViolation, constraint: "tenant_text_locale"},
		{name: "an unknown text", stmt: ins("en", "footer", "Hi"), code: checkViolation, constraint: "tenant_text_name"},
		{name: "empty", stmt: ins("en", "invite_body", ""), code: checkViolation, constraint: "tenant_text_body"},
		{name: "outer spaces", stmt: ins("en", "invite_body", " Hi"), code: checkViolation, constraint: "tenant_text_body"},
		{name: "two lines", stmt: ins("en", "invite_body", "Hi\nthere"), code: checkViolation, constraint: "tenant_text_body"},
		{name: "a headline of 121", stmt: ins("en", "invite_headline", strings.Repeat("x", 121)), code: checkViolation, constraint: "tenant_text_body"},
		{name: "control: a paragraph of 400", stmt: ins("en", "invite_body", strings.Repeat("é", 400)), rows: 1},
		{name: "a paragraph of 401", stmt: ins("en", "invite_body", strings.Repeat("x", 401)), code: checkViolation, constraint: "tenant_text_body"},
		{name: "an empty state of 201", stmt: ins("en", "widget_no_rewards", strings.Repeat("x", 201)), code: checkViolation, constraint: "tenant_text_body"},
		{name: "{reward} in a headline", stmt: ins("en", "invite_headline", "Get {reward}"), code: checkViolation, constraint: "tenant_text_placeholders"},
		{name: "{host} in an empty state", stmt: ins("en", "widget_no_rewards", "{host}, nothing yet"), code: checkViolation, constraint: "tenant_text_placeholders"},
		{name: "a stray brace", stmt: ins("en", "widget_offer", "{host invited you"), code: checkViolation, constraint: "tenant_text_placeholders"},
		{name: "the same text twice", stmt: ins("en", "invite_headline", "Again"), code: uniqueViolation, constraint: "tenant_texts_pkey"},
		{name: "an unknown default locale", stmt: q(`UPDATE tenant_branding SET default_locale = 'es'`), code: checkViolation, constraint: "branding_default_locale"},
	})
	r.run(t, b.TenantID, []attack{
		{name: "B rewrites A's texts", stmt: q(`UPDATE tenant_texts SET body = 'Hacked'`), rows: 0},
		{name: "B deletes A's texts", stmt: q(`DELETE FROM tenant_texts`), rows: 0},
		{name: "B writes into A", stmt: q(`INSERT INTO tenant_texts (tenant_id, locale, name, body) VALUES ($1, 'en', 'invite_body', 'x')`, a.TenantID),
			code: insufficientPriv},
	})
}

// A visitor reads the tenant's text in their language, else in the
// tenant's default locale, else Tandem's own ("" here); texts are trimmed,
// empty ones dropped, and a refused one names its locale and text.
func TestGuestTextsFallbackAndValidation(t *testing.T) {
	tenant := env.NewTenant(t, "Texts fallback")
	env.InTenant(t, tenant.TenantID, func(ctx context.Context) error {
		g, err := models.GetGuestTexts(ctx)
		must(t, err)
		if g.DefaultLocale != "en" || g.NameHosts || len(g.Texts) != 0 {
			t.Errorf("a new tenant's texts %+v, want none, in English, naming no host", g)
		}
		g, err = models.SaveGuestTexts(ctx, models.GuestTexts{DefaultLocale: "fr", NameHosts: true, Texts: map[string]map[string]string{
			"fr": {models.TextInviteHeadline: "  {host} vous invite  ", models.TextWidgetOffer: "Bienvenue"},
			"en": {models.TextWidgetOffer: "Welcome", models.TextInviteBody: "   "}}})
		must(t, err)
		for _, c := range []struct{ locale, name, want, in string }{
			{"en", models.TextWidgetOffer, "Welcome", "en"},
			{"fr", models.TextWidgetOffer, "Bienvenue", "fr"},
			{"en", models.TextInviteHeadline, "{host} vous invite", "fr"}, // the default locale's
			{"", models.TextInviteHeadline, "{host} vous invite", "fr"},   // a language the tenant has no texts in
			{"en", models.TextInviteBody, "", ""},                         // Tandem's own
			{"fr", models.TextWidgetNoRewards, "", ""},
		} {
			if got, in := g.Text(c.locale, c.name); got != c.want || in != c.in {
				t.Errorf("Text(%q, %s) = %q in %q, want %q in %q", c.locale, c.name, got, in, c.want, c.in)
			}
		}
		if w := g.Widget(); w.DefaultLocale != "fr" || len(w.Locales["fr"]) != 1 || w.Locales["en"][models.TextWidgetOffer] != "Welcome" {
			t.Errorf("the widget's texts %+v, want the widget's places only", w)
		}
		for field, in := range map[string]models.GuestTexts{
			"default_locale":             {DefaultLocale: "de"},
			"texts.de":                   {Texts: map[string]map[string]string{"de": {models.TextWidgetOffer: "Hallo"}}},
			"texts.en.footer":            {Texts: map[string]map[string]string{"en": {"footer": "Hi"}}},
			"texts.en.invite_headline":   {Texts: map[string]map[string]string{"en": {models.TextInviteHeadline: strings.Repeat("x", 121)}}},
			"texts.fr.widget_offer":      {Texts: map[string]map[string]string{"fr": {models.TextWidgetOffer: "{hote} vous invite"}}},
			"texts.en.widget_no_rewards": {Texts: map[string]map[string]string{"en": {models.TextWidgetNoRewards: "line\tbreak"}}},
		} {
			var ve *models.ValidationError
			if _, err := models.SaveGuestTexts(ctx, in); !errors.As(err, &ve) || ve.Field != field {
				t.Errorf("%+v: %v, want an error on %s", in, err, field)
			}
		}
		after, err := models.GetGuestTexts(ctx)
		must(t, err)
		if after.Texts["fr"][models.TextWidgetOffer] != "Bienvenue" {
			t.Errorf("a refused save changed the texts: %+v", after)
		}
		return nil
	})
}

// Two saves of one tenant's texts at once both succeed, one after the
// other: the second replaces the first's texts rather than colliding with
// them on the primary key.
func TestGuestTextsConcurrentSaves(t *testing.T) {
	tenant := env.NewTenant(t, "Texts race")
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- env.TryInTenant(tenant.TenantID, func(ctx context.Context) error {
				_, err := models.SaveGuestTexts(ctx, models.GuestTexts{Texts: map[string]map[string]string{
					"en": {models.TextWidgetOffer: strings.Repeat("!", i+1), models.TextInviteBody: "Same"}}})
				return err
			})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	env.InTenant(t, tenant.TenantID, func(ctx context.Context) error {
		g, err := models.GetGuestTexts(ctx)
		must(t, err)
		if len(g.Texts["en"]) != 2 {
			t.Errorf("texts after the race: %+v", g.Texts)
		}
		return nil
	})
}
