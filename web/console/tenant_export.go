package console

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/web/internal/surface"
)

// exportAccountData downloads everything the tenant holds, the API's
// GET /v1/tenant/export, for owners only (models.PermAccountManage): it
// holds every member's address and the whole audit log. It changes
// nothing, so a GET needs no CSRF token.
func (h *handler) exportAccountData(c *fiber.Ctx) error {
	return h.console(c, models.PermAccountManage, func(ctx context.Context, s consoleSession) error {
		surface.StreamTenantExport(c, h.cfg.DB, s.Tenant.ID, time.Now())
		return nil
	})
}
