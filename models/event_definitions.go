package models

import (
	"context"
	"fmt"
	"time"
)

// EventDefinition is an event name a tenant declared (or a built-in one).
type EventDefinition struct {
	Name        string    `json:"name"`
	Description string    `json:"description"`
	Builtin     bool      `json:"builtin"`
	CreatedAt   time.Time `json:"created_at"`
}

// ErrEventNotFound reports an event name the catalog does not hold.
var ErrEventNotFound = &Error{NotFound, "event_not_found", "no event definition with this name"}

// DefineEvent declares an event name; defining it again updates only its
// description (so a backend can run its set-up on every deploy).
func DefineEvent(ctx context.Context, name, description string) (EventDefinition, bool, error) {
	if err := validateEventName("name", name); err != nil {
		return EventDefinition{}, false, err
	}
	if err := validateText("description", description, 0, 500); err != nil {
		return EventDefinition{}, false, err
	}
	tx, err := db(ctx)
	if err != nil {
		return EventDefinition{}, false, err
	}
	var before []EventDefinition
	err = tx.Raw(`SELECT name, description, builtin, created_at FROM event_definitions WHERE tenant_id = ? AND name = ? FOR UPDATE`,
		tenantOf(ctx), name).Scan(&before).Error
	if err != nil {
		return EventDefinition{}, false, dbError("define event", err, nil)
	}
	if len(before) == 1 && before[0].Description == description {
		return before[0], false, nil
	}
	var def EventDefinition
	err = tx.Raw(`
		INSERT INTO event_definitions (tenant_id, name, description) VALUES (?, ?, ?)
		ON CONFLICT (tenant_id, name) DO UPDATE SET description = excluded.description
		RETURNING name, description, builtin, created_at`, tenantOf(ctx), name, description).Scan(&def).Error
	if err != nil {
		return EventDefinition{}, false, dbError("define event", err, nil)
	}
	if len(before) == 0 {
		return def, true, Audit(ctx, "event_definition.created", name, nil, def)
	}
	return def, false, Audit(ctx, "event_definition.updated", name, before[0], def)
}

// GetEventDefinition returns the catalog's definition of name.
func GetEventDefinition(ctx context.Context, name string) (EventDefinition, error) {
	tx, err := db(ctx)
	if err != nil {
		return EventDefinition{}, err
	}
	var def EventDefinition
	err = tx.Raw(`SELECT name, description, builtin, created_at FROM event_definitions WHERE tenant_id = ? AND name = ?`,
		tenantOf(ctx), name).Take(&def).Error
	return def, dbError("get event definition", err, ErrEventNotFound)
}

// ListEventDefinitions returns the tenant's event catalog by name.
func ListEventDefinitions(ctx context.Context) ([]EventDefinition, error) {
	tx, err := db(ctx)
	if err != nil {
		return nil, err
	}
	var defs []EventDefinition
	err = tx.Raw(`SELECT name, description, builtin, created_at FROM event_definitions WHERE tenant_id = ? ORDER BY name`,
		tenantOf(ctx)).Scan(&defs).Error
	if err != nil {
		return nil, fmt.Errorf("list event definitions: %w", err)
	}
	return defs, nil
}
