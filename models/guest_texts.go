package models

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// Locales are the languages Tandem's own copy for guests and hosts is
// written in (the widget's dictionaries, widgetjs/src/i18n.js), and so the
// only ones a tenant's texts may be in: the schema's tenant_text_locale
// and branding_default_locale checks.
var Locales = []string{"en", "fr"}

// The texts a tenant may write for its guests and hosts, per locale (the
// schema's tenant_text_name check).
const (
	// TextInviteHeadline is the invite page's headline, {host} standing
	// for the host; a campaign's own headline still comes first.
	TextInviteHeadline = "invite_headline"
	// TextInviteBody is a paragraph under the invite page's headline.
	TextInviteBody = "invite_body"
	// TextWidgetOffer is the widget's guest offer, with {host} and
	// {reward}.
	TextWidgetOffer = "widget_offer"
	// The widget's empty states, which the host reads: no friend yet in a
	// referrer-code campaign, in an invitation campaign, no reward yet.
	TextWidgetNoFriendsCode       = "widget_no_friends_code"
	TextWidgetNoFriendsInvitation = "widget_no_friends_invitation"
	TextWidgetNoRewards           = "widget_no_rewards"
)

// guestTextRule is what one text may hold: its length (the schema's
// tenant_text_body) and its placeholders (tenant_text_placeholders).
type guestTextRule struct {
	max          int
	placeholders []string
}

// guestTextRules lists every text, in the order the console shows them.
var guestTextRules = []struct {
	name string
	guestTextRule
}{
	{TextInviteHeadline, guestTextRule{120, []string{"{host}"}}},
	{TextInviteBody, guestTextRule{400, []string{"{host}"}}},
	{TextWidgetOffer, guestTextRule{200, []string{"{host}", "{reward}"}}},
	{TextWidgetNoFriendsCode, guestTextRule{200, nil}},
	{TextWidgetNoFriendsInvitation, guestTextRule{200, nil}},
	{TextWidgetNoRewards, guestTextRule{200, nil}},
}

// GuestTextNames are the names of the texts a tenant may write, in the
// console's order.
func GuestTextNames() []string {
	names := make([]string, len(guestTextRules))
	for i, r := range guestTextRules {
		names[i] = r.name
	}
	return names
}

// MaxGuestText is the length limit of the text name.
func MaxGuestText(name string) int {
	for _, r := range guestTextRules {
		if r.name == name {
			return r.max
		}
	}
	return 0
}

// GuestTexts are a tenant's words for its guests and hosts, and who they
// name.
type GuestTexts struct {
	// DefaultLocale is read where the visitor's language has no text.
	DefaultLocale string `json:"default_locale"`
	// NameHosts lets the invite page and the guest offer say the host's
	// display name; off, they say "a friend".
	NameHosts bool `json:"name_hosts"`
	// Texts maps a locale to its texts by name; a text not set has no
	// entry.
	Texts map[string]map[string]string `json:"texts"`
}

// Text is the tenant's text name for a visitor whose language is locale:
// its text in locale, else in its default locale, else "" (Tandem's own
// copy then). It says which locale the text is in, for the lang attribute
// of what shows it.
func (g GuestTexts) Text(locale, name string) (text, in string) {
	for _, l := range []string{locale, g.DefaultLocale} {
		if t := g.Texts[l][name]; t != "" {
			return t, l
		}
	}
	return "", ""
}

// normalize trims every text, drops the empty ones and checks the rest as
// the schema does. A refused text's field is "texts.<locale>.<name>".
func (g GuestTexts) normalize() (GuestTexts, error) {
	if g.DefaultLocale == "" {
		g.DefaultLocale = Locales[0]
	}
	if !slices.Contains(Locales, g.DefaultLocale) {
		return g, invalid("default_locale", "invalid_locale", "must be one of %s", strings.Join(Locales, ", "))
	}
	out := map[string]map[string]string{}
	for locale, texts := range g.Texts {
		if !slices.Contains(Locales, locale) {
			return g, invalid("texts."+locale, "invalid_locale", "must be one of %s", strings.Join(Locales, ", "))
		}
		for name, text := range texts {
			field := "texts." + locale + "." + name
			max := MaxGuestText(name)
			if max == 0 {
				return g, invalid(field, "unknown_text", "no such text")
			}
			text = strings.TrimSpace(text)
			if err := validateOneLine(field, text, max); err != nil {
				return g, err
			}
			if err := checkPlaceholders(field, name, text); err != nil {
				return g, err
			}
			if text == "" {
				continue
			}
			if out[locale] == nil {
				out[locale] = map[string]string{}
			}
			out[locale][name] = text
		}
	}
	g.Texts = out
	return g, nil
}

