package models

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"
)

// Branding is what a tenant's guests and hosts see of the tenant on the
// invite page and in the widget. Empty fields keep Tandem's defaults.
type Branding struct {
	// LogoURL is an absolute http(s) URL of an image.
	LogoURL string `json:"logo_url"`
	// AccentColor is #rrggbb, lower case.
	AccentColor string `json:"accent_color"`
	// SenderName is the name the tenant signs with; empty signs with the
	// tenant's name.
	SenderName string     `json:"sender_name"`
	UpdatedAt  *time.Time `json:"updated_at,omitempty"`
}

// Bounds of the branding's texts (the schema's branding_* checks).
const (
	MaxLogoURL        = 2048
	MaxSenderName     = 80
	MaxInviteHeadline = 120
)

// accentColor is the one form of colour the schema stores.
var accentColor = regexp.MustCompile(`^#[0-9a-f]{6}$`)

// normalize trims the fields and writes the colour in lower case, then
// checks them as the schema does, field by field.
func (b Branding) normalize() (Branding, error) {
	b.LogoURL, b.SenderName = strings.TrimSpace(b.LogoURL), strings.TrimSpace(b.SenderName)
	b.AccentColor = strings.ToLower(strings.TrimSpace(b.AccentColor))
	if err := validateText("logo_url", b.LogoURL, 0, MaxLogoURL); err != nil {
		return b, err
	}
	if err := validateURL("logo_url", b.LogoURL); err != nil {
		return b, err
	}
	if strings.ContainsAny(b.LogoURL, `"'<>\`) {
		return b, invalid("logo_url", "invalid_url", "the URL may not contain quotes, angle brackets or backslashes")
	}
	if b.AccentColor != "" && !accentColor.MatchString(b.AccentColor) {
		return b, invalid("accent_color", "invalid_color", "must be a colour as #rrggbb")
	}
	if err := validateOneLine("sender_name", b.SenderName, MaxSenderName); err != nil {
		return b, err
	}
	return b, nil
}

// validateOneLine checks a text a guest reads in a heading: at most max
// characters on one line (the spaces around it trimmed by the caller).
func validateOneLine(field, s string, max int) error {
	if err := validateText(field, s, 0, max); err != nil {
		return err
	}
	if strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return invalid(field, "invalid_text", "must be one line")
	}
	return nil
}

// GetBranding returns the tenant's branding; a tenant that never saved
// any has none.
func GetBranding(ctx context.Context) (Branding, error) {
	tx, err := db(ctx)
	if err != nil {
		return Branding{}, err
	}
	var rows []Branding
	if err := tx.Raw(`SELECT logo_url, accent_color, sender_name, updated_at FROM tenant_branding WHERE tenant_id = ?`,
		tenantOf(ctx)).Scan(&rows).Error; err != nil {
		return Branding{}, fmt.Errorf("get branding: %w", err)
	}
	if len(rows) == 0 {
		return Branding{}, nil
	}
	return rows[0], nil
}

// SaveBranding replaces the tenant's branding and audits the change.
func SaveBranding(ctx context.Context, in Branding) (Branding, error) {
	in, err := in.normalize()
	if err != nil {
		return Branding{}, err
	}
	before, err := GetBranding(ctx)
	if err != nil {
		return Branding{}, err
	}
	tx, err := db(ctx)
	if err != nil {
		return Branding{}, err
	}
	// updated_at takes the proposed row's default now(): Citus refuses a
	// function in DO UPDATE SET unless it is IMMUTABLE.
	err = tx.Exec(`INSERT INTO tenant_branding (tenant_id, logo_url, accent_color, sender_name) VALUES (?, ?, ?, ?)
		ON CONFLICT (tenant_id) DO UPDATE SET logo_url = EXCLUDED.logo_url, accent_color = EXCLUDED.accent_color,
		  sender_name = EXCLUDED.sender_name, updated_at = EXCLUDED.updated_at`,
		tenantOf(ctx), in.LogoURL, in.AccentColor, in.SenderName).Error
	if err != nil {
		return Branding{}, dbError("save branding", err, nil)
	}
	after, err := GetBranding(ctx)
	if err != nil {
		return Branding{}, err
	}
	return after, Audit(ctx, "branding.saved", "branding", before, after)
}

// SetInviteHeadline sets the invite page's headline of the campaign with
// slug ({host} stands for the host's name; "" is the mode's default) and
// audits the change.
func SetInviteHeadline(ctx context.Context, slug, headline string) error {
	headline = strings.TrimSpace(headline)
	if err := validateOneLine("invite_headline", headline, MaxInviteHeadline); err != nil {
		return err
	}
	c, err := GetCampaign(ctx, slug)
	if err != nil {
		return err
	}
	tx, err := db(ctx)
	if err != nil {
		return err
	}
	before, err := InviteHeadline(ctx, c.ID)
	if err != nil {
		return err
	}
	if err := tx.Exec(`UPDATE campaigns SET invite_headline = ? WHERE tenant_id = ? AND id = ?`, headline, tenantOf(ctx), c.ID).Error; err != nil {
		return dbError("set invite headline", err, nil)
	}
	return Audit(ctx, "campaign.invite_headline_saved", c.ID,
		map[string]string{"invite_headline": before}, map[string]string{"invite_headline": headline})
}

// InviteHeadline returns the invite page's headline of the campaign with
// id, as saved ("" for the mode's default).
func InviteHeadline(ctx context.Context, campaignID string) (string, error) {
	tx, err := db(ctx)
	if err != nil {
		return "", err
	}
	var headline string
	if err := tx.Raw(`SELECT invite_headline FROM campaigns WHERE tenant_id = ? AND id = ?`, tenantOf(ctx), campaignID).Scan(&headline).Error; err != nil {
		return "", fmt.Errorf("invite headline: %w", err)
	}
	return headline, nil
}

// CampaignHeadline is a campaign's invite headline, for the settings that
// list them.
type CampaignHeadline struct {
	Slug     string
	Name     string
	Mode     string
	Headline string
}

// ListInviteHeadlines returns every campaign that is not ended with its
// invite headline, by name.
func ListInviteHeadlines(ctx context.Context) ([]CampaignHeadline, error) {
	tx, err := db(ctx)
	if err != nil {
		return nil, err
	}
	var rows []CampaignHeadline
	if err := tx.Raw(`SELECT slug, name, mode, invite_headline AS headline FROM campaigns
		WHERE tenant_id = ? AND status <> 'ended' ORDER BY name, slug`, tenantOf(ctx)).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("list invite headlines: %w", err)
	}
	return rows, nil
}
