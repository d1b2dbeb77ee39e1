package console

import (
	"context"
	"errors"
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/views"
)

// saveGuestTexts saves the Branding page's texts for guests and hosts,
// the default locale and whether guests are told their host's name
// (audited, texts.saved); a refused text is answered on the page with
// what was typed (the CSRF token is checked by the middleware).
func (h *handler) saveGuestTexts(c *fiber.Ctx) error {
	in := models.GuestTexts{DefaultLocale: formValue(c, "default_locale"), NameHosts: formValue(c, "name_hosts") != "",
		Texts: map[string]map[string]string{}}
	for _, locale := range models.Locales {
		in.Texts[locale] = map[string]string{}
		for _, name := range models.GuestTextNames() {
			in.Texts[locale][name] = formValue(c, "texts."+locale+"."+name)
		}
	}
	return h.console(c, models.PermBrandingManage, func(ctx context.Context, s consoleSession) error {
		_, err := models.SaveGuestTexts(ctx, in)
		var ve *models.ValidationError
		if errors.As(err, &ve) {
			c.Status(http.StatusUnprocessableEntity)
			b, err := models.GetBranding(ctx)
			if err != nil {
				return err
			}
			return rollback(h.brandingPage(c, ctx, views.BrandingPage{Branding: b, Texts: in,
				TextErrors: map[string]string{ve.Field: sentence(ve.Message)}}))
		}
		if err != nil {
			return err
		}
		h.flash(c, views.FlashSuccess, "Texts saved. Invite pages and the widget read them now.")
		return h.redirect(c, "/branding")
	})
}
