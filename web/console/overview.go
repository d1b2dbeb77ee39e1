package console

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/views"
)

// showOverviewPage lists every campaign with its key numbers, each linking
// to its dashboard. Every role may read it, as the dashboard.
func (h *handler) showOverviewPage(c *fiber.Ctx) error {
	return h.console(c, models.PermDashboardView, func(ctx context.Context, s consoleSession) error {
		o, err := models.LoadOverview(ctx)
		if err != nil {
			return err
		}
		return h.page(c, views.OverviewPage(o))
	})
}
