package models

import (
	"context"
	"encoding/json"
	"fmt"
)

type actorKey struct{}

// WithActor names who acts in ctx for the audit log: "member:mem_…",
// "key:key_…", "cli" or "system" (the default).
func WithActor(ctx context.Context, actor string) context.Context {
	return context.WithValue(ctx, actorKey{}, actor)
}

func actor(ctx context.Context) string {
	if a, ok := ctx.Value(actorKey{}).(string); ok && a != "" {
		return a
	}
	return "system"
}

// Audit appends one entry to the tenant's audit log: who did action to
// subject, and the subject before and after.
func Audit(ctx context.Context, action, subject string, before, after any) error {
	tx, err := db(ctx)
	if err != nil {
		return err
	}
	b, err := jsonOrNil(before)
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	a, err := jsonOrNil(after)
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	err = tx.Exec(`INSERT INTO audit_log (actor, action, subject, before, after) VALUES (?, ?, ?, ?::jsonb, ?::jsonb)`,
		actor(ctx), action, subject, b, a).Error
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

func jsonOrNil(v any) (*string, error) {
	if v == nil {
		return nil, nil
	}
	raw, err := json.Marshal(v)
	if err != nil || string(raw) == "null" {
		return nil, err
	}
	s := string(raw)
	return &s, nil
}

// AuditEntry is one row of the audit log.
type AuditEntry struct {
	ID      int64           `json:"id"`
	Actor   string          `json:"actor"`
	Action  string          `json:"action"`
	Subject string          `json:"subject"`
	Before  json.RawMessage `json:"before"`
	After   json.RawMessage `json:"after"`
	At      string          `json:"at"`
}

// ListAudit returns the newest audit entries first, at most limit of them.
func ListAudit(ctx context.Context, limit int) ([]AuditEntry, error) {
	tx, err := db(ctx)
	if err != nil {
		return nil, err
	}
	var rows []AuditEntry
	err = tx.Raw(`SELECT id, actor, action, subject, before, after, to_char(at, 'YYYY-MM-DD"T"HH24:MI:SS.USOF') AS at
		FROM audit_log ORDER BY id DESC LIMIT ?`, Page{Limit: limit}.limit()).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("list audit log: %w", err)
	}
	return rows, nil
}
