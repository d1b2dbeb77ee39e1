package models

import (
	"context"
	"fmt"
	"time"
)

// Retention is how long a tenant keeps what it may let go of
// (migrations/00057_retention.sql): event properties, idempotency replays,
// and webhook bodies with their attempts. Expired widget tokens go at once
// and the audit log is kept; neither is a setting. UpdatedAt is nil while
// the tenant keeps the defaults (retention_of).
type Retention struct {
	EventPropertiesDays int        `json:"event_properties_days"`
	IdempotencyHours    int        `json:"idempotency_hours"`
	WebhookDays         int        `json:"webhook_days"`
	UpdatedAt           *time.Time `json:"updated_at"`
}

// The bounds of each period, as the schema's checks keep them.
const (
	MaxEventPropertiesDays = 3650
	MaxIdempotencyHours    = 720
	MaxWebhookDays         = 3650
)

// The retention errors, one per period (the constraints of 00057).
var (
	errRetentionEventDays   = invalid("event_properties_days", "invalid_retention", "event_properties_days is from 1 to %d", MaxEventPropertiesDays)
	errRetentionIdempotency = invalid("idempotency_hours", "invalid_retention", "idempotency_hours is from 1 to %d", MaxIdempotencyHours)
	errRetentionWebhookDays = invalid("webhook_days", "invalid_retention", "webhook_days is from 1 to %d", MaxWebhookDays)
)

// GetRetention returns the tenant's retention periods, the defaults when
// it never saved any.
func GetRetention(ctx context.Context) (Retention, error) {
	tx, err := db(ctx)
	if err != nil {
		return Retention{}, err
	}
	var r Retention
	if err := tx.Raw(`SELECT * FROM retention_of(?)`, tenantOf(ctx)).Take(&r).Error; err != nil {
		return Retention{}, fmt.Errorf("get retention: %w", err)
	}
	return r, nil
}

// SaveRetention replaces the tenant's retention periods and audits the
// change. A shorter period takes effect at the next retention run; a
// longer one brings back nothing already removed.
func SaveRetention(ctx context.Context, r Retention) (Retention, error) {
	switch {
	case r.EventPropertiesDays < 1 || r.EventPropertiesDays > MaxEventPropertiesDays:
		return Retention{}, errRetentionEventDays
	case r.IdempotencyHours < 1 || r.IdempotencyHours > MaxIdempotencyHours:
		return Retention{}, errRetentionIdempotency
	case r.WebhookDays < 1 || r.WebhookDays > MaxWebhookDays:
		return Retention{}, errRetentionWebhookDays
	}
	before, err := GetRetention(ctx)
	if err != nil {
		return Retention{}, err
	}
	tx, err := db(ctx)
	if err != nil {
		return Retention{}, err
	}
	// updated_at takes the proposed row's, the column's default now(): Citus
	// refuses a function in DO UPDATE SET unless it is IMMUTABLE.
	err = tx.Exec(`INSERT INTO retention_settings (tenant_id, event_properties_days, idempotency_hours, webhook_days)
		VALUES (?, ?, ?, ?)
		ON CONFLICT (tenant_id) DO UPDATE SET event_properties_days = EXCLUDED.event_properties_days,
			idempotency_hours = EXCLUDED.idempotency_hours, webhook_days = EXCLUDED.webhook_days, updated_at = EXCLUDED.updated_at`,
		tenantOf(ctx), r.EventPropertiesDays, r.IdempotencyHours, r.WebhookDays).Error
	if err != nil {
		return Retention{}, dbError("save retention", err, nil)
	}
	after, err := GetRetention(ctx)
	if err != nil {
		return Retention{}, err
	}
	return after, Audit(ctx, "retention.saved", "retention", before, after)
}
