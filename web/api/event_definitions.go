package api

import (
	"context"
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/web/internal/jsonbody"
	"github.com/tandemhq/tandem/web/internal/surface"
)

type eventDefinitionRequest struct {
	Name        *string `json:"name"`
	Description string  `json:"description"`
	Label       *string `json:"label"`
}

// createEventDefinition declares an event name; repeating it is harmless
// (201 when created, 200 when it existed). A request without a label keeps
// the one the definition has.
func (h *handler) createEventDefinition(c *fiber.Ctx) error {
	var req eventDefinitionRequest
	if err := jsonbody.Read(c, &req); err != nil {
		return err
	}
	if err := required("name", req.Name != nil); err != nil {
		return err
	}
	return h.inTenant(c, func(ctx context.Context) error {
		def, created, err := models.DefineEventWith(ctx, models.EventDefinitionInput{Name: *req.Name, Description: req.Description, Label: req.Label})
		if err != nil {
			return err
		}
		status := http.StatusOK
		if created {
			status = http.StatusCreated
		}
		return c.Status(status).JSON(def)
	})
}

// listEventDefinitions returns the tenant's event catalog.
func (h *handler) listEventDefinitions(c *fiber.Ctx) error {
	return h.inTenant(c, func(ctx context.Context) error {
		defs, err := models.ListEventDefinitions(ctx)
		if err != nil {
			return err
		}
		return c.JSON(surface.NewList(defs, false))
	})
}
