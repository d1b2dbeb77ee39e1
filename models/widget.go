package models

import (
	"context"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// The widget's errors.
var (
	ErrWidgetKeyNotLive = &Error{Forbidden, "secret_key_required", "widget tokens are minted by a live secret key"}
	ErrTokenLifetime    = invalid("expires_in", "invalid_expires_in", "a widget token lives 1 second to 24 hours")
	errWidgetOrigins    = invalid("allowed_origins", "invalid_origin", "origins are scheme://host[:port], at most %d", MaxAllowedOrigins)
)

// MaxWidgetTokenLifetime bounds a widget token's life (the schema's
// widget_token_lifetime); DefaultWidgetTokenLifetime is used when the
// tenant's backend names none.
const (
	MaxWidgetTokenLifetime     = 24 * time.Hour
	DefaultWidgetTokenLifetime = time.Hour
)

// WidgetSettings are a tenant's widget settings.
type WidgetSettings struct {
	AllowedOrigins []string   `json:"allowed_origins" gorm:"serializer:json"`
	UpdatedAt      *time.Time `json:"updated_at"`
}

// GetWidgetSettings returns the tenant's widget settings; a tenant that
// never saved any has no origin.
func GetWidgetSettings(ctx context.Context) (WidgetSettings, error) {
	tx, err := db(ctx)
	if err != nil {
		return WidgetSettings{}, err
	}
	var rows []WidgetSettings
	err = tx.Raw(`SELECT to_json(allowed_origins) AS allowed_origins, updated_at FROM widget_settings WHERE tenant_id = ?`,
		tenantOf(ctx)).Scan(&rows).Error
	if err != nil {
		return WidgetSettings{}, fmt.Errorf("get widget settings: %w", err)
	}
	if len(rows) == 0 {
		return WidgetSettings{AllowedOrigins: []string{}}, nil
	}
	return rows[0], nil
}

// SaveWidgetSettings replaces the origins the widget answers, after
// NormalizeOrigins, and audits the change.
func SaveWidgetSettings(ctx context.Context, origins []string) (WidgetSettings, error) {
	origins, err := NormalizeOrigins("allowed_origins", origins)
	if err != nil {
		return WidgetSettings{}, err
	}
	before, err := GetWidgetSettings(ctx)
	if err != nil {
		return WidgetSettings{}, err
	}
	tx, err := db(ctx)
	if err != nil {
		return WidgetSettings{}, err
	}
	// updated_at takes the proposed row's, the column's default now(): Citus
	// refuses a function in DO UPDATE SET unless it is IMMUTABLE.
	err = tx.Exec(`INSERT INTO widget_settings (tenant_id, allowed_origins) VALUES (?, ?)
		ON CONFLICT (tenant_id) DO UPDATE SET allowed_origins = EXCLUDED.allowed_origins, updated_at = EXCLUDED.updated_at`,
		tenantOf(ctx), array(origins)).Error
	if err != nil {
		return WidgetSettings{}, dbError("save widget settings", err, nil)
	}
	after, err := GetWidgetSettings(ctx)
	if err != nil {
		return WidgetSettings{}, err
	}
	return after, Audit(ctx, "widget.settings_saved", "widget", before, after)
}

// WidgetToken is a minted token's row: never the token itself.
type WidgetToken struct {
	ID        string    `json:"id"`
	ExpiresAt time.Time `json:"expires_at"`
}

// InsertWidgetToken stores the SHA-256 of a new widget token for the
// participant with this external id (created on first mention, as
// everywhere in the API) in the campaign with this slug, minted by the
// secret key keyID, for lifetime from the database's now.
func InsertWidgetToken(ctx context.Context, keyID, participant, campaign string, hash []byte, lifetime time.Duration) (WidgetToken, error) {
	if err := validateExternalID("participant", participant); err != nil {
		return WidgetToken{}, err
	}
	if lifetime < time.Second || lifetime > MaxWidgetTokenLifetime {
		return WidgetToken{}, ErrTokenLifetime
	}
	c, err := GetCampaign(ctx, campaign)
	if err != nil {
		return WidgetToken{}, err
	}
	tx, err := db(ctx)
	if err != nil {
		return WidgetToken{}, err
	}
	var t WidgetToken
	err = tx.Raw(`INSERT INTO widget_tokens (tenant_id, token_hash, key_id, participant_id, campaign_id, expires_at)
		VALUES (?, decode(?, 'hex'), ?, participant_id(?), ?, now() + ? * interval '1 second')
		RETURNING id, expires_at`, tenantOf(ctx), hex.EncodeToString(hash), keyID, participant, c.ID, lifetime.Seconds()).Scan(&t).Error
	if err != nil {
		return WidgetToken{}, dbError("mint widget token", err, nil)
	}
	return t, nil
}

// WidgetHost is the participant and campaign a widget token names.
type WidgetHost struct {
	ParticipantID string
	ExternalID    string
	DisplayName   string
	Campaign      Campaign
}

// GetWidgetHost reads the participant and campaign of a widget token.
func GetWidgetHost(ctx context.Context, participantID, campaignID string) (WidgetHost, error) {
	tx, err := db(ctx)
	if err != nil {
		return WidgetHost{}, err
	}
	var p Participant
	if err := tx.Raw(`SELECT `+participantColumns+` FROM participants WHERE tenant_id = ? AND id = ?`,
		tenantOf(ctx), participantID).Take(&p).Error; err != nil {
		return WidgetHost{}, dbError("widget host", err, ErrParticipantNotFound)
	}
	var c Campaign
	if err := tx.Raw(`SELECT `+campaignColumns+` FROM campaigns WHERE tenant_id = ? AND id = ?`,
		tenantOf(ctx), campaignID).Take(&c).Error; err != nil {
		return WidgetHost{}, dbError("widget campaign", err, ErrCampaignNotFound)
	}
	return WidgetHost{ParticipantID: p.ID, ExternalID: p.ExternalID, DisplayName: p.DisplayName, Campaign: c}, nil
}

// WidgetGuest is one of a host's invitations as the widget shows it to the
// host: the guest's name masked, never their e-mail or external id.
type WidgetGuest struct {
	ID    string `json:"id"`
	Guest string `json:"guest"`
	// Number is the invitation's rank among the host's in the campaign,
	// oldest first: "Friend 3" when Guest is empty.
	Number   int     `json:"number"`
	Status   string  `json:"status"`
	Step     int     `json:"step"`
	Steps    int     `json:"steps"`
	NextStep *string `json:"next_step"`
	// NextStepLabel is the next step's label, when its event has one:
	// what the widget shows instead of the name.
	NextStepLabel *string    `json:"next_step_label"`
	Completed     bool       `json:"completed"`
	CreatedAt     time.Time  `json:"created_at"`
	ClaimedAt     *time.Time `json:"claimed_at"`
	CompletedAt   *time.Time `json:"completed_at"`
}

// qWidgetGuests: a host's invitations in one campaign, newest first, with
// the guest's display name (the recipient while pending), the guest's
// progress, the next step's name and label, and the invitation's rank
// among the host's (invitations_by_host serves both).
// Parameters: the tenant, host id, campaign id, then the page's.
const qWidgetGuests = `
	SELECT i.id, coalesce(nullif(g.display_name, ''), i.recipient) AS name,
	       i.guest_id IS NOT NULL AS claimed, i.expires_at <= now() AS expired,
	       i.progress AS done, q.total, q.next_step, q.next_step_label,
	       i.created_at, i.claimed_at, i.completed_at,
	       (SELECT count(*) FROM invitations n
	        WHERE n.tenant_id = i.tenant_id AND n.host_id = i.host_id AND n.campaign_id = i.campaign_id
	          AND (n.created_at, n.id) <= (i.created_at, i.id))::int AS number
	FROM invitations i
	JOIN campaigns c ON c.tenant_id = i.tenant_id AND c.id = i.campaign_id
	LEFT JOIN participants g ON g.tenant_id = i.tenant_id AND g.id = i.guest_id
	CROSS JOIN LATERAL (
	  SELECT count(*)::int AS total, min(s.event_name) FILTER (WHERE s.position = i.progress + 1) AS next_step,
	         min(nullif(d.label, '')) FILTER (WHERE s.position = i.progress + 1) AS next_step_label
	  FROM campaign_version_steps s
	  LEFT JOIN event_definitions d ON d.tenant_id = s.tenant_id AND d.name = s.event_name
	  WHERE s.tenant_id = i.tenant_id AND s.campaign_id = i.campaign_id
	    AND s.version = coalesce(i.version, c.current_version)
	) q
	WHERE i.tenant_id = ? AND i.host_id = ? AND i.campaign_id = ?
	  AND (? = '' OR (i.created_at, i.id) < (SELECT created_at, id FROM invitations WHERE tenant_id = i.tenant_id AND id = ?))
	ORDER BY i.created_at DESC, i.id DESC
	LIMIT ?`

// ListWidgetGuests returns a page of a host's invitations in a campaign,
// newest first, for the widget.
func ListWidgetGuests(ctx context.Context, hostID, campaignID string, page Page) ([]WidgetGuest, bool, error) {
	tx, err := db(ctx)
	if err != nil {
		return nil, false, err
	}
	var rows []struct {
		ID               string
		Name             string
		Claimed, Expired bool
		Done, Total      int
		NextStep         *string
		NextStepLabel    *string
		CreatedAt        time.Time
		ClaimedAt        *time.Time
		CompletedAt      *time.Time
		Number           int
	}
	if err := tx.Raw(qWidgetGuests, tenantOf(ctx), hostID, campaignID, page.After, page.After, page.limit()+1).Scan(&rows).Error; err != nil {
		return nil, false, fmt.Errorf("list widget guests: %w", err)
	}
	rows, more := trimPage(page, rows)
	out := make([]WidgetGuest, len(rows))
	for i, r := range rows {
		status := StatusPending
		switch {
		case r.CompletedAt != nil:
			status = StatusCompleted
		case r.Claimed:
			status = StatusClaimed
		case r.Expired:
			status = StatusExpired
		}
		out[i] = WidgetGuest{ID: r.ID, Guest: MaskName(r.Name), Number: r.Number, Status: status, Step: r.Done, Steps: r.Total,
			NextStep: r.NextStep, NextStepLabel: r.NextStepLabel, Completed: r.CompletedAt != nil, CreatedAt: r.CreatedAt, ClaimedAt: r.ClaimedAt, CompletedAt: r.CompletedAt}
		if out[i].Completed {
			out[i].NextStep, out[i].NextStepLabel = nil, nil
		}
	}
	return out, more, nil
}

// MaskName hides most of a guest's name or address from their host, who
// knows them anyway: the first letter of each word and the last word's
// initial ("Alice Martin" → "A••• M."), the first letter of an e-mail's
// local part ("alice@shop.example" → "a•••@shop.example"). A phone number
// keeps its last two digits.
func MaskName(name string) string {
	name = strings.TrimSpace(name)
	if name == "" {
		return ""
	}
	if local, domain, ok := strings.Cut(name, "@"); ok {
		return firstRune(local) + "•••@" + domain
	}
	if strings.TrimLeft(name, "+0123456789 ") == "" {
		return "•••" + name[max(0, len(name)-2):]
	}
	words := strings.Fields(name)
	out := firstRune(words[0]) + "•••"
	if len(words) > 1 {
		out += " " + firstRune(words[len(words)-1]) + "."
	}
	return out
}

func firstRune(s string) string {
	r, _ := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return ""
	}
	return string(r)
}

