package models

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/tandemhq/tandem/internal/secretbox"
)

// Webhook delivery statuses.
const (
	DeliveryPending   = "pending"
	DeliverySucceeded = "succeeded"
	DeliveryFailed    = "failed"
)

// FailingEndpointLimit is how long an endpoint may fail every attempt
// before it is disabled (and the console says so).
const FailingEndpointLimit = 5 * 24 * time.Hour

// WebhookRenderer returns the data of message messageID (of type msgType):
// the JSON the API answers for its object, from the message's snapshot
// (GetWebhookMessage) where it has one. Package api provides it; it runs
// inside the tenant's transaction.
type WebhookRenderer func(ctx context.Context, msgType, messageID string) (any, error)

// OutgoingWebhook is one delivery ready to send.
type OutgoingWebhook struct {
	DeliveryID string
	// MessageID is the webhook-id: the same for every attempt and endpoint.
	MessageID string
	URL       string
	// Secrets sign the message: the endpoint's secret, and the previous
	// one while it still signs after a rotation (whsec_… strings).
	Secrets []string
	Body    []byte
	// Attempt is the number of this attempt, from 1.
	Attempt int
}

type outgoingRow struct {
	DeliveryID     string
	Status         string
	Attempts       int
	EndpointStatus string
	URL            string
	Secret         []byte
	PreviousSecret []byte
	PreviousUntil  *time.Time
	MessageID      string
	Type           string
	ObjectID       string
	Payload        []byte
	CreatedAt      time.Time
}

// WebhookAPIVersion is the version of the webhooks' contract every body
// names (api_version): the envelope and the shapes of its data, as the
// API's OpenAPI document describes them under webhooks. A change a receiver
// could trip on gets a new date.
const WebhookAPIVersion = "2026-12-01"

// webhookPayload is the body of every message.
type webhookPayload struct {
	// ID is the message's id, the webhook-id header.
	ID         string    `json:"id"`
	Type       string    `json:"type"`
	APIVersion string    `json:"api_version"`
	CreatedAt  time.Time `json:"created_at"`
	Data       any       `json:"data"`
}

// PrepareWebhookDelivery reads delivery id and what sending it takes. The
// body is rendered on the first attempt (render gives its data, from the
// snapshot the message took when the change was made) and stored, so every
// retry and every endpoint sends the same bytes. ok is
// false when there is nothing to send: the delivery is finished, or its
// endpoint is disabled, which fails it (a test message goes to a disabled
// endpoint too).
func PrepareWebhookDelivery(ctx context.Context, box *secretbox.Box, id string, render WebhookRenderer, now time.Time) (out OutgoingWebhook, ok bool, err error) {
	tx, err := db(ctx)
	if err != nil {
		return out, false, err
	}
	var r outgoingRow
	err = tx.Raw(`SELECT d.id AS delivery_id, d.status, d.attempts, e.status AS endpoint_status, e.url, e.secret,
		       e.previous_secret, e.previous_until, m.id AS message_id, m.type, m.object_id, m.payload, m.created_at
		FROM webhook_deliveries d
		JOIN webhook_endpoints e ON e.tenant_id = d.tenant_id AND e.id = d.endpoint_id
		JOIN webhook_messages m ON m.tenant_id = d.tenant_id AND m.id = d.message_id
		WHERE d.tenant_id = ? AND d.id = ? FOR NO KEY UPDATE OF d`, tenantOf(ctx), id).Take(&r).Error
	if err != nil {
		return out, false, dbError("prepare webhook delivery", err, ErrWebhookDeliveryNotFound)
	}
	if r.Status != DeliveryPending {
		return out, false, nil
	}
	if r.EndpointStatus != EndpointEnabled && r.Type != WebhookTestType {
		// Not sent, and not left pending: once the endpoint is enabled
		// again, "replay everything failed since" sends it.
		err := tx.Exec(`UPDATE webhook_deliveries SET status = 'failed', finished_at = ? WHERE tenant_id = ? AND id = ?`,
			now, tenantOf(ctx), id).Error
		return out, false, dbError("prepare webhook delivery", err, nil)
	}
	if r.Payload == nil {
		if r.Payload, err = renderWebhookPayload(ctx, r, render); err != nil {
			return out, false, err
		}
		if err := tx.Exec(`UPDATE webhook_messages SET payload = ? WHERE tenant_id = ? AND id = ?`,
			r.Payload, tenantOf(ctx), r.MessageID).Error; err != nil {
			return out, false, dbError("store webhook payload", err, nil)
		}
	}
	ad, err := secretContext(ctx, "webhook_endpoints")
	if err != nil {
		return out, false, err
	}
	out = OutgoingWebhook{DeliveryID: r.DeliveryID, MessageID: r.MessageID, URL: r.URL, Body: r.Payload, Attempt: r.Attempts + 1}
	sealed := [][]byte{r.Secret}
	if r.PreviousSecret != nil && r.PreviousUntil != nil && now.Before(*r.PreviousUntil) {
		sealed = append(sealed, r.PreviousSecret)
	}
	for _, s := range sealed {
		plain, err := box.Open(s, ad)
		if err != nil {
			return out, false, fmt.Errorf("prepare webhook delivery %s: %w", id, err)
		}
		out.Secrets = append(out.Secrets, string(plain))
	}
	return out, true, nil
}

