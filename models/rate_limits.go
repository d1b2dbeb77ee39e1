package models

import (
	"context"
	"fmt"
	"time"
)

// AddAPIRequests adds n requests of an API key (or the widget writes of a
// participant token or participant: keyID is its id) to the shared count
// of the window starting at windowStart and returns the total every web
// machine has added so far. With n = 0 it only reads the total, so that an idle
// machine learns what the others counted without writing a row.
func AddAPIRequests(ctx context.Context, keyID string, windowStart time.Time, n int) (int, error) {
	tx, err := db(ctx)
	if err != nil {
		return 0, err
	}
	var total int
	if n == 0 {
		err = tx.Raw(`SELECT coalesce(sum(requests), 0) FROM api_rate_limits WHERE tenant_id = ? AND key_id = ? AND window_start = ?`,
			tenantOf(ctx), keyID, windowStart).Scan(&total).Error
		return total, dbError("read api requests", err, nil)
	}
	// One row per key and window, shared by every machine: each adds its
	// delta, and RETURNING gives the sum without a second query.
	err = tx.Raw(`
		INSERT INTO api_rate_limits AS r (tenant_id, key_id, window_start, requests) VALUES (?, ?, ?, ?)
		ON CONFLICT (tenant_id, key_id, window_start) DO UPDATE SET requests = r.requests + excluded.requests
		RETURNING requests`, tenantOf(ctx), keyID, windowStart, n).Scan(&total).Error
	if err != nil {
		return 0, fmt.Errorf("add api requests: %w", err)
	}
	return total, nil
}

// PruneAPIRequests deletes an API key's counts of the windows that started
// before cutoff: they decide nothing any more.
func PruneAPIRequests(ctx context.Context, keyID string, cutoff time.Time) error {
	tx, err := db(ctx)
	if err != nil {
		return err
	}
	err = tx.Exec(`DELETE FROM api_rate_limits WHERE tenant_id = ? AND key_id = ? AND window_start < ?`,
		tenantOf(ctx), keyID, cutoff).Error
	return dbError("prune api requests", err, nil)
}
