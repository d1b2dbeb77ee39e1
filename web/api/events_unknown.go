package api

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
	"github.com/tandemhq/tandem/web/internal/surface"
)

// eventNames returns the tenant's sendable event names, for the suggestion
// of an unknown_event. Events are ingested outside any transaction of this
// request (tenants.EventGroups), so the names are read in one of their
// own: on the error path only, never on the hot one.
func (h *handler) eventNames(c *fiber.Ctx) ([]string, error) {
	var names []string
	err := tenants.WithTenant(c.UserContext(), h.cfg.DB, apiKey(c).TenantID, func(ctx context.Context) error {
		var err error
		names, err = models.SendableEventNames(ctx)
		return err
	})
	return names, err
}

// unknownEvent is unknown_event for the name at field, with the tenant's
// nearest defined name as a suggestion.
func (h *handler) unknownEvent(c *fiber.Ctx, field, name string) error {
	names, err := h.eventNames(c)
	if err != nil {
		return err
	}
	return models.UnknownEventError(field, name, names)
}

// suggestEventNames tells each unknown_event result of a batch which name
// was meant, reading the tenant's names once for the whole batch.
func (h *handler) suggestEventNames(c *fiber.Ctx, results []batchResult, events []models.EventInput, at []int) error {
	var names []string
	loaded := false
	for j, i := range at {
		r := &results[i]
		if r.Error == nil || r.Error.Code != models.ErrUnknownEvent.Code {
			continue
		}
		if !loaded {
			var err error
			if names, err = h.eventNames(c); err != nil {
				return err
			}
			loaded = true
		}
		e := models.UnknownEventError(r.Error.Field, events[j].Name, names)
		r.Error.Message = surface.Sentence(e.Message, e.Field)
	}
	return nil
}
