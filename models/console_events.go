package models

import "context"

// ErrEventNotFound reports an event name the catalog does not hold.
var ErrEventNotFound = &Error{NotFound, "event_not_found", "no event definition with this name"}

// GetEventDefinition returns the catalog's definition of name.
func GetEventDefinition(ctx context.Context, name string) (EventDefinition, error) {
	tx, err := db(ctx)
	if err != nil {
		return EventDefinition{}, err
	}
	var def EventDefinition
	err = tx.Raw(`SELECT name, description, builtin, created_at FROM event_definitions WHERE name = ?`, name).Take(&def).Error
	return def, dbError("get event definition", err, ErrEventNotFound)
}
