package web

import "github.com/gofiber/fiber/v2"

// routes registers every route of the application, so that one place
// shows the whole surface.
func routes(app *fiber.App, h *handler) {
	app.Get("/healthz", h.healthz)
}
