// Package web serves Tandem over HTTP: the admin console and the public API.
// It is the only package that knows about Fiber.
package web

import (
	"time"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/tandemhq/tandem/tenants"
)

// Config is what the web layer needs from the process that runs it.
type Config struct {
	// DB is the application's pool, logged in as the restricted role or as
	// the owner (tenant transactions then switch role themselves).
	DB *gorm.DB
	// PublicURL is the absolute URL users reach the server at, for links
	// the server hands out.
	PublicURL string
}

// handler holds the dependencies every route shares.
type handler struct {
	cfg  Config
	keys *tenants.Verifier
}

// keyCacheTTL is how long a verified API key is trusted without a new
// argon2id check; a revoked key stops working within it everywhere.
const keyCacheTTL = 30 * time.Second

// New returns the application with every route registered.
func New(cfg Config) *fiber.App {
	app := fiber.New(fiber.Config{
		DisableStartupMessage: true,
		ErrorHandler:          handleError,
		BodyLimit:             MaxBodyBytes,
	})
	routes(app, &handler{cfg: cfg, keys: tenants.NewVerifier(cfg.DB, keyCacheTTL)})
	return app
}
