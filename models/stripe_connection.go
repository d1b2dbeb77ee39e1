package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/tandemhq/tandem/internal/secretbox"
)

// StripeConnection is how a tenant's Stripe account is connected, for
// fulfilling Stripe rewards. The key itself never leaves models: APIKey is
// its masked hint.
type StripeConnection struct {
	Connected   bool       `json:"connected"`
	APIKey      *string    `json:"api_key"`
	ConnectedAt *time.Time `json:"connected_at"`
}

// ErrStripeNotConnected: the tenant has connected no Stripe account.
var ErrStripeNotConnected = errors.New("the tenant has not connected Stripe")

// SaveStripeConnection stores key, sealed, with its masked hint, replacing
// any earlier connection. The caller has checked the key with Stripe.
func SaveStripeConnection(ctx context.Context, box *secretbox.Box, key, hint string) (StripeConnection, error) {
	if box == nil {
		return StripeConnection{}, errors.New("models: a Stripe key needs an encryption key, and none is configured")
	}
	ad, err := secretContext(ctx, "stripe_connections")
	if err != nil {
		return StripeConnection{}, err
	}
	tx, err := db(ctx)
	if err != nil {
		return StripeConnection{}, err
	}
	var conn StripeConnection
	var row struct {
		KeyHint     string
		ConnectedAt time.Time
	}
	// The sealed key is not the first value: gorm spreads a slice right
	// after a parenthesis into a list. connected_at takes the proposed
	// row's, the column's default now(): Citus refuses a function in DO
	// UPDATE SET unless it is IMMUTABLE.
	err = tx.Raw(`
		INSERT INTO stripe_connections (tenant_id, key_hint, api_key) VALUES (?, ?, ?)
		ON CONFLICT (tenant_id) DO UPDATE SET api_key = excluded.api_key, key_hint = excluded.key_hint,
		  connected_at = excluded.connected_at
		RETURNING key_hint, connected_at`, tenantOf(ctx), hint, box.Seal([]byte(key), ad)).Scan(&row).Error
	if err != nil {
		return conn, dbError("save stripe connection", err, nil)
	}
	conn = StripeConnection{Connected: true, APIKey: &row.KeyHint, ConnectedAt: &row.ConnectedAt}
	return conn, Audit(ctx, "stripe.connected", "stripe", nil, conn)
}

// GetStripeConnection says whether and how the tenant's Stripe is connected.
func GetStripeConnection(ctx context.Context) (StripeConnection, error) {
	tx, err := db(ctx)
	if err != nil {
		return StripeConnection{}, err
	}
	var rows []struct {
		KeyHint     string
		ConnectedAt time.Time
	}
	if err := tx.Raw(`SELECT key_hint, connected_at FROM stripe_connections WHERE tenant_id = ?`, tenantOf(ctx)).Scan(&rows).Error; err != nil {
		return StripeConnection{}, fmt.Errorf("get stripe connection: %w", err)
	}
	if len(rows) == 0 {
		return StripeConnection{}, nil
	}
	return StripeConnection{Connected: true, APIKey: &rows[0].KeyHint, ConnectedAt: &rows[0].ConnectedAt}, nil
}

// DeleteStripeConnection forgets the tenant's key; Stripe rewards issued
// from then on fail until a key is connected again (and retried).
func DeleteStripeConnection(ctx context.Context) error {
	tx, err := db(ctx)
	if err != nil {
		return err
	}
	res := tx.Exec(`DELETE FROM stripe_connections WHERE tenant_id = ?`, tenantOf(ctx))
	if res.Error != nil {
		return fmt.Errorf("delete stripe connection: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return nil
	}
	return Audit(ctx, "stripe.disconnected", "stripe", nil, nil)
}

// stripeKey opens the tenant's key; ErrStripeNotConnected without one.
func stripeKey(ctx context.Context, box *secretbox.Box) (string, error) {
	tx, err := db(ctx)
	if err != nil {
		return "", err
	}
	var sealed [][]byte
	if err := tx.Raw(`SELECT api_key FROM stripe_connections WHERE tenant_id = ?`, tenantOf(ctx)).Scan(&sealed).Error; err != nil {
		return "", fmt.Errorf("read stripe key: %w", err)
	}
	if len(sealed) == 0 {
		return "", ErrStripeNotConnected
	}
	ad, err := secretContext(ctx, "stripe_connections")
	if err != nil {
		return "", err
	}
	key, err := box.Open(sealed[0], ad)
	if err != nil {
		return "", fmt.Errorf("open stripe key: %w", err)
	}
	return string(key), nil
}
