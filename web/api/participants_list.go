package api

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/web/internal/surface"
)

// listParticipants returns the tenant's participants, newest first,
// filtered by external id, e-mail and creation time.
func (h *handler) listParticipants(c *fiber.Ctx) error {
	page, err := pageParams(c)
	if err != nil {
		return err
	}
	after, err := timeQuery(c, "created_after")
	if err != nil {
		return err
	}
	f := models.ParticipantFilter{ExternalID: c.Query("external_id"), Email: c.Query("email"), CreatedAfter: after}
	return h.inTenant(c, func(ctx context.Context) error {
		ps, more, err := models.ListParticipants(ctx, f, page)
		if err != nil {
			return err
		}
		return c.JSON(surface.NewList(ps, more))
	})
}
