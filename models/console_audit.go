package models

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

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
	"raffle", "reward", "tenant"}

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
	action := strings.ToLower(strings.TrimSpace(f.ActionPrefix))
	err = tx.Raw(qAuditEntries, map[string]any{
		"action": action, "action_end": prefixEnd(action), "actor": strings.TrimSpace(f.Actor),
		"after": after, "limit": page.limit() + 1,
	}).Scan(&rs).Error
	if err != nil {
		return nil, false, fmt.Errorf("list audit log: %w", err)
	}
	rs, more := trimPage(page, rs)
	return rs, more, nil
}