// checkPlaceholders refuses braces that are not the text's placeholders.
func checkPlaceholders(field, name, text string) error {
	for _, r := range guestTextRules {
		if r.name != name {
			continue
		}
		rest := text
		for _, p := range r.placeholders {
			rest = strings.ReplaceAll(rest, p, "")
		}
		switch {
		case !strings.ContainsAny(rest, "{}"):
			return nil
		case len(r.placeholders) == 0:
			return invalid(field, "invalid_placeholder", "this text takes no placeholder: remove the braces")
		default:
			return invalid(field, "invalid_placeholder", "the placeholders here are %s, nothing else in braces",
				strings.Join(r.placeholders, " and "))
		}
	}
	return nil
}

// GetGuestTexts returns the tenant's texts and settings; a tenant that
// never saved any has none, in English, naming no host.
func GetGuestTexts(ctx context.Context) (GuestTexts, error) {
	tx, err := db(ctx)
	if err != nil {
		return GuestTexts{}, err
	}
	g := GuestTexts{DefaultLocale: Locales[0], Texts: map[string]map[string]string{}}
	var settings []struct {
		DefaultLocale string
		NameHosts     bool
	}
	if err := tx.Raw(`SELECT default_locale, name_hosts FROM tenant_branding WHERE tenant_id = ?`, tenantOf(ctx)).
		Scan(&settings).Error; err != nil {
		return GuestTexts{}, fmt.Errorf("get guest texts: %w", err)
	}
	if len(settings) > 0 {
		g.DefaultLocale, g.NameHosts = settings[0].DefaultLocale, settings[0].NameHosts
	}
	var rows []struct{ Locale, Name, Body string }
	if err := tx.Raw(`SELECT locale, name, body FROM tenant_texts WHERE tenant_id = ? ORDER BY locale, name`, tenantOf(ctx)).
		Scan(&rows).Error; err != nil {
		return GuestTexts{}, fmt.Errorf("get guest texts: %w", err)
	}
	for _, r := range rows {
		if g.Texts[r.Locale] == nil {
			g.Texts[r.Locale] = map[string]string{}
		}
		g.Texts[r.Locale][r.Name] = r.Body
	}
	return g, nil
}

// SaveGuestTexts replaces the tenant's texts and settings and audits the
// change (texts.saved).
func SaveGuestTexts(ctx context.Context, in GuestTexts) (GuestTexts, error) {
	in, err := in.normalize()
	if err != nil {
		return GuestTexts{}, err
	}
	before, err := GetGuestTexts(ctx)
	if err != nil {
		return GuestTexts{}, err
	}
	tx, err := db(ctx)
	if err != nil {
		return GuestTexts{}, err
	}
	// The branding row first: its lock queues two saves of one tenant, so
	// the second deletes the texts the first inserted rather than
	// colliding with them.
	if err := tx.Exec(`INSERT INTO tenant_branding (tenant_id, default_locale, name_hosts) VALUES (?, ?, ?)
		ON CONFLICT (tenant_id) DO UPDATE SET default_locale = EXCLUDED.default_locale, name_hosts = EXCLUDED.name_hosts`,
		tenantOf(ctx), in.DefaultLocale, in.NameHosts).Error; err != nil {
		return GuestTexts{}, dbError("save guest texts", err, nil)
	}
	if err := tx.Exec(`DELETE FROM tenant_texts WHERE tenant_id = ?`, tenantOf(ctx)).Error; err != nil {
		return GuestTexts{}, dbError("save guest texts", err, nil)
	}
	for _, locale := range Locales {
		for _, name := range GuestTextNames() {
			text := in.Texts[locale][name]
			if text == "" {
				continue
			}
			if err := tx.Exec(`INSERT INTO tenant_texts (tenant_id, locale, name, body) VALUES (?, ?, ?, ?)`,
				tenantOf(ctx), locale, name, text).Error; err != nil {
				return GuestTexts{}, dbError("save guest texts", err, nil)
			}
		}
	}
	after, err := GetGuestTexts(ctx)
	if err != nil {
		return GuestTexts{}, err
	}
	return after, Audit(ctx, "texts.saved", "texts", before, after)
}

// WidgetTexts are the tenant's texts the widget shows, in every locale:
// the widget picks its language in the browser (its locale attribute,
// then the browser's languages) and falls back as GuestTexts.Text does.
type WidgetTexts struct {
	DefaultLocale string                       `json:"default_locale"`
	Locales       map[string]map[string]string `json:"locales"`
}

// Widget returns the texts of the widget's places.
func (g GuestTexts) Widget() WidgetTexts {
	w := WidgetTexts{DefaultLocale: g.DefaultLocale, Locales: map[string]map[string]string{}}
	for locale, texts := range g.Texts {
		for name, text := range texts {
			if !strings.HasPrefix(name, "widget_") {
				continue
			}
			if w.Locales[locale] == nil {
				w.Locales[locale] = map[string]string{}
			}
			w.Locales[locale][name] = text
		}
	}
	return w
}
