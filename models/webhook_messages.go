package models

import (
	"context"
	"encoding/json"
)

// WebhookMessage is a recorded message, as its renderer reads it.
type WebhookMessage struct {
	ID       string
	Type     string
	ObjectID string
	// Facts are what the change adds to its object: the step and count of
	// a quest.progressed.
	Facts json.RawMessage
	// Snapshot is the object in the API's shape as the change left it,
	// written in the change's transaction (webhook_snapshot); nil for an
	// object that cannot change after the message (a raffle draw) and for
	// messages recorded before snapshots, which are read as they stand.
	Snapshot json.RawMessage
}

// GetWebhookMessage reads message id of the tenant.
func GetWebhookMessage(ctx context.Context, id string) (WebhookMessage, error) {
	tx, err := db(ctx)
	if err != nil {
		return WebhookMessage{}, err
	}
	var m WebhookMessage
	err = tx.Raw(`SELECT id, type, object_id, facts, snapshot FROM webhook_messages WHERE tenant_id = ? AND id = ?`,
		tenantOf(ctx), id).Take(&m).Error
	return m, dbError("get webhook message", err, nil)
}
