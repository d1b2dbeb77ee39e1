package models

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"
)

// EventDefinition is an event name a tenant declared (or a built-in one).
type EventDefinition struct {
	Name string `json:"name"`
	// Label is what a person reads for the event as a quest step; empty
	// when the tenant gave none (Display falls back to the name).
	Label       string    `json:"label"`
	Description string    `json:"description"`
	Builtin     bool      `json:"builtin"`
	CreatedAt   time.Time `json:"created_at"`
}

// Display is what a person reads for the event: its label, or its name.
func (d EventDefinition) Display() string {
	if d.Label != "" {
		return d.Label
	}
	return d.Name
}

// EventDefinitionInput is what defining an event sets. A nil Label keeps
// the label the definition has (none for a new one), so that a backend
// repeating its set-up does not erase a label given in the console.
type EventDefinitionInput struct {
	Name        string
	Description string
	Label       *string
}

// MaxEventLabel is the longest label, in characters
// (event_definition_label_length).
const MaxEventLabel = 80

const eventDefinitionColumns = `name, label, description, builtin, created_at`

// ErrEventNotFound reports an event name the catalog does not hold.
var ErrEventNotFound = &Error{NotFound, "event_not_found", "no event definition with this name"}

// DefineEvent declares an event name; defining it again updates only its
// description (so a backend can run its set-up on every deploy).
func DefineEvent(ctx context.Context, name, description string) (EventDefinition, bool, error) {
	return DefineEventWith(ctx, EventDefinitionInput{Name: name, Description: description})
}

// DefineEventWith declares an event name with its description and label;
// defining it again updates them (the label only when in.Label is set).
// It reports whether the definition is new.
func DefineEventWith(ctx context.Context, in EventDefinitionInput) (EventDefinition, bool, error) {
	if err := validateEventName("name", in.Name); err != nil {
		return EventDefinition{}, false, err
	}
	if err := validateText("description", in.Description, 0, 500); err != nil {
		return EventDefinition{}, false, err
	}
	if in.Label != nil {
		if err := validateEventLabel(*in.Label); err != nil {
			return EventDefinition{}, false, err
		}
	}
	tx, err := db(ctx)
	if err != nil {
		return EventDefinition{}, false, err
	}
	var before []EventDefinition
	err = tx.Raw(`SELECT `+eventDefinitionColumns+` FROM event_definitions WHERE tenant_id = ? AND name = ? FOR UPDATE`,
		tenantOf(ctx), in.Name).Scan(&before).Error
	if err != nil {
		return EventDefinition{}, false, dbError("define event", err, nil)
	}
	label := ""
	if len(before) == 1 {
		label = before[0].Label
	}
	if in.Label != nil {
		label = *in.Label
	}
	if len(before) == 1 && before[0].Description == in.Description && before[0].Label == label {
		return before[0], false, nil
	}
	var def EventDefinition
	err = tx.Raw(`
		INSERT INTO event_definitions (tenant_id, name, description, label) VALUES (?, ?, ?, ?)
		ON CONFLICT (tenant_id, name) DO UPDATE SET description = excluded.description, label = excluded.label
		RETURNING `+eventDefinitionColumns, tenantOf(ctx), in.Name, in.Description, label).Scan(&def).Error
	if err != nil {
		return EventDefinition{}, false, dbError("define event", err, nil)
	}
	if len(before) == 0 {
		return def, true, Audit(ctx, "event_definition.created", in.Name, nil, def)
	}
	return def, false, Audit(ctx, "event_definition.updated", in.Name, before[0], def)
}

// validateEventLabel checks a label as the schema will
// (event_definition_label_length, event_definition_label_one_line).
func validateEventLabel(label string) error {
	if err := validateText("label", label, 0, MaxEventLabel); err != nil {
		return err
	}
	if label != strings.TrimSpace(label) || strings.IndexFunc(label, unicode.IsControl) >= 0 {
		return invalid("label", "invalid_label", "must be one line without leading or trailing spaces")
	}
	return nil
}

// GetEventDefinition returns the catalog's definition of name.
func GetEventDefinition(ctx context.Context, name string) (EventDefinition, error) {
	tx, err := db(ctx)
	if err != nil {
		return EventDefinition{}, err
	}
	var def EventDefinition
	err = tx.Raw(`SELECT `+eventDefinitionColumns+` FROM event_definitions WHERE tenant_id = ? AND name = ?`,
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
	err = tx.Raw(`SELECT `+eventDefinitionColumns+` FROM event_definitions WHERE tenant_id = ? ORDER BY name`,
		tenantOf(ctx)).Scan(&defs).Error
	if err != nil {
		return nil, fmt.Errorf("list event definitions: %w", err)
	}
	return defs, nil
}

// StepLabels maps the names of the tenant's labelled events to their
// labels: what every page shows for a quest step.
type StepLabels map[string]string

// Of is what a person reads for event name: its label, or the name.
func (l StepLabels) Of(name string) string {
	if label := l[name]; label != "" {
		return label
	}
	return name
}

// LoadStepLabels returns the labels of the tenant's events that have one.
func LoadStepLabels(ctx context.Context) (StepLabels, error) {
	tx, err := db(ctx)
	if err != nil {
		return nil, err
	}
	var rows []struct{ Name, Label string }
	err = tx.Raw(`SELECT name, label FROM event_definitions WHERE tenant_id = ? AND label <> ''`, tenantOf(ctx)).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("load step labels: %w", err)
	}
	labels := make(StepLabels, len(rows))
	for _, r := range rows {
		labels[r.Name] = r.Label
	}
	return labels, nil
}
