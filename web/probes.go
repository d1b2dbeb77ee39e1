package web

import (
	"context"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/tandemhq/tandem/tenants"
	"github.com/tandemhq/tandem/web/api"
)

// probeTimeout bounds a probe's database work: a proxy waits seconds, not
// minutes, to learn a machine cannot serve.
const probeTimeout = 2 * time.Second

// livez says the process is up and answering; it touches nothing else, so
// a database outage never gets a healthy machine restarted.
func livez(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(fiber.Map{"status": "ok"})
}

// readyz says whether the proxy should route requests here: not while
// serve warms its pool up (the first requests would pay for the planning),
// not while draining (serve was told to stop), and only when the database
// answers with a schema at least as new as this binary's migrations.
func readyz(db *gorm.DB, warming, draining *atomic.Bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderCacheControl, "no-store")
		if draining.Load() {
			return api.WriteError(c, http.StatusServiceUnavailable, "draining", "This machine is shutting down.")
		}
		if warming.Load() {
			return api.WriteError(c, http.StatusServiceUnavailable, "warming_up", "This machine is preparing its database connections.")
		}
		ctx, cancel := context.WithTimeout(c.UserContext(), probeTimeout)
		defer cancel()
		applied, carried, err := tenants.SchemaVersions(ctx, db)
		if err != nil {
			slog.Warn("web: readyz: database", "err", err)
			return api.WriteError(c, http.StatusServiceUnavailable, "database_unavailable", "The database is not answering.")
		}
		if applied < carried {
			return api.WriteError(c, http.StatusServiceUnavailable, "schema_behind",
				"The database lacks this release's migrations: run `tandem migrate`.")
		}
		return c.JSON(fiber.Map{"status": "ready", "schema_version": applied})
	}
}
