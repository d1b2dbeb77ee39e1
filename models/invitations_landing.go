package models

import (
	"context"
	"database/sql"
	"time"
)

// The states of a public invite link.
const (
	// LandingOpen: a pending invitation or a referrer code, in a campaign
	// that is running; the guest can go on and sign up.
	LandingOpen = "open"
	// LandingClaimed: a manual invitation someone has already used.
	LandingClaimed = "claimed"
	// LandingExpired: a manual invitation past its expiry.
	LandingExpired = "expired"
	// LandingCampaignNotLive: the campaign is paused or ended, or outside
	// its start and end, so the code cannot be claimed now.
	LandingCampaignNotLive = "campaign_not_live"
)

// Landing is what the public page of an invite or referrer code shows.
type Landing struct {
	Code  string
	Kind  string // ModeInvitation or ModeReferrerCode
	State string
	// TenantName, CampaignName and SignupURL come from the tenant's
	// settings; HostName is the host's display name, often empty, and
	// always empty unless the tenant lets its guests be told it
	// (GuestTexts.NameHosts).
	TenantName   string
	CampaignName string
	SignupURL    string
	HostName     string
	// CampaignSlug names the code's campaign to the widget's offer.
	CampaignSlug string
	// GuestReward describes the guest reward of the campaign's current
	// version, the one a claim now would pin; empty when there is none.
	GuestReward string
	// ExpiresAt is when a manual invitation stops being claimable; nil for
	// referrer codes and invitations without a lifetime.
	ExpiresAt *time.Time
	// Headline is the campaign's invite headline ("" for the default of
	// its mode), Branding the tenant's, Texts its words for guests and
	// Translations those of the campaign's name and the guest's reward.
	Headline     string
	Branding     Branding
	Texts        GuestTexts
	Translations Translations
}

// landingSelect finds a code among manual invitations and referrer codes
// with what its page shows. Expiry and liveness are judged by the
// database's clock, as the claim triggers judge them.
const landingSelect = `
	WITH hit AS (
	  SELECT i.tenant_id, i.campaign_id, i.host_id, 'invitation' AS kind,
	         i.guest_id IS NOT NULL AS claimed, i.expires_at <= now() AS expired, i.expires_at
	  FROM invitations i WHERE i.tenant_id = @tenant AND i.code = @code
	  UNION ALL
	  SELECT r.tenant_id, r.campaign_id, r.host_id, 'referrer_code', false, false, NULL::timestamptz
	  FROM referrer_codes r WHERE r.tenant_id = @tenant AND r.code = @code
	)
	SELECT hit.kind, hit.claimed, hit.expired, hit.expires_at, campaign_is_live(c.status, c.starts_at, c.ends_at) AS live,
	       t.name AS tenant_name, c.name AS campaign_name, c.slug AS campaign_slug, c.signup_url,
	       h.display_name AS host_name, coalesce(v.guest_reward_description, '') AS guest_reward,
	       c.invite_headline AS headline
	FROM hit
	JOIN tenants t ON t.id = hit.tenant_id
	JOIN campaigns c ON c.tenant_id = hit.tenant_id AND c.id = hit.campaign_id
	JOIN participants h ON h.tenant_id = hit.tenant_id AND h.id = hit.host_id
	LEFT JOIN campaign_versions v
	  ON v.tenant_id = c.tenant_id AND v.campaign_id = c.id AND v.version = c.current_version
	LIMIT 1`

// InviteLanding returns what the public page of code shows and whether
// the code can still be used, or ErrCodeNotFound. Reading it changes
// nothing: only a claim through the API uses a code.
func InviteLanding(ctx context.Context, code string) (Landing, error) {
	code, err := NormalizeCode(code)
	if err != nil {
		return Landing{}, err
	}
	tx, err := db(ctx)
	if err != nil {
		return Landing{}, err
	}
	var row struct {
		Kind                   string
		Claimed, Expired, Live bool
		TenantName             string
		CampaignName           string
		CampaignSlug           string
		SignupURL              string
		HostName               string
		GuestReward            string
		ExpiresAt              *time.Time
		Headline               string
	}
	if err := tx.Raw(landingSelect, sql.Named("tenant", tenantOf(ctx)), sql.Named("code", code)).Take(&row).Error; err != nil {
		return Landing{}, dbError("invite landing", err, ErrCodeNotFound)
	}
	// Read on their own: Citus plans no join of them into the statement
	// above.
	branding, err := GetBranding(ctx)
	if err != nil {
		return Landing{}, err
	}
	texts, err := GetGuestTexts(ctx)
	if err != nil {
		return Landing{}, err
	}
	if !texts.NameHosts {
		row.HostName = ""
	}
	translations, err := GetTranslations(ctx)
	if err != nil {
		return Landing{}, err
	}
	return Landing{
		Code: code, Kind: row.Kind, State: landingState(row.Claimed, row.Expired, row.Live),
		TenantName: row.TenantName, CampaignName: row.CampaignName, CampaignSlug: row.CampaignSlug, SignupURL: row.SignupURL,
		HostName: row.HostName, GuestReward: row.GuestReward, ExpiresAt: row.ExpiresAt, Headline: row.Headline,
		Branding: branding, Texts: texts, Translations: translations,
	}, nil
}

// landingState says what a code can do, the reason closest to the code
// first: a used invitation stays used even after its campaign ends.
func landingState(claimed, expired, live bool) string {
	switch {
	case claimed:
		return LandingClaimed
	case expired:
		return LandingExpired
	case !live:
		return LandingCampaignNotLive
	default:
		return LandingOpen
	}
}
