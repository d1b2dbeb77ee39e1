// Package web serves Tandem over HTTP: the admin console and the public API.
// It is the only package that knows about Fiber.
package web

import (
	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"
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
	cfg Config
}

// New returns the application with every route registered.
func New(cfg Config) *fiber.App {
	app := fiber.New(fiber.Config{
		DisableStartupMessage: true,
		ErrorHandler:          handleError,
	})
	routes(app, &handler{cfg: cfg})
	return app
}
