package surface

import (
	"bufio"
	"context"
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/tandemhq/tandem/tenants"
)

// download is a file the response streams: what it is called, its type,
// how long writing it may take, and how its rows are written.
type download struct {
	contentType, filename string
	// timeout bounds the writing, which goes on after the handler returns
	// and so outlives the request's own deadline.
	timeout time.Duration
	write   func(ctx context.Context, w *bufio.Writer) error
	// logArgs name the download in the error log.
	logArgs []any
}

// streamDownload answers with d, its rows read while the response streams,
// in one read-only snapshot of the tenant (tenants.ReadOnly): never run
// twice into a response already on its way, as WithTenant's retry would,
// and consistent from the first row to the last. A failure after the
// status is sent can only cut the file short, which its reader sees as
// invalid JSON; the log says why.
func streamDownload(c *fiber.Ctx, db *gorm.DB, tenantID uuid.UUID, d download) {
	c.Set(fiber.HeaderContentType, d.contentType)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+d.filename+`"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		ctx, cancel := context.WithTimeout(context.Background(), d.timeout)
		defer cancel()
		err := tenants.ReadOnly(ctx, db, tenantID, func(ctx context.Context) error { return d.write(ctx, w) })
		if err == nil {
			err = w.Flush()
		}
		if err != nil {
			slog.Error("download", append([]any{"tenant", tenantID, "err", err}, d.logArgs...)...)
		}
	})
}
