package api

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/web/internal/surface"
)

// exportTenant answers with everything the tenant holds, as JSON lines
// (surface.StreamTenantExport). Over the API the owner is the holder of a
// live secret key: a secret key already reads and writes every
// participant, event and reward, and only owners and admins create one;
// the console's download is for owners alone (docs/security.md).
func (h *handler) exportTenant(c *fiber.Ctx) error {
	surface.StreamTenantExport(c, h.cfg.DB, apiKey(c).TenantID, time.Now())
	return nil
}
