package models

import (
	"context"
	"fmt"
)

// SendWebhookTest queues a webhook.test message to the one endpoint id,
// enabled or not, and returns the message's id (its webhook-id).
func SendWebhookTest(ctx context.Context, id string) (string, error) {
	tx, err := db(ctx)
	if err != nil {
		return "", err
	}
	if _, err := GetWebhookEndpoint(ctx, id); err != nil {
		return "", err
	}
	var msg, delivery string
	err = tx.Raw(`INSERT INTO webhook_messages (tenant_id, type, object_id) VALUES (?, ?, ?) RETURNING id`,
		tenantOf(ctx), WebhookTestType, id).Scan(&msg).Error
	if err != nil {
		return "", dbError("send webhook test", err, nil)
	}
	err = tx.Raw(`INSERT INTO webhook_deliveries (tenant_id, message_id, endpoint_id) VALUES (?, ?, ?) RETURNING id`,
		tenantOf(ctx), msg, id).Scan(&delivery).Error
	if err != nil {
		return "", dbError("send webhook test", err, nil)
	}
	if err := queueDeliveries(ctx, []string{delivery}); err != nil {
		return "", err
	}
	return msg, nil
}

// MaxPendingWebhookDeliveries bounds a tenant's deliveries waiting to be
// sent for what the tenant asks for itself (test messages and replays).
// The changes its data makes are queued whatever the backlog, so that no
// event is lost; the delivery workers take a tenant's deliveries a few at
// a time (package jobs), so a backlog slows no other tenant.
const MaxPendingWebhookDeliveries = 10_000

// ErrWebhookBacklogExceeded: the tenant's pending deliveries are past
// MaxPendingWebhookDeliveries.
var ErrWebhookBacklogExceeded = &Error{Limited, "webhook_backlog_exceeded",
	fmt.Sprintf("More than %d webhook deliveries are waiting to be sent; try again once the endpoints have caught up.", MaxPendingWebhookDeliveries)}

// PendingWebhookDeliveries counts the tenant's deliveries waiting to be
// sent, up to one past MaxPendingWebhookDeliveries (counting further would
// only cost time).
func PendingWebhookDeliveries(ctx context.Context) (int, error) {
	tx, err := db(ctx)
	if err != nil {
		return 0, err
	}
	var pending int
	err = tx.Raw(`SELECT count(*) FROM (SELECT FROM webhook_deliveries WHERE tenant_id = ? AND status = 'pending' LIMIT ?) d`,
		tenantOf(ctx), MaxPendingWebhookDeliveries+1).Scan(&pending).Error
	if err != nil {
		return 0, fmt.Errorf("count pending webhook deliveries: %w", err)
	}
	return pending, nil
}

// queueDeliveries queues a River job per delivery in this transaction,
// unless the tenant's backlog, these deliveries included, is over
// MaxPendingWebhookDeliveries.
func queueDeliveries(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	tx, err := db(ctx)
	if err != nil {
		return err
	}
	pending, err := PendingWebhookDeliveries(ctx)
	if err != nil {
		return err
	}
	if pending > MaxPendingWebhookDeliveries {
		return ErrWebhookBacklogExceeded
	}
	if err := tx.Exec(`SELECT webhook_queue(?, ?)`, tenantOf(ctx), array(ids)).Error; err != nil {
		return fmt.Errorf("queue webhook deliveries: %w", err)
	}
	return nil
}
