package models

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
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
	err = tx.Exec(`INSERT INTO audit_log (tenant_id, actor, action, subject, before, after) VALUES (?, ?, ?, ?, ?::jsonb, ?::jsonb)`,
		tenantOf(ctx), actor(ctx), action, subject, b, a).Error
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

// AuditRecord is an audit entry as the console shows it, with a readable
// name for its actor: a member's e-mail, a key's name, or Tandem.
type AuditRecord struct {
	ID         int64     `json:"id"`
	Actor      string    `json:"actor"`
	ActorLabel string    `json:"actor_label"`
	Action     string    `json:"action"`
	Subject    string    `json:"subject"`
	Before     []byte    `json:"before"`
	After      []byte    `json:"after"`
	At         time.Time `json:"at"`
}

// AuditFilter selects audit entries; an empty field matches any.
type AuditFilter struct {
	// ActionPrefix keeps the actions that start with it ("reward",
	// "reward.redeemed").
	ActionPrefix string
	// Actor is an exact actor ("member:mem_…", "key:key_…", "system").
	Actor string
}

// AuditActionFamilies are the first words of the actions the log holds,
// offered by the action filter.
var AuditActionFamilies = []string{"api_key", "campaign", "event_definition", "member", "member_invitation",
	"participant", "raffle", "reward", "tenant"}

// qAuditEntries: the tenant's audit log, newest first (each actor named
// afterwards, loadActorLabels), filtered by action prefix (action, action,
// prefixEnd(action): the byte-wise range of qSearchParticipants) and exact
// actor (actor, actor). after, after is the id (a number, as text) of the
// last entry shown; then the limit.
const qAuditEntries = `
	SELECT id, actor, action, subject, before, after, at
	FROM audit_log
	WHERE tenant_id = ?
	  AND (? = '' OR (action ~>=~ ? AND action ~<~ ?))
	  AND (? = '' OR actor = ?)
	  AND (? = '' OR id < NULLIF(?, '')::bigint)
	ORDER BY id DESC
	LIMIT ?`

// ListAuditRecords returns the entries f selects, newest first. page.After
// is the id of the last entry of the previous page.
func ListAuditRecords(ctx context.Context, f AuditFilter, page Page) ([]AuditRecord, bool, error) {
	after := ""
	if n, err := strconv.ParseInt(page.After, 10, 64); err == nil && n > 0 {
		after = strconv.FormatInt(n, 10)
	}
	tx, err := db(ctx)
	if err != nil {
		return nil, false, err
	}
	var rs []AuditRecord
	action, actor := strings.ToLower(strings.TrimSpace(f.ActionPrefix)), strings.TrimSpace(f.Actor)
	err = tx.Raw(qAuditEntries, tenantOf(ctx), action, action, prefixEnd(action), actor, actor, after, after, page.limit()+1).Scan(&rs).Error
	if err != nil {
		return nil, false, fmt.Errorf("list audit log: %w", err)
	}
	rs, more := trimPage(page, rs)
	labels, err := loadActorLabels(ctx)
	if err != nil {
		return nil, false, err
	}
	for i := range rs {
		rs[i].ActorLabel = labels.label(rs[i].Actor)
	}
	return rs, more, nil
}
