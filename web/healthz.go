package web

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/tandemhq/tandem/web/api"
)

// healthz tells a load balancer whether this machine can serve: it can only
// if the database answers. It names the build's version, too.
func healthz(db *gorm.DB, version string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
		defer cancel()
		if err := ping(ctx, db); err != nil {
			slog.Error("web: healthz: database ping failed", "err", err)
			return api.WriteError(c, http.StatusServiceUnavailable, "database_unavailable", "The database is not answering.")
		}
		return c.JSON(fiber.Map{"status": "ok", "version": version})
	}
}

func ping(ctx context.Context, db *gorm.DB) error {
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}
