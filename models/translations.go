package models

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// The words a tenant writes once that a guest or host reads, and which the
// tenant may translate (the schema's tenant_translation_kind check).
const (
	TranslateCampaignName      = "campaign_name"
	TranslateStepLabel         = "step_label"
	TranslateRewardDescription = "reward_description"
)

// translationKinds are the kinds in the console's order, with the length
// of their translations (tenant_translation_length).
var translationKinds = []struct {
	kind string
	max  int
}{{TranslateCampaignName, 200}, {TranslateStepLabel, 80}, {TranslateRewardDescription, 500}}

// MaxTranslation is the length limit of a translation of this kind (0 for
// no such kind).
func MaxTranslation(kind string) int {
	for _, k := range translationKinds {
		if k.kind == kind {
			return k.max
		}
	}
	return 0
}

// Translations are a tenant's translations of its own words: by locale, by
// kind, the text as written to its translation. The widget receives them
// whole and picks by its language in the browser, as Translate does here.
type Translations struct {
	DefaultLocale string                                  `json:"default_locale"`
	Locales       map[string]map[string]map[string]string `json:"locales"`
}

// Translate is source, a text of this kind as the tenant wrote it, for a
// visitor whose language is locale: its translation in locale, else in the
// tenant's default locale, else source itself.
func (t Translations) Translate(locale, kind, source string) string {
	for _, l := range []string{locale, t.DefaultLocale} {
		if s := t.Locales[l][kind][source]; s != "" {
			return s
		}
	}
	return source
}

// TranslationField names one translation's input for a refusal:
// "translations.<locale>.<kind>.<source>".
func TranslationField(locale, kind, source string) string {
	return "translations." + locale + "." + kind + "." + source
}

// normalize trims every translation, drops the empty ones and checks the
// rest as the schema does.
func (t Translations) normalize() (map[string]map[string]map[string]string, error) {
	out := map[string]map[string]map[string]string{}
	for locale, kinds := range t.Locales {
		if !slices.Contains(Locales, locale) {
			return nil, invalid("translations."+locale, "invalid_locale", "must be one of %s", strings.Join(Locales, ", "))
		}
		for kind, texts := range kinds {
			max := MaxTranslation(kind)
			if max == 0 {
				return nil, invalid("translations."+locale+"."+kind, "unknown_kind", "no such kind of text")
			}
			for source, text := range texts {
				field := TranslationField(locale, kind, source)
				if source == "" || len([]rune(source)) > max {
					return nil, invalid(field, "unknown_text", "no such text to translate")
				}
				text = strings.TrimSpace(text)
				if err := validateOneLine(field, text, max); err != nil {
					return nil, err
				}
				if text == "" {
					continue
				}
				if out[locale] == nil {
					out[locale] = map[string]map[string]string{}
				}
				if out[locale][kind] == nil {
					out[locale][kind] = map[string]string{}
				}
				out[locale][kind][source] = text
			}
		}
	}
	return out, nil
}

// GetTranslations returns the tenant's translations and its default
// locale.
func GetTranslations(ctx context.Context) (Translations, error) {
	t, err := noTranslations(ctx)
	if err != nil {
		return Translations{}, err
	}
	return t, t.load(ctx, `SELECT locale, kind, source, translation FROM tenant_translations WHERE tenant_id = @t`,
		map[string]any{"t": tenantOf(ctx)})
}

// noTranslations are none, in the tenant's default locale (English for a
// tenant that never chose one).
func noTranslations(ctx context.Context) (Translations, error) {
	tx, err := db(ctx)
	if err != nil {
		return Translations{}, err
	}
	t := Translations{DefaultLocale: Locales[0], Locales: map[string]map[string]map[string]string{}}
	var def []string
	if err := tx.Raw(`SELECT default_locale FROM tenant_branding WHERE tenant_id = ?`, tenantOf(ctx)).Scan(&def).Error; err != nil {
		return Translations{}, fmt.Errorf("get translations: %w", err)
	}
	if len(def) > 0 {
		t.DefaultLocale = def[0]
	}
	return t, nil
}

// CampaignTranslations returns the tenant's translations of the campaign's
// own words only (its name, its steps' labels, its rewards' descriptions,
// in any of its versions), for the widget: what the tenant wrote for
// another campaign, a draft's name say, never reaches a host or a guest of
// this one.
func CampaignTranslations(ctx context.Context, slug string) (Translations, error) {
	t, err := noTranslations(ctx)
	if err != nil {
		return Translations{}, err
	}
	return t, t.load(ctx, `SELECT t.locale, t.kind, t.source, t.translation FROM tenant_translations t
		JOIN campaigns c ON c.tenant_id = t.tenant_id AND c.slug = @slug
		WHERE t.tenant_id = @t AND c.tenant_id = @t AND CASE t.kind
		  WHEN 'campaign_name' THEN t.source = c.name
		  WHEN 'step_label' THEN t.source IN (SELECT d.label FROM campaign_version_steps s
		    JOIN event_definitions d ON d.tenant_id = s.tenant_id AND d.name = s.event_name
		    WHERE s.tenant_id = @t AND d.tenant_id = @t AND s.campaign_id = c.id)
		  ELSE t.source IN (SELECT m.reward_description FROM campaign_version_milestones m WHERE m.tenant_id = @t AND m.campaign_id = c.id)
		    OR t.source IN (SELECT v.guest_reward_description FROM campaign_versions v WHERE v.tenant_id = @t AND v.campaign_id = c.id)
		END`, map[string]any{"t": tenantOf(ctx), "slug": slug})
}

