package console

import (
	"context"
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/views"
)

// showEraseParticipantPage asks before erasing a participant, saying what
// goes and what stays.
func (h *handler) showEraseParticipantPage(c *fiber.Ctx) error {
	externalID, err := url.PathUnescape(c.Params("external_id"))
	if err != nil {
		return errPageNotFound
	}
	return h.console(c, models.PermParticipantsErase, func(ctx context.Context, s consoleSession) error {
		p, err := models.GetParticipant(ctx, externalID)
		if err != nil {
			return err
		}
		if p.ErasedAt != nil {
			return h.redirect(c, "/participants/"+url.PathEscape(p.ExternalID))
		}
		return h.page(c, views.ParticipantErasePage(p))
	})
}

// eraseParticipant erases a participant (models.EraseParticipant) and goes
// to their page, now under the pseudonym that replaced their external id.
func (h *handler) eraseParticipant(c *fiber.Ctx) error {
	externalID, err := url.PathUnescape(c.Params("external_id"))
	if err != nil {
		return errPageNotFound
	}
	return h.console(c, models.PermParticipantsErase, func(ctx context.Context, s consoleSession) error {
		e, err := models.EraseParticipant(ctx, externalID)
		if err != nil {
			return err
		}
		h.flash(c, views.FlashSuccess, externalID+" is erased: their personal data is gone, and the referral's facts stay under "+e.ExternalID+".")
		return h.redirect(c, "/participants/"+url.PathEscape(e.ExternalID))
	})
}
