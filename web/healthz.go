package web

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"
)

// healthz tells a load balancer whether this machine can serve: it can only
// if the database answers.
func (h *handler) healthz(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
	defer cancel()
	err := h.ping(ctx)
	if err != nil {
		slog.Error("web: healthz: database ping failed", "err", err)
		return writeError(c, http.StatusServiceUnavailable, "database_unavailable", "The database is not answering.")
	}
	return c.JSON(fiber.Map{"status": "ok"})
}

func (h *handler) ping(ctx context.Context) error {
	db, err := h.cfg.DB.DB()
	if err != nil {
		return err
	}
	return db.PingContext(ctx)
}