// ListWidgetRewards returns a participant's reward tokens in one campaign,
// newest first.
func ListWidgetRewards(ctx context.Context, participantID, campaignID string, page Page) ([]RewardToken, bool, error) {
	tx, err := db(ctx)
	if err != nil {
		return nil, false, err
	}
	var rs []RewardToken
	err = tx.Raw(rewardSelect+`
		WHERE r.tenant_id = ? AND r.participant_id = ? AND r.campaign_id = ?
		  AND (? = '' OR (r.issued_at, r.id) < (SELECT issued_at, id FROM reward_tokens WHERE tenant_id = r.tenant_id AND id = ?))
		ORDER BY r.issued_at DESC, r.id DESC LIMIT ?`,
		tenantOf(ctx), participantID, campaignID, page.After, page.After, page.limit()+1).Scan(&rs).Error
	if err != nil {
		return nil, false, fmt.Errorf("list widget rewards: %w", err)
	}
	rs, more := trimPage(page, rs)
	return rs, more, nil
}

// GuestOffer is what the widget shows a visitor who arrived with a code: the
// campaign and the guest reward of its current version; with a code, the
// host's name when the tenant lets guests be told it; and the tenant's
// texts.
type GuestOffer struct {
	Campaign    string      `json:"campaign"`
	Name        string      `json:"name"`
	Status      string      `json:"status"`
	GuestReward string      `json:"guest_reward"`
	HostName    string      `json:"host_name" gorm:"-"`
	Texts       WidgetTexts `json:"texts" gorm:"-"`
	// Translations are the tenant's of the campaign's words, which the
	// widget picks from by its language.
	Translations WidgetTranslations `json:"translations" gorm:"-"`
}

// GetGuestOffer returns the guest offer of the campaign with this slug.
func GetGuestOffer(ctx context.Context, slug string) (GuestOffer, error) {
	tx, err := db(ctx)
	if err != nil {
		return GuestOffer{}, err
	}
	var o GuestOffer
	err = tx.Raw(`SELECT c.slug AS campaign, c.name, c.status, coalesce(v.guest_reward_description, '') AS guest_reward
		FROM campaigns c
		LEFT JOIN campaign_versions v ON v.tenant_id = c.tenant_id AND v.campaign_id = c.id AND v.version = c.current_version
		WHERE c.tenant_id = ? AND c.slug = ? AND c.status <> 'draft'`, tenantOf(ctx), slug).Take(&o).Error
	return o, dbError("guest offer", err, ErrCampaignNotFound)
}
