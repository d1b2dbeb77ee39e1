package models

import (
	"bytes"
	"context"
	"fmt"
)

// StoredResponse is a response kept for an idempotency key.
type StoredResponse struct {
	Status int
	Body   []byte
}

// BeginIdempotent claims an idempotency key for a request with hash. It
// returns the stored response when the key was used before for the same
// request, ErrIdempotencyKeyReused when for another, and nil when the
// request is new — the claim then lasts as long as the transaction, so a
// concurrent repeat waits for it and replays its response.
func BeginIdempotent(ctx context.Context, key string, hash [32]byte) (*StoredResponse, error) {
	tx, err := db(ctx)
	if err != nil {
		return nil, err
	}
	res := tx.Exec(`INSERT INTO api_idempotency (tenant_id, key, request_hash) VALUES (?, ?, ?) ON CONFLICT (tenant_id, key) DO NOTHING`,
		tenantOf(ctx), key, hash[:])
	if res.Error != nil {
		return nil, fmt.Errorf("claim idempotency key: %w", res.Error)
	}
	if res.RowsAffected == 1 {
		return nil, nil
	}
	var row struct {
		RequestHash    []byte
		ResponseStatus int
		ResponseBody   []byte
	}
	err = tx.Raw(`SELECT request_hash, response_status, response_body FROM api_idempotency WHERE tenant_id = ? AND key = ?`,
		tenantOf(ctx), key).Take(&row).Error
	if err != nil {
		return nil, fmt.Errorf("read idempotency key: %w", err)
	}
	if !bytes.Equal(row.RequestHash, hash[:]) {
		return nil, fmt.Errorf("idempotency key: %w", ErrIdempotencyKeyReused)
	}
	return &StoredResponse{Status: row.ResponseStatus, Body: row.ResponseBody}, nil
}

// FinishIdempotent stores the response to a claimed idempotency key.
func FinishIdempotent(ctx context.Context, key string, status int, body []byte) error {
	tx, err := db(ctx)
	if err != nil {
		return err
	}
	err = tx.Exec(`UPDATE api_idempotency SET response_status = ?, response_body = ? WHERE tenant_id = ? AND key = ?`,
		status, body, tenantOf(ctx), key).Error
	if err != nil {
		return fmt.Errorf("store idempotent response: %w", err)
	}
	return nil
}
