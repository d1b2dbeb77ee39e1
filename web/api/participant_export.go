package api

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/web/internal/surface"
)

// exportParticipant answers with everything the tenant holds about one
// participant, as one JSON document (surface.StreamParticipantExport).
func (h *handler) exportParticipant(c *fiber.Ctx) error {
	externalID, err := externalIDParam(c)
	if err != nil {
		return err
	}
	return h.inTenant(c, func(ctx context.Context) error {
		p, err := models.GetParticipant(ctx, externalID)
		if err != nil {
			return err
		}
		surface.StreamParticipantExport(c, h.cfg.DB, apiKey(c).TenantID, p)
		return nil
	})
}
