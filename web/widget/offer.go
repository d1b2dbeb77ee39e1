package widget

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

// showOffer answers GET /widget/v1/offer?campaign=slug&code=CODE
// (publishable key): what a visitor who arrived with a code is offered,
// for a "you were invited" banner on the partner's sign-up page. With a
// code, only while that code can still be claimed in this campaign: an
// unknown code (or another campaign's) is 404 code_not_found, a used or
// expired one, or one whose campaign is not running, the claim's own
// refusal. A claimable code's host is named when the tenant allows it
// (models.GuestTexts.NameHosts); the tenant's texts come along for the
// widget to choose from by the visitor's language.
func (h *handler) showOffer(c *fiber.Ctx) error {
	slug, code := c.Query("campaign"), c.Query("code")
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
		if code != "" {
			if offer.HostName, err = claimable(ctx, code, offer.Campaign); err != nil {
				return err
			}
		}
		texts, err := models.GetGuestTexts(ctx)
		if err != nil {
			return err
		}
		offer.Texts = texts.Widget()
		translations, err := models.CampaignTranslations(ctx, offer.Campaign)
		if err != nil {
			return err
		}
		offer.Translations = translations.Widget()
		return c.JSON(offer)
	})
}

// claimable refuses a code that cannot be claimed now in the campaign
// with this slug, with the error a claim of it would meet; a claimable
// one's host name is returned ("" unless the tenant names hosts).
func claimable(ctx context.Context, code, campaign string) (string, error) {
	if !models.IsText(code) {
		return "", models.ErrCodeNotFound
	}
	landing, err := models.InviteLanding(ctx, code)
	if err != nil {
		return "", err
	}
	switch {
	case landing.CampaignSlug != campaign:
		return "", models.ErrCodeNotFound
	case landing.State == models.LandingClaimed:
		return "", models.ErrInvitationAlreadyClaimed
	case landing.State == models.LandingExpired:
		return "", models.ErrInvitationExpired
	case landing.State == models.LandingCampaignNotLive:
		return "", models.ErrCampaignNotActive
	}
	return landing.HostName, nil
}
