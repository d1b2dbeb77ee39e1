package models

import (
	"context"
	"fmt"
	"time"
)

// retentionPaths are the schema's narrow retention functions
// (migrations/functions/retention_*.sql), each of which reads the tenant's
// period itself and removes at most a batch of what is past it. They write
// as tandem_referee; event properties go through erasure's function, as
// tandem_eraser, in a transaction of their own (BlankOldEventProperties):
// on Citus a transaction reaches a tenant's shards as one user only.
var retentionPaths = []string{
	"retention_delete_idempotency",
	"retention_delete_widget_tokens",
	"retention_blank_webhook_messages",
}

// EnforceRetention removes one batch of each kind of the tenant's data
// past its retention at now (or the database's clock, if earlier: the
// functions judge by it), event properties apart, at most limit rows a
// kind, and says how many rows in all and whether a kind filled its batch
// (more may be due).
func EnforceRetention(ctx context.Context, now time.Time, limit int) (n int, more bool, err error) {
	for _, fn := range retentionPaths {
		done, err := retentionBatch(ctx, fn, now, limit)
		if err != nil {
			return n, more, err
		}
		n += done
		more = more || done == limit
	}
	return n, more, nil
}

// BlankOldEventProperties blanks the properties of at most limit of the
// tenant's events past its retention at now (as EnforceRetention judges),
// and says how many and whether more may be due.
func BlankOldEventProperties(ctx context.Context, now time.Time, limit int) (n int, more bool, err error) {
	n, err = retentionBatch(ctx, "retention_blank_event_properties", now, limit)
	return n, n == limit, err
}

// retentionBatch calls one retention function; fn is one of the constant
// names of this file, never input.
func retentionBatch(ctx context.Context, fn string, now time.Time, limit int) (int, error) {
	tx, err := db(ctx)
	if err != nil {
		return 0, err
	}
	var done int
	if err := tx.Raw(`SELECT `+fn+`(?, ?)`, now, limit).Scan(&done).Error; err != nil {
		return 0, fmt.Errorf("enforce retention: %s: %w", fn, err)
	}
	return done, nil
}
