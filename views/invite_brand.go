package views

import (
	"math"
	"strconv"
	"strings"

	"github.com/tandemhq/tandem/models"
)

// InviteHeadline is the invite page's headline: the campaign's own, with
// {host} standing for the host's name, or the default of the campaign's
// mode. Both read as a sentence with or without a host's name, and name
// the tenant rather than the campaign (whose name is often the tenant's
// own label for it, "Bring a friend").
func InviteHeadline(custom, mode, host, tenant string) string {
	if custom != "" {
		return FillHost(custom, host, "en")
	}
	who := hostOrFriend(host)
	if mode == models.ModeReferrerCode {
		return who + " recommends " + tenant + " to you"
	}
	return who + " invited you to join " + tenant
}

// aFriend is who a text in each locale names when the host has no name
// (or the tenant names no host): capitalised at a sentence's start.
var aFriend = map[string][2]string{"en": {"a friend", "A friend"}, "fr": {"un ami", "Un ami"}}

// FillHost puts the host's name in place of {host} in a tenant's text
// written in lang, or "a friend" in that language when there is none.
func FillHost(text, host, lang string) string {
	if !strings.Contains(text, "{host}") {
		return text
	}
	if host == "" {
		words, ok := aFriend[lang]
		if !ok {
			words = aFriend["en"]
		}
		host = words[0]
		if strings.HasPrefix(text, "{host}") {
			text = strings.Replace(text, "{host}", words[1], 1)
		}
	}
	return strings.ReplaceAll(text, "{host}", host)
}

// signature is the name a tenant's guests read: its sender name, or its
// name.
func signature(b models.Branding, tenant string) string {
	if b.SenderName != "" {
		return b.SenderName
	}
	return tenant
}

// BrandCSS is the stylesheet of a tenant's accent colour ("" for none):
// the colour, and the ink on it (black or white, whichever contrasts
// more). The colour is #rrggbb (models.Branding, and the schema's
// branding_accent_color), so it can go into a stylesheet as it is; the
// invite page's Content-Security-Policy admits exactly this text by its
// hash.
func BrandCSS(b models.Branding) string {
	if len(b.AccentColor) != 7 {
		return ""
	}
	return ":root{--accent:" + b.AccentColor + ";--accent-ink:" + inkOn(b.AccentColor) + "}"
}

// inkOn is the text colour with the higher contrast on the colour #rrggbb
// (WCAG's relative luminance).
func inkOn(color string) string {
	var lum float64
	for i, weight := range []float64{0.2126, 0.7152, 0.0722} {
		v, _ := strconv.ParseUint(color[1+2*i:3+2*i], 16, 8)
		c := float64(v) / 255
		if c <= 0.04045 {
			c /= 12.92
		} else {
			c = math.Pow((c+0.055)/1.055, 2.4)
		}
		lum += weight * c
	}
	if (lum+0.05)/0.05 > 1.05/(lum+0.05) {
		return "#000000"
	}
	return "#ffffff"
}
