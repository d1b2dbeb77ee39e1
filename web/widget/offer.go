package widget

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

// showOffer answers GET /widget/v1/offer?campaign=slug (publishable key):
// what a visitor who arrived with a code is offered, for a "you were
// invited" banner on the partner's sign-up page.
func (h *handler) showOffer(c *fiber.Ctx) error {
	slug := c.Query("campaign")
	return tenants.WithTenant(c.UserContext(), h.db, session(c).TenantID, func(ctx context.Context) error {
		settings, err := models.GetWidgetSettings(ctx)
		if err != nil {
			return err
		}
		if err := h.admitOrigin(c, settings.AllowedOrigins); err != nil {
			return err
		}
		if !models.IsText(slug) {
			return models.ErrCampaignNotFound
		}
		offer, err := models.GetGuestOffer(ctx, slug)
		if err != nil {
			return err
		}
		return c.JSON(offer)
	})
}
