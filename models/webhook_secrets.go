package models

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"

	"github.com/tandemhq/tandem/internal/secretbox"
)

// newWebhookSecret draws a signing secret in the Standard Webhooks form
// (whsec_ and the base64 of 24 random bytes) and seals it for the tenant.
func newWebhookSecret(ctx context.Context, box *secretbox.Box) (secret string, sealed []byte, err error) {
	if box == nil {
		return "", nil, errors.New("models: webhook secrets need an encryption key, and none is configured")
	}
	ad, err := secretContext(ctx, "webhook_endpoints")
	if err != nil {
		return "", nil, err
	}
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		panic("models: crypto/rand failed: " + err.Error())
	}
	secret = "whsec_" + base64.StdEncoding.EncodeToString(b)
	return secret, box.Seal([]byte(secret), ad), nil
}

// secretContext binds an encrypted secret of table to its tenant: copied
// into another tenant's row (or another table), it does not decrypt.
func secretContext(ctx context.Context, table string) ([]byte, error) {
	if _, err := db(ctx); err != nil {
		return nil, err
	}
	return []byte(table + ":" + tenantOf(ctx).String()), nil
}

// RotateWebhookSecret gives the endpoint a new secret, returned once in
// Secret; the one it replaces keeps signing beside it for SecretOverlap.
func RotateWebhookSecret(ctx context.Context, box *secretbox.Box, id string) (WebhookEndpoint, error) {
	tx, err := db(ctx)
	if err != nil {
		return WebhookEndpoint{}, err
	}
	secret, sealed, err := newWebhookSecret(ctx, box)
	if err != nil {
		return WebhookEndpoint{}, err
	}
	var row webhookEndpointRow
	err = tx.Raw(`UPDATE webhook_endpoints SET previous_secret = secret, previous_until = now() + ?::interval,
		secret = ?, updated_at = now() WHERE tenant_id = ? AND id = ?
		RETURNING `+webhookEndpointColumns,
		SecretOverlap.String(), sealed, tenantOf(ctx), id).Take(&row).Error
	if err != nil {
		return WebhookEndpoint{}, dbError("rotate webhook secret", err, ErrWebhookEndpointNotFound)
	}
	ep := row.endpoint()
	if err := Audit(ctx, "webhook_endpoint.secret_rotated", id, nil, nil); err != nil {
		return WebhookEndpoint{}, err
	}
	ep.Secret = secret
	return ep, nil
}