func renderWebhookPayload(ctx context.Context, r outgoingRow, render WebhookRenderer) ([]byte, error) {
	var data any
	if r.Type == WebhookTestType {
		data = map[string]string{"endpoint": r.ObjectID, "message": "This is a test event from Tandem."}
	} else {
		var err error
		if data, err = render(ctx, r.Type, r.MessageID); err != nil {
			return nil, fmt.Errorf("render webhook %s: %w", r.MessageID, err)
		}
	}
	body, err := json.Marshal(webhookPayload{ID: r.MessageID, Type: r.Type, APIVersion: WebhookAPIVersion, CreatedAt: r.CreatedAt.UTC(), Data: data})
	if err != nil {
		return nil, fmt.Errorf("render webhook %s: %w", r.MessageID, err)
	}
	return body, nil
}

// WebhookAttempt is what one attempt got.
type WebhookAttempt struct {
	Attempt    int       `json:"attempt"`
	At         time.Time `json:"attempted_at"`
	StatusCode *int      `json:"status_code"`
	DurationMS int       `json:"duration_ms"`
	Error      string    `json:"error"`
	Response   string    `json:"response"`
}

// Succeeded reports whether the endpoint answered 2xx.
func (a WebhookAttempt) Succeeded() bool {
	return a.StatusCode != nil && *a.StatusCode >= 200 && *a.StatusCode < 300
}

// RecordWebhookAttempt writes attempt a of delivery id and what follows
// from it: success finishes the delivery and clears the endpoint's
// failure clock; a failure starts that clock, finishes the delivery as
// failed when final (no retry left), and disables an endpoint that has
// failed every attempt for FailingEndpointLimit. disabled says it did.
func RecordWebhookAttempt(ctx context.Context, id string, a WebhookAttempt, final bool) (disabled bool, err error) {
	tx, err := db(ctx)
	if err != nil {
		return false, err
	}
	status := DeliveryPending
	switch {
	case a.Succeeded():
		status = DeliverySucceeded
	case final:
		status = DeliveryFailed
	}
	var finished *time.Time
	if status != DeliveryPending {
		finished = &a.At
	}
	var endpoint string
	err = tx.Raw(`UPDATE webhook_deliveries SET attempts = attempts + 1, status = ?, finished_at = ?
		WHERE tenant_id = ? AND id = ? RETURNING endpoint_id`, status, finished, tenantOf(ctx), id).Scan(&endpoint).Error
	if err != nil {
		return false, dbError("record webhook attempt", err, nil)
	}
	if endpoint == "" {
		return false, ErrWebhookDeliveryNotFound
	}
	err = tx.Exec(`INSERT INTO webhook_attempts (tenant_id, delivery_id, attempt, attempted_at, status_code, duration_ms, error, response)
		SELECT tenant_id, id, attempts, ?, ?, ?, ?, ? FROM webhook_deliveries WHERE tenant_id = ? AND id = ?`,
		a.At, a.StatusCode, a.DurationMS, truncate(a.Error, 500), truncate(a.Response, 1000), tenantOf(ctx), id).Error
	if err != nil {
		return false, dbError("record webhook attempt", err, nil)
	}
	if a.Succeeded() {
		err = tx.Exec(`UPDATE webhook_endpoints SET failing_since = NULL WHERE tenant_id = ? AND id = ? AND failing_since IS NOT NULL`,
			tenantOf(ctx), endpoint).Error
		return false, dbError("record webhook attempt", err, nil)
	}
	// The limit's start is computed here: Citus refuses timestamptz -
	// interval (STABLE) inside CASE in an UPDATE.
	var reason *string
	since := a.At.Add(-FailingEndpointLimit)
	err = tx.Raw(`UPDATE webhook_endpoints SET failing_since = coalesce(failing_since, @at),
		status = CASE WHEN coalesce(failing_since, @at) <= @since THEN 'disabled' ELSE status END,
		disabled_reason = CASE WHEN status = 'enabled' AND coalesce(failing_since, @at) <= @since THEN 'failing'
		                  ELSE disabled_reason END
		WHERE tenant_id = @tenant AND id = @endpoint RETURNING disabled_reason`,
		sql.Named("at", a.At), sql.Named("since", since), sql.Named("tenant", tenantOf(ctx)), sql.Named("endpoint", endpoint)).
		Scan(&reason).Error
	if err != nil {
		return false, dbError("record webhook attempt", err, nil)
	}
	return reason != nil && *reason == "failing", nil
}

// truncate cuts s to at most n runes.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}
