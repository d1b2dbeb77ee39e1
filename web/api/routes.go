package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/web/internal/openapi"
	"github.com/tandemhq/tandem/web/internal/surface"
)

// routes registers every route of the API, so that one place shows the
// whole surface. Order matters:
//   - catchErrors comes first under /v1, so that every error below it,
//     Fiber's own included, is answered in the JSON shape; apiHeaders
//     next, so that every answer has them and every request a deadline;
//   - the public document comes before the group that demands a key;
//   - surface.Unmatched comes last, so that a /v1 path no route claims is the
//     API's 404 (or 405) and never reaches the console's middleware.
func routes(app *fiber.App, h *handler) {
	// API reference (public). The page lives outside /v1; its errors go to
	// the app's fallback, which answers in the same JSON shape.
	app.Get("/docs/api", h.showAPIReferencePage)
	app.Use("/v1", catchErrors, apiHeaders)
	app.Get("/v1/openapi.json", openapi.Handler(openapiJSON, h.cfg.PublicURL))

	// Public API v1, for the tenant's backend (secret keys).
	v1 := app.Group("/v1", h.requireSecretKey, h.rateLimit)
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
	v1.Post("/participants", h.saveParticipant)
	v1.Get("/participants", h.listParticipants)
	v1.Get("/participants/:external_id", h.showParticipant)
	v1.Get("/participants/:external_id/invitations", h.listHostInvitations)
	v1.Get("/participants/:external_id/rewards", h.listParticipantRewards)
	v1.Get("/participants/:external_id/export", h.exportParticipant)
	v1.Post("/participants/:external_id/erase", h.eraseParticipant)
	v1.Post("/campaigns/:slug/referrer-code", h.issueReferrerCode)
	v1.Post("/campaigns/:slug/invitations", h.createInvitation)
	v1.Get("/invitations", h.listInvitations)
	v1.Get("/invitations/:code", h.showInvitation)
	v1.Get("/fraud/blocklist", h.showBlocklist)
	v1.Put("/fraud/blocklist", h.saveBlocklist)
	v1.Post("/claims", h.claimCode)
	v1.Post("/events", h.ingestEvent)
	v1.Post("/events/batch", h.ingestEventBatch)
	v1.Get("/rewards", h.listRewards)
	v1.Get("/rewards/:id", h.showReward)
	v1.Post("/rewards/:id/redeem", h.redeemReward)
	v1.Post("/rewards/:id/void", h.voidReward)
	v1.Post("/rewards/:id/approve", h.approveReward)
	v1.Post("/rewards/:id/reject", h.rejectReward)
	v1.Post("/rewards/:id/retry-fulfilment", h.retryFulfilment)
	v1.Post("/raffles", h.drawRaffle)
	v1.Put("/integrations/stripe", h.connectStripe)
	v1.Get("/integrations/stripe", h.showStripeConnection)
	v1.Delete("/integrations/stripe", h.disconnectStripe)
	v1.Get("/raffles/:id", h.showRaffle)
	v1.Post("/webhook-endpoints", h.createWebhookEndpoint)
	v1.Get("/webhook-endpoints", h.listWebhookEndpoints)
	v1.Get("/webhook-endpoints/:id", h.showWebhookEndpoint)
	v1.Patch("/webhook-endpoints/:id", h.updateWebhookEndpoint)
	v1.Delete("/webhook-endpoints/:id", h.deleteWebhookEndpoint)
	v1.Post("/webhook-endpoints/:id/rotate-secret", h.rotateWebhookSecret)
	v1.Post("/webhook-endpoints/:id/test", h.sendWebhookTest)
	v1.Get("/webhook-endpoints/:id/deliveries", h.listWebhookDeliveries)
	v1.Post("/webhook-endpoints/:id/replay", h.replayWebhookDeliveries)
	v1.Post("/webhook-deliveries/:id/replay", h.replayWebhookDelivery)
	v1.Post("/widget/tokens", h.mintWidgetToken)
	v1.Get("/widget/settings", h.showWidgetSettings)
	v1.Put("/widget/settings", h.saveWidgetSettings)
	v1.Get("/settings/retention", h.showRetention)
	v1.Put("/settings/retention", h.saveRetention)
	v1.Get("/tenant/export", h.exportTenant)
	v1.Use(surface.Unmatched)
}
