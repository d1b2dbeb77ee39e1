package models

import (
	"context"
	"time"
)

// WebhookDelivery is one message to one endpoint, as the delivery log
// shows it, with every attempt.
type WebhookDelivery struct {
	ID         string           `json:"id"`
	MessageID  string           `json:"message_id"`
	Type       string           `json:"type"`
	Status     string           `json:"status"`
	CreatedAt  time.Time        `json:"created_at"`
	FinishedAt *time.Time       `json:"finished_at"`
	Attempts   []WebhookAttempt `json:"attempts" gorm:"serializer:json"`
}

// listWebhookDeliveries: an endpoint's deliveries, newest first, each with
// its attempts (webhook_deliveries_by_endpoint).
const listWebhookDeliveries = `
SELECT d.id, d.message_id, m.type, d.status, d.created_at, d.finished_at,
       coalesce((SELECT jsonb_agg(jsonb_build_object('attempt', a.attempt, 'attempted_at', a.attempted_at,
                   'status_code', a.status_code, 'duration_ms', a.duration_ms, 'error', a.error, 'response', a.response)
                 ORDER BY a.attempt)
                 FROM webhook_attempts a WHERE a.tenant_id = d.tenant_id AND a.delivery_id = d.id), '[]') AS attempts
FROM webhook_deliveries d
JOIN webhook_messages m ON m.tenant_id = d.tenant_id AND m.id = d.message_id
WHERE d.tenant_id = ? AND d.endpoint_id = ?
  AND (? = '' OR (d.created_at, d.id) < (SELECT created_at, id FROM webhook_deliveries WHERE tenant_id = d.tenant_id AND id = ?))
ORDER BY d.created_at DESC, d.id DESC
LIMIT ?`

// ListWebhookDeliveries returns a page of an endpoint's delivery log.
func ListWebhookDeliveries(ctx context.Context, endpointID string, page Page) ([]WebhookDelivery, bool, error) {
	tx, err := db(ctx)
	if err != nil {
		return nil, false, err
	}
	if _, err := GetWebhookEndpoint(ctx, endpointID); err != nil {
		return nil, false, err
	}
	var rows []WebhookDelivery
	err = tx.Raw(listWebhookDeliveries, tenantOf(ctx), endpointID, page.After, page.After, page.limit()+1).Scan(&rows).Error
	if err != nil {
		return nil, false, dbError("list webhook deliveries", err, nil)
	}
	rows, more := trimPage(page, rows)
	return rows, more, nil
}

// ReplayWebhookDelivery sends a finished delivery id again (succeeded or
// failed), with the same webhook-id and body; its attempts go on counting.
// One still pending is on its way already. It returns the delivery's
// endpoint.
func ReplayWebhookDelivery(ctx context.Context, id string) (endpointID string, err error) {
	tx, err := db(ctx)
	if err != nil {
		return "", err
	}
	var d struct {
		Status     string
		EndpointID string
	}
	if err := tx.Raw(`SELECT status, endpoint_id FROM webhook_deliveries WHERE tenant_id = ? AND id = ? FOR NO KEY UPDATE`,
		tenantOf(ctx), id).Take(&d).Error; err != nil {
		return "", dbError("replay webhook delivery", err, ErrWebhookDeliveryNotFound)
	}
	if d.Status == DeliveryPending {
		return "", ErrWebhookDeliveryNotFinished
	}
	_, err = replayWebhooks(ctx, `d.id = ?`, id)
	return d.EndpointID, err
}

// ReplayFailedWebhooks sends again every delivery of the endpoint that
// failed since since, and says how many.
func ReplayFailedWebhooks(ctx context.Context, endpointID string, since time.Time) (int, error) {
	if _, err := GetWebhookEndpoint(ctx, endpointID); err != nil {
		return 0, err
	}
	return replayWebhooks(ctx, `d.endpoint_id = ? AND d.status = 'failed' AND d.created_at >= ?`, endpointID, since)
}

// replayWebhooks makes the deliveries where holds pending again and queues
// a job for each, in this transaction.
func replayWebhooks(ctx context.Context, where string, args ...any) (int, error) {
	tx, err := db(ctx)
	if err != nil {
		return 0, err
	}
	var ids []string
	err = tx.Raw(`UPDATE webhook_deliveries d SET status = 'pending', finished_at = NULL
		WHERE d.tenant_id = ? AND `+where+` RETURNING d.id`, append([]any{tenantOf(ctx)}, args...)...).
		Scan(&ids).Error
	if err != nil {
		return 0, dbError("replay webhooks", err, nil)
	}
	return len(ids), queueDeliveries(ctx, ids)
}
