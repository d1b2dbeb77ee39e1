package console

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
	"github.com/tandemhq/tandem/views"
)

// The Widget page: owners and admins (models.PermAPIKeysManage) set the
// origins the widget runs on (audited, widget.settings_saved), copy the
// snippet, see which publishable keys exist, and preview the widget for a
// participant with a short-lived token.

// previewTokenLifetime is how long a preview's token works.
const previewTokenLifetime = 10 * time.Minute

// showWidgetPage shows the page; ?participant=…&campaign=… fills the
// preview form in. It writes nothing: a preview mints a token and may
// create its participant, so it is a POST (previewWidget), which a link on
// another site cannot make.
func (h *handler) showWidgetPage(c *fiber.Ctx) error {
	participant := strings.TrimSpace(c.Query("participant"))
	campaign := c.Query("campaign")
	return h.console(c, models.PermAPIKeysManage, func(ctx context.Context, s consoleSession) error {
		return h.widgetPage(c, ctx, views.WidgetSettingsPage{PreviewParticipant: participant, PreviewCampaign: campaign})
	})
}

// previewWidget shows the page with the widget live for a participant,
// under a token minted now (the form's CSRF token is checked by the
// console's middleware).
func (h *handler) previewWidget(c *fiber.Ctx) error {
	participant := formValue(c, "participant")
	campaign := formValue(c, "campaign")
	return h.console(c, models.PermAPIKeysManage, func(ctx context.Context, s consoleSession) error {
		p := views.WidgetSettingsPage{PreviewParticipant: participant, PreviewCampaign: campaign}
		var err error
		if p.PreviewToken, p.PreviewError, err = h.mintPreviewToken(ctx, participant, campaign); err != nil {
			return err
		}
		return h.widgetPage(c, ctx, p)
	})
}

// saveWidgetOrigins saves the allowed origins (the form's CSRF token is
// checked by the console's middleware).
func (h *handler) saveWidgetOrigins(c *fiber.Ctx) error {
	raw := strings.TrimSpace(c.FormValue("allowed_origins"))
	return h.console(c, models.PermAPIKeysManage, func(ctx context.Context, s consoleSession) error {
		_, err := models.SaveWidgetSettings(ctx, opsSplitOrigins(raw))
		var ve *models.ValidationError
		if errors.As(err, &ve) {
			c.Status(http.StatusUnprocessableEntity)
			return rollback(h.widgetPage(c, ctx, views.WidgetSettingsPage{Origins: raw,
				Errors: map[string]string{ve.Field: sentence(ve.Message)}}))
		}
		if err != nil {
			return err
		}
		h.flash(c, views.FlashSuccess, "Origins saved. The widget answers these sites now.")
		return h.redirect(c, "/widget")
	})
}

// widgetPage fills what every answer of the page shows and renders it:
// the saved origins, unless p holds them as typed.
func (h *handler) widgetPage(c *fiber.Ctx, ctx context.Context, p views.WidgetSettingsPage) error {
	if p.Origins == "" && p.Errors == nil {
		settings, err := models.GetWidgetSettings(ctx)
		if err != nil {
			return err
		}
		p.Origins = strings.Join(settings.AllowedOrigins, "\n")
	}
	keys, err := models.ListAPIKeys(ctx)
	if err != nil {
		return err
	}
	for _, k := range keys {
		if k.Kind == models.APIKeyPublishable && k.RevokedAt == nil {
			p.PublishableKeys = append(p.PublishableKeys, k)
		}
	}
	if p.Campaigns, err = models.CampaignChoices(ctx); err != nil {
		return err
	}
	p.PublicURL = h.cfg.PublicURL
	return h.page(c, views.WidgetPage(p))
}

// mintPreviewToken mints a preview token on behalf of the newest live
// secret key (tokens name the key that minted them, and die with it). A
// reason it cannot is returned as a message, not an error.
func (h *handler) mintPreviewToken(ctx context.Context, participant, campaign string) (token, problem string, err error) {
	keys, err := models.ListAPIKeys(ctx)
	if err != nil {
		return "", "", err
	}
	for _, k := range keys { // newest first
		if k.Kind != models.APIKeySecret || k.RevokedAt != nil {
			continue
		}
		token, _, err = tenants.MintWidgetToken(ctx, k.ID, participant, campaign, previewTokenLifetime)
		var ve *models.ValidationError
		var de *models.Error
		switch {
		case errors.As(err, &ve):
			return "", sentence(ve.Message), nil
		case errors.As(err, &de):
			return "", sentence(de.Message), nil
		}
		return token, "", err
	}
	return "", "A preview needs a live secret key to mint its token: create one on the API keys page.", nil
}
