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

// participantExportTimeout bounds one export, which streams after the
// handler returns and so outlives the request's own deadline.
const participantExportTimeout = 5 * time.Minute

// StreamParticipantExport answers with the JSON export of the tenant's
// participant externalID (models.ExportParticipant), as a download named
// after them. The caller has found the participant in its own transaction,
// so that a missing one is a 404 before anything is sent. The rows are read
// while the response streams, in one read-only snapshot (tenants.ReadOnly):
// never run twice into a response already on its way, as WithTenant's
// retry would, and consistent from the first section to the last.
func StreamParticipantExport(c *fiber.Ctx, db *gorm.DB, tenantID uuid.UUID, p models.Participant) {
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="participant-%s.json"`, p.ID))
	c.Set(fiber.HeaderCacheControl, "no-store")
	externalID := p.ExternalID
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		ctx, cancel := context.WithTimeout(context.Background(), participantExportTimeout)
		defer cancel()
		err := tenants.ReadOnly(ctx, db, tenantID, func(ctx context.Context) error {
			return models.ExportParticipant(ctx, externalID, w)
		})
		if err == nil {
			err = w.Flush()
		}
		if err != nil {
			// The status is sent; a truncated document (invalid JSON) is
			// all that can tell the reader.
			slog.Error("export participant", "tenant", tenantID, "participant", p.ID, "err", err)
		}
	})
}
