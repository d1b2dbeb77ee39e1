package models

import (
	"context"
	"fmt"
	"time"
)

// retentionPaths are the schema's narrow retention functions
// (migrations/functions/retention_*.sql), each of which reads the tenant's
// period itself and removes at most a batch of what is past it.
var retentionPaths = []string{
	"retention_blank_event_properties",
	"retention_delete_idempotency",
	"retention_delete_widget_tokens",
	"retention_blank_webhook_messages",
}

// EnforceRetention removes one batch of each kind of the tenant's data
// past its retention at now (or the database's clock, if earlier: the
// functions judge by it), at most limit rows a kind, and says how many
// rows in all and whether a kind filled its batch (more may be due).
func EnforceRetention(ctx context.Context, now time.Time, limit int) (n int, more bool, err error) {
	tx, err := db(ctx)
	if err != nil {
		return 0, false, err
	}
	for _, fn := range retentionPaths {
		var done int
		// fn is one of the constant names above, never input.
		if err := tx.Raw(`SELECT `+fn+`(?, ?)`, now, limit).Scan(&done).Error; err != nil {
			return n, more, fmt.Errorf("enforce retention: %s: %w", fn, err)
		}
		n += done
		more = more || done == limit
	}
	return n, more, nil
}
