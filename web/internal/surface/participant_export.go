package surface

import (
	"bufio"
	"context"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/tandemhq/tandem/models"
)

// StreamParticipantExport answers with the JSON export of the tenant's
// participant p (models.ExportParticipant), a download named after them,
// streamed from one snapshot (streamDownload). The caller has found the
// participant in its own transaction, so that a missing one is a 404
// before anything is sent.
func StreamParticipantExport(c *fiber.Ctx, db *gorm.DB, tenantID uuid.UUID, p models.Participant) {
	externalID := p.ExternalID
	streamDownload(c, db, tenantID, download{
		contentType: fiber.MIMEApplicationJSONCharsetUTF8,
		filename:    "participant-" + p.ID + ".json",
		timeout:     5 * time.Minute,
		write: func(ctx context.Context, w *bufio.Writer) error {
			return models.ExportParticipant(ctx, externalID, w)
		},
		logArgs: []any{"export", "participant", "participant", p.ID},
	})
}
