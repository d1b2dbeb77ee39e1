package console

import (
	"context"
	"errors"
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/views"
)

// The Branding page: owners and admins (models.PermBrandingManage) set the
// logo, accent colour and sender name that the invite page and the widget
// show (audited, branding.saved).

// showBrandingPage shows the saved branding.
func (h *handler) showBrandingPage(c *fiber.Ctx) error {
	return h.console(c, models.PermBrandingManage, func(ctx context.Context, s consoleSession) error {
		b, err := models.GetBranding(ctx)
		if err != nil {
			return err
		}
		return h.brandingPage(c, ctx, views.BrandingPage{Branding: b})
	})
}

// saveBranding saves the form; a refused field is answered on the page,
// with what was typed (the CSRF token is checked by the middleware).
func (h *handler) saveBranding(c *fiber.Ctx) error {
	in := models.Branding{LogoURL: formValue(c, "logo_url"), AccentColor: formValue(c, "accent_color"),
		SenderName: formValue(c, "sender_name")}
	return h.console(c, models.PermBrandingManage, func(ctx context.Context, s consoleSession) error {
		_, err := models.SaveBranding(ctx, in)
		var ve *models.ValidationError
		if errors.As(err, &ve) {
			c.Status(http.StatusUnprocessableEntity)
			return rollback(h.brandingPage(c, ctx, views.BrandingPage{Branding: in,
				Errors: map[string]string{ve.Field: sentence(ve.Message)}}))
		}
		if err != nil {
			return err
		}
		h.flash(c, views.FlashSuccess, "Branding saved. Invite pages and the widget show it now.")
		return h.redirect(c, "/branding")
	})
}

// saveInviteHeadline sets a campaign's invite-page headline from the
// Branding page; a refused one is a flash there.
func (h *handler) saveInviteHeadline(c *fiber.Ctx) error {
	slug, headline := c.Params("slug"), formValue(c, "invite_headline")
	return h.console(c, models.PermCampaignsEdit, func(ctx context.Context, s consoleSession) error {
		err := models.SetInviteHeadline(ctx, slug, headline)
		var ve *models.ValidationError
		if errors.As(err, &ve) {
			h.flash(c, views.FlashError, "The headline was not saved: "+sentence(ve.Message))
			return rollback(h.redirect(c, "/branding"))
		}
		if err != nil {
			return err
		}
		h.flash(c, views.FlashSuccess, "Headline saved. Invite links of this campaign read it now.")
		return h.redirect(c, "/branding")
	})
}

// brandingPage renders the page with the campaigns' headlines and, unless
// p has them as typed, the saved texts for guests and hosts.
func (h *handler) brandingPage(c *fiber.Ctx, ctx context.Context, p views.BrandingPage) error {
	var err error
	if p.Campaigns, err = models.ListInviteHeadlines(ctx); err != nil {
		return err
	}
	if p.Texts.Texts == nil {
		if p.Texts, err = models.GetGuestTexts(ctx); err != nil {
			return err
		}
	}
	return h.page(c, views.BrandingSettingsPage(p))
}
