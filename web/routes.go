package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
)

// routes registers every route of the application, so that one place
// shows the whole surface. Order matters where prefixes overlap: public
// routes under /v1 come before the group that demands a key.
func routes(app *fiber.App, h *handler) {
	app.Get("/healthz", h.healthz)

	// API reference (public).

	// Invite links (public).

	// Public API v1, for the tenant's backend (secret keys).
	v1 := app.Group("/v1", h.requireSecretKey)
	v1.Post("/event-definitions", h.createEventDefinition)
	v1.Get("/event-definitions", h.listEventDefinitions)
	v1.Get("/campaigns", h.listCampaigns)
	v1.Get("/campaigns/:slug", h.showCampaign)
	v1.Put("/campaigns/:slug", h.saveCampaignDraft)
	v1.Get("/campaigns/:slug/preview-publish", h.previewPublish)
	v1.Post("/campaigns/:slug/publish", h.publishCampaign)
	v1.Post("/campaigns/:slug/pause", h.changeCampaignStatus(models.ActionPause))
	v1.Post("/campaigns/:slug/resume", h.changeCampaignStatus(models.ActionResume))
	v1.Post("/campaigns/:slug/end", h.changeCampaignStatus(models.ActionEnd))
	// (participants, codes, invitations, claims, events, rewards, raffles)

	// Admin console.
}