// load adds the translations the query selects to t.
func (t Translations) load(ctx context.Context, query string, args map[string]any) error {
	tx, err := db(ctx)
	if err != nil {
		return err
	}
	var rows []struct{ Locale, Kind, Source, Translation string }
	if err := tx.Raw(query, args).Scan(&rows).Error; err != nil {
		return fmt.Errorf("get translations: %w", err)
	}
	for _, r := range rows {
		if t.Locales[r.Locale] == nil {
			t.Locales[r.Locale] = map[string]map[string]string{}
		}
		if t.Locales[r.Locale][r.Kind] == nil {
			t.Locales[r.Locale][r.Kind] = map[string]string{}
		}
		t.Locales[r.Locale][r.Kind][r.Source] = r.Translation
	}
	return nil
}

// SaveTranslations replaces the tenant's translations with in's (its
// default locale is the branding's, not changed here) and audits the
// change (translations.saved).
func SaveTranslations(ctx context.Context, in Translations) (Translations, error) {
	locales, err := in.normalize()
	if err != nil {
		return Translations{}, err
	}
	before, err := GetTranslations(ctx)
	if err != nil {
		return Translations{}, err
	}
	tx, err := db(ctx)
	if err != nil {
		return Translations{}, err
	}
	// The branding row locked first (made if missing, changed in nothing)
	// queues two saves of one tenant, so the second deletes what the first
	// inserted rather than colliding with it.
	if err := tx.Exec(`INSERT INTO tenant_branding (tenant_id) VALUES (?)
		ON CONFLICT (tenant_id) DO UPDATE SET default_locale = tenant_branding.default_locale`, tenantOf(ctx)).Error; err != nil {
		return Translations{}, dbError("save translations", err, nil)
	}
	if err := tx.Exec(`DELETE FROM tenant_translations WHERE tenant_id = ?`, tenantOf(ctx)).Error; err != nil {
		return Translations{}, dbError("save translations", err, nil)
	}
	for locale, kinds := range locales {
		for kind, texts := range kinds {
			for source, text := range texts {
				if err := tx.Exec(`INSERT INTO tenant_translations (tenant_id, locale, kind, source, translation) VALUES (?, ?, ?, ?, ?)`,
					tenantOf(ctx), locale, kind, source, text).Error; err != nil {
					return Translations{}, dbError("save translations", err, nil)
				}
			}
		}
	}
	after, err := GetTranslations(ctx)
	if err != nil {
		return Translations{}, err
	}
	return after, Audit(ctx, "translations.saved", "translations", before.Locales, after.Locales)
}

// WidgetTranslations are translations as the widget receives them: a
// list, which it indexes by locale, kind and text.
type WidgetTranslations struct {
	DefaultLocale string        `json:"default_locale"`
	Items         []Translation `json:"items"`
}

// Translation is one text as written, of its kind, in one locale.
type Translation struct {
	Locale      string `json:"locale"`
	Kind        string `json:"kind"`
	Source      string `json:"source"`
	Translation string `json:"translation"`
}

// Widget returns t as the widget receives it, in a stable order.
func (t Translations) Widget() WidgetTranslations {
	w := WidgetTranslations{DefaultLocale: t.DefaultLocale, Items: []Translation{}}
	for _, locale := range Locales {
		for _, k := range translationKinds {
			texts := t.Locales[locale][k.kind]
			for _, source := range slices.Sorted(maps.Keys(texts)) {
				w.Items = append(w.Items, Translation{locale, k.kind, source, texts[source]})
			}
		}
	}
	return w
}

// Translatable is one of the tenant's texts as written, which the console
// offers to translate.
type Translatable struct {
	Kind, Source string
}

// ListTranslatable returns every campaign name, event label and reward
// description (of a campaign's current version) the tenant has written,
// by kind then text, each once.
func ListTranslatable(ctx context.Context) ([]Translatable, error) {
	tx, err := db(ctx)
	if err != nil {
		return nil, err
	}
	var out []Translatable
	err = tx.Raw(`SELECT DISTINCT kind, source FROM (
		  SELECT 'campaign_name' AS kind, name AS source FROM campaigns WHERE tenant_id = @t
		  UNION ALL
		  SELECT 'step_label', label FROM event_definitions WHERE tenant_id = @t AND label <> ''
		  UNION ALL
		  SELECT 'reward_description', v.guest_reward_description FROM campaigns c
		  JOIN campaign_versions v ON v.tenant_id = c.tenant_id AND v.campaign_id = c.id AND v.version = c.current_version
		  WHERE c.tenant_id = @t AND v.tenant_id = @t AND v.guest_reward_description IS NOT NULL
		  UNION ALL
		  SELECT 'reward_description', m.reward_description FROM campaigns c
		  JOIN campaign_version_milestones m ON m.tenant_id = c.tenant_id AND m.campaign_id = c.id AND m.version = c.current_version
		  WHERE c.tenant_id = @t AND m.tenant_id = @t
		) s ORDER BY kind, source`, map[string]any{"t": tenantOf(ctx)}).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("list translatable texts: %w", err)
	}
	return out, nil
}
