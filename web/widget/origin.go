package widget

import (
	"context"
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

// originJSON says whether the page asking may run the widget.
type originJSON struct {
	Origin  string `json:"origin"`
	Allowed bool   `json:"allowed"`
	// Setting is where the tenant allows an origin.
	Setting string `json:"setting"`
}

// originSetting names the console setting that allows an origin.
const originSetting = "Widget → Allowed origins, in the Tandem console"

// showOrigin answers GET /widget/v1/origin?key=pk_…: whether the request's
// Origin is one the key's tenant allows. A browser hides a refused
// origin's answers from the widget, which then cannot tell the refusal
// from a network failure; this answer (a simple request, no preflight) is
// readable from any origin, so the widget can name the refusal and the
// setting that lifts it. It tells a page only about its own origin.
func (h *handler) showOrigin(c *fiber.Ctx) error {
	origin := c.Get(fiber.HeaderOrigin)
	out := originJSON{Origin: origin, Allowed: true, Setting: originSetting}
	if origin != "" && origin != h.selfOrigin {
		err := tenants.WithTenant(c.UserContext(), h.db, session(c).TenantID, func(ctx context.Context) error {
			settings, err := models.GetWidgetSettings(ctx)
			out.Allowed = slices.Contains(settings.AllowedOrigins, origin)
			return err
		})
		if err != nil {
			return err
		}
	}
	if origin != "" {
		c.Set(fiber.HeaderAccessControlAllowOrigin, origin)
	}
	return c.JSON(out)
}
