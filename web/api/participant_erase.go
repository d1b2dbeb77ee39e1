package api

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
)

// eraseParticipant erases a participant's personal data and keeps the
// referral's facts (models.EraseParticipant), answering their id, the
// pseudonym now in place of their external id, and when. Erasing again by
// the pseudonym answers the same.
func (h *handler) eraseParticipant(c *fiber.Ctx) error {
	if err := noBody(c); err != nil {
		return err
	}
	externalID, err := externalIDParam(c)
	if err != nil {
		return err
	}
	return h.inTenant(c, func(ctx context.Context) error {
		e, err := models.EraseParticipant(ctx, externalID)
		if err != nil {
			return err
		}
		return c.JSON(e)
	})
}
