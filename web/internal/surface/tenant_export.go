package surface

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

// tenantExportTimeout bounds one account's export, which streams after
// the handler returns and so outlives the request's own deadline.
const tenantExportTimeout = 30 * time.Minute

// StreamTenantExport answers with the whole account's data as JSON lines
// (models.ExportTenant), a download named after the tenant and the day.
// The rows are read while the response streams, in one read-only snapshot
// (tenants.ReadOnly), as StreamParticipantExport does: never run twice
// into a response on its way, and consistent from the first table to the
// last. A failure after the status is sent ends the stream early: the last
// line is then cut short, which a reader sees as invalid JSON.
func StreamTenantExport(c *fiber.Ctx, db *gorm.DB, tenantID uuid.UUID, now time.Time) {
	c.Set(fiber.HeaderContentType, "application/x-ndjson")
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="tandem-export-%s-%s.jsonl"`, tenantID, now.UTC().Format("2006-01-02")))
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		ctx, cancel := context.WithTimeout(context.Background(), tenantExportTimeout)
		defer cancel()
		err := tenants.ReadOnly(ctx, db, tenantID, func(ctx context.Context) error {
			return models.ExportTenant(ctx, w)
		})
		if err == nil {
			err = w.Flush()
		}
		if err != nil {
			slog.Error("export tenant", "tenant", tenantID, "err", err)
		}
	})
}
