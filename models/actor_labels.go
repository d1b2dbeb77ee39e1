package models

import (
	"context"
	"fmt"
	"strings"
)

// actorLabels names audit actors as a person reads them: "member:mem_…" is
// the member's e-mail, "key:key_…" the key's name (or "<kind> key"), "cli"
// the command line, anything else Tandem. The tenant's members and keys are
// read once, in two statements, rather than per row inside a list's query:
// on Citus a function that reads tables cannot run inside a statement sent
// to a worker.
type actorLabels struct {
	members, keys map[string]string
}

// loadActorLabels reads the names of the current tenant's members and keys.
func loadActorLabels(ctx context.Context) (actorLabels, error) {
	tx, err := db(ctx)
	if err != nil {
		return actorLabels{}, err
	}
	var members []struct{ ID, Email string }
	if err := tx.Raw(`SELECT id, email FROM members WHERE tenant_id = ?`, tenantOf(ctx)).Scan(&members).Error; err != nil {
		return actorLabels{}, fmt.Errorf("name actors: %w", err)
	}
	var keys []struct{ ID, Name, Kind string }
	if err := tx.Raw(`SELECT id, name, kind FROM api_keys WHERE tenant_id = ?`, tenantOf(ctx)).Scan(&keys).Error; err != nil {
		return actorLabels{}, fmt.Errorf("name actors: %w", err)
	}
	l := actorLabels{members: make(map[string]string, len(members)), keys: make(map[string]string, len(keys))}
	for _, m := range members {
		l.members[m.ID] = m.Email
	}
	for _, k := range keys {
		l.keys[k.ID] = k.Name
		if k.Name == "" {
			l.keys[k.ID] = k.Kind + " key"
		}
	}
	return l, nil
}

// label names actor; a member or key since removed is named as such.
func (l actorLabels) label(actor string) string {
	if id, ok := strings.CutPrefix(actor, "member:"); ok {
		if email, ok := l.members[id]; ok {
			return email
		}
		return "a former member"
	}
	if id, ok := strings.CutPrefix(actor, "key:"); ok {
		if name, ok := l.keys[id]; ok {
			return name
		}
		return "a deleted API key"
	}
	if actor == "cli" {
		return "command line"
	}
	return "Tandem"
}
