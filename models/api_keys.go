package models

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// APIKey is an API key as the console lists it: never its secret.
type APIKey struct {
	ID             string     `json:"id"`
	Kind           string     `json:"kind"`
	Name           string     `json:"name"`
	AllowedOrigins []string   `json:"allowed_origins" gorm:"serializer:json"`
	CreatedAt      time.Time  `json:"created_at"`
	LastUsedAt     *time.Time `json:"last_used_at"`
	RevokedAt      *time.Time `json:"revoked_at"`
}

// ErrAPIKeyNotFound reports an unknown API key id.
var ErrAPIKeyNotFound = &Error{NotFound, "api_key_not_found", "no such API key"}

// API key kinds: a secret key for the tenant's backend, a publishable one
// for the widget in the browser.
const (
	APIKeySecret      = "secret"
	APIKeyPublishable = "publishable"
)

// ValidateAPIKeyInput checks a new key's kind, name and origins, and
// returns the origins in their canonical form (scheme://host[:port]). A
// publishable key needs at least one origin; a secret key takes none.
func ValidateAPIKeyInput(kind, name string, origins []string) ([]string, error) {
	if kind != APIKeySecret && kind != APIKeyPublishable {
		return nil, invalid("kind", "invalid_kind", "choose a secret or a publishable key")
	}
	if err := validateText("name", strings.TrimSpace(name), 1, 200); err != nil {
		return nil, invalid("name", "invalid_name", "give the key a name of 1 to 200 characters, such as where it is used")
	}
	if kind == APIKeySecret {
		return []string{}, nil
	}
	out, err := NormalizeOrigins("allowed_origins", origins)
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, invalid("allowed_origins", "origins_required", "a publishable key needs at least one origin, the site the widget runs on")
	}
	return out, nil
}

// InsertAPIKey stores a new API key's lookup string and hash.
func InsertAPIKey(ctx context.Context, kind, name, lookup, hash string, allowedOrigins []string) (string, error) {
	tx, err := db(ctx)
	if err != nil {
		return "", err
	}
	var id string
	err = tx.Raw(`INSERT INTO api_keys (tenant_id, kind, name, lookup, secret_hash, allowed_origins)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, tenantOf(ctx), kind, name, lookup, hash, array(allowedOrigins)).Scan(&id).Error
	if err != nil {
		return "", dbError("add api key", err, nil)
	}
	return id, Audit(ctx, "api_key.created", id, nil, map[string]any{"kind": kind, "name": name, "allowed_origins": allowedOrigins})
}

// qAPIKeys: the tenant's API keys, live ones first, newest first. Neither
// the hash nor the lookup string leaves the database.
const qAPIKeys = `
	SELECT id, kind, name, to_json(allowed_origins) AS allowed_origins, created_at, last_used_at, revoked_at
	FROM api_keys
	WHERE tenant_id = ? AND (? = '' OR id = ?)
	ORDER BY revoked_at IS NOT NULL, created_at DESC, id DESC`

// ListAPIKeys returns the tenant's keys, live ones first, newest first.
func ListAPIKeys(ctx context.Context) ([]APIKey, error) {
	tx, err := db(ctx)
	if err != nil {
		return nil, err
	}
	var ks []APIKey
	if err := tx.Raw(qAPIKeys, tenantOf(ctx), "", "").Scan(&ks).Error; err != nil {
		return nil, fmt.Errorf("list api keys: %w", err)
	}
	return ks, nil
}

// GetAPIKey returns one key.
func GetAPIKey(ctx context.Context, id string) (APIKey, error) {
	tx, err := db(ctx)
	if err != nil {
		return APIKey{}, err
	}
	var k APIKey
	err = tx.Raw(qAPIKeys, tenantOf(ctx), id, id).Take(&k).Error
	return k, dbError("get api key", err, ErrAPIKeyNotFound)
}

// qRevokeAPIKey: revokes a live key; a revoked one stays as it is
// (api_keys_guard refuses to change revoked_at again).
const qRevokeAPIKey = `
	UPDATE api_keys SET revoked_at = now()
	WHERE tenant_id = ? AND id = ? AND revoked_at IS NULL
	RETURNING id`

// RevokeAPIKey revokes a key for good and audits it. Revoking a revoked
// key changes nothing.
func RevokeAPIKey(ctx context.Context, id string) (APIKey, error) {
	before, err := GetAPIKey(ctx, id)
	if err != nil {
		return APIKey{}, err
	}
	if before.RevokedAt != nil {
		return before, nil
	}
	tx, err := db(ctx)
	if err != nil {
		return APIKey{}, err
	}
	var revoked []string
	if err := tx.Raw(qRevokeAPIKey, tenantOf(ctx), id).Scan(&revoked).Error; err != nil {
		return APIKey{}, dbError("revoke api key", err, nil)
	}
	after, err := GetAPIKey(ctx, id)
	if err != nil || len(revoked) == 0 { // revoked meanwhile by someone else, who audited it
		return after, err
	}
	return after, Audit(ctx, "api_key.revoked", id, before, after)
}

// qTouchAPIKey: records that a key was just used, unless that was already
// recorded within the last minute — so a busy key costs one write a minute.
const qTouchAPIKey = `
	UPDATE api_keys SET last_used_at = now()
	WHERE tenant_id = ? AND id = ? AND revoked_at IS NULL
	  AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`

// TouchAPIKey records that a key was used now, at most once a minute.
func TouchAPIKey(ctx context.Context, id string) error {
	tx, err := db(ctx)
	if err != nil {
		return err
	}
	if err := tx.Exec(qTouchAPIKey, tenantOf(ctx), id).Error; err != nil {
		return fmt.Errorf("touch api key: %w", err)
	}
	return nil
}
