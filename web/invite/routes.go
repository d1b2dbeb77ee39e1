package invite

import (
	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/web/internal/surface"
)

// routes registers the invite pages. The page answers every outcome
// itself, its security headers first, then the per-address limit, both
// before any database work; surface.Unmatched then closes /i (another method,
// a deeper path), so that those never reach the console mounted after it,
// and their 404 or 405 is answered by the app's fallback in the JSON error
// shape, as before. (Unmatched must stay the first handler of its routes:
// that is how it tells them from the page's.)
func routes(app *fiber.App, h *handler) {
	app.Get("/i/:code", inviteHeaders, h.limitVisits, h.showInviteLink)
	app.All("/i", surface.Unmatched)
	app.All("/i/*", surface.Unmatched)
}
