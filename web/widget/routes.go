package widget

import (
	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/web/internal/openapi"
	"github.com/tandemhq/tandem/web/internal/surface"
)

// routes registers every route of the widget's API. Order matters:
//   - catchErrors comes first, so that every error below it is answered in
//     the widget's JSON shape, with Vary: Origin and, where the origin is
//     allowed, the CORS header that lets the widget read it;
//   - a malformed Origin is refused before anything reads it;
//   - preflights (OPTIONS, any path) are answered before any credential
//     is asked for: a browser sends them without one;
//   - the document (public), the offer and the origin check (publishable
//     key) come before
//     the group that demands a participant token;
//   - surface.Unmatched comes last, so that a /widget/v1 path no route claims
//     is the widget's 404 and never reaches the console.
func routes(app *fiber.App, h *handler) {
	app.Use("/widget/v1", catchErrors, noStore, refuseMalformedOrigin, h.answerPreflight)
	app.Get("/widget/v1/openapi.json", openapi.Handler(openapiJSON, h.publicURL))
	app.Get("/widget/v1/offer", h.requirePublishableKey, h.showOffer)
	app.Get("/widget/v1/origin", h.requirePublishableKey, h.showOrigin)

	v1 := app.Group("/widget/v1", h.requireToken)
	v1.Get("/me", h.showMe)
	v1.Get("/invitations", h.listInvitations)
	v1.Post("/invitations", h.limitWrites, h.createInvitation)
	v1.Get("/rewards", h.listRewards)
	v1.Use(surface.Unmatched)
}
