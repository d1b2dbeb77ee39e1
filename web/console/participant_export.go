package console

import (
	"context"
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/web/internal/surface"
)

// exportParticipantData downloads everything held about one participant,
// the API's export as a JSON attachment, for a participant's request of
// access. It changes nothing, so a GET needs no CSRF token; an unknown
// participant is a 404 before anything is sent.
func (h *handler) exportParticipantData(c *fiber.Ctx) error {
	externalID, err := url.PathUnescape(c.Params("external_id"))
	if err != nil {
		return errPageNotFound
	}
	return h.console(c, models.PermParticipantsExport, func(ctx context.Context, s consoleSession) error {
		p, err := models.GetParticipant(ctx, externalID)
		if err != nil {
			return err
		}
		surface.StreamParticipantExport(c, h.cfg.DB, s.Tenant.ID, p)
		return nil
	})
}
