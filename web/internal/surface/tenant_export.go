package surface

import (
	"bufio"
	"context"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/tandemhq/tandem/models"
)

// StreamTenantExport answers with the whole account's data as JSON lines
// (models.ExportTenant), a download named after the tenant and the day,
// streamed from one snapshot (streamDownload).
func StreamTenantExport(c *fiber.Ctx, db *gorm.DB, tenantID uuid.UUID, now time.Time) {
	streamDownload(c, db, tenantID, download{
		contentType: "application/x-ndjson",
		filename:    fmt.Sprintf("tandem-export-%s-%s.jsonl", tenantID, now.UTC().Format("2006-01-02")),
		timeout:     30 * time.Minute,
		write:       func(ctx context.Context, w *bufio.Writer) error { return models.ExportTenant(ctx, w) },
		logArgs:     []any{"export", "tenant"},
	})
}
