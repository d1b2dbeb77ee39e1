package tenants

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/tandemhq/tandem/models"
)

// ErrInvalidWidgetToken covers a widget token that is malformed, unknown,
// or minted by a key since revoked. Callers cannot tell which, on purpose.
var ErrInvalidWidgetToken = errors.New("tenants: invalid widget token")

// widgetTokenPrefix starts every widget token: wt_ and 43 URL-safe base64
// characters of 256 random bits. That much entropy needs no slow hash, so
// tokens are stored as their SHA-256 and found by it in one indexed read
// (argon2id is for low-entropy secrets such as passwords).
const (
	widgetTokenPrefix = "wt_"
	widgetTokenBytes  = 32
)

// MintWidgetToken mints a token for the participant with this external id
// (as host) in the campaign with this slug, for lifetime, on behalf of the
// secret key keyID. It runs inside that key's tenant transaction. The token
// is returned once; only its SHA-256 is stored.
func MintWidgetToken(ctx context.Context, keyID, participant, campaign string, lifetime time.Duration) (string, models.WidgetToken, error) {
	raw := make([]byte, widgetTokenBytes)
	if _, err := rand.Read(raw); err != nil {
		return "", models.WidgetToken{}, fmt.Errorf("mint widget token: %w", err)
	}
	token := widgetTokenPrefix + base64.RawURLEncoding.EncodeToString(raw)
	sum := sha256.Sum256([]byte(token))
	t, err := models.InsertWidgetToken(ctx, keyID, participant, campaign, sum[:], lifetime)
	if err != nil {
		return "", models.WidgetToken{}, err
	}
	return token, t, nil
}

// WidgetSession is what a widget token names: its tenant, participant and
// campaign (internal ids), its expiry, and the origins the tenant lets the
// widget run on.
type WidgetSession struct {
	TenantID       uuid.UUID
	TokenID        string
	ParticipantID  string
	CampaignID     string
	ExpiresAt      time.Time
	AllowedOrigins []string
}

// FindWidgetToken reads what a presented widget token names, before the
// tenant is known, through the narrow find_widget_token lookup, which also
// refuses tokens of revoked keys. Expiry is the caller's to judge against
// its clock: an expired token is still found, so that the widget can say
// "expired" rather than "invalid".
func FindWidgetToken(ctx context.Context, db *gorm.DB, presented string) (WidgetSession, error) {
	body, ok := strings.CutPrefix(presented, widgetTokenPrefix)
	if !ok {
		return WidgetSession{}, ErrInvalidWidgetToken
	}
	if raw, err := base64.RawURLEncoding.DecodeString(body); err != nil || len(raw) != widgetTokenBytes {
		return WidgetSession{}, ErrInvalidWidgetToken
	}
	sum := sha256.Sum256([]byte(presented))
	var rows []struct {
		TenantID       uuid.UUID
		TokenID        string
		ParticipantID  string
		CampaignID     string
		ExpiresAt      time.Time
		AllowedOrigins []string `gorm:"serializer:json"`
	}
	err := db.WithContext(ctx).Raw(`SELECT tenant_id, token_id, participant_id, campaign_id, expires_at,
		to_json(allowed_origins) AS allowed_origins FROM find_widget_token(decode(?, 'hex'))`, hex.EncodeToString(sum[:])).Scan(&rows).Error
	if err != nil {
		return WidgetSession{}, fmt.Errorf("tenants: find widget token: %w", err)
	}
	if len(rows) != 1 {
		return WidgetSession{}, ErrInvalidWidgetToken
	}
	r := rows[0]
	return WidgetSession{TenantID: r.TenantID, TokenID: r.TokenID, ParticipantID: r.ParticipantID,
		CampaignID: r.CampaignID, ExpiresAt: r.ExpiresAt, AllowedOrigins: r.AllowedOrigins}, nil
}

// WidgetOriginKnown reports whether any tenant lets the widget run on
// origin: all a CORS preflight, which carries no token, can be told.
func WidgetOriginKnown(ctx context.Context, db *gorm.DB, origin string) (bool, error) {
	var known bool
	if err := db.WithContext(ctx).Raw(`SELECT widget_origin_known(?)`, origin).Row().Scan(&known); err != nil {
		return false, fmt.Errorf("tenants: widget origin known: %w", err)
	}
	return known, nil
}
