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
	app.Get("/v1/openapi.json", h.showOpenAPIDocument)
	app.Get("/docs/api", h.showAPIReferencePage)

	// Invite links (public).
	app.Use("/static", staticFiles())
	app.Get("/i/:code", h.showInviteLink)

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
	v1.Get("/participants/:external_id", h.showParticipant)
	v1.Get("/participants/:external_id/invitations", h.listHostInvitations)
	v1.Get("/participants/:external_id/rewards", h.listParticipantRewards)
	v1.Post("/campaigns/:slug/referrer-code", h.issueReferrerCode)
	v1.Post("/campaigns/:slug/invitations", h.createInvitation)
	v1.Post("/claims", h.claimCode)
	v1.Post("/events", h.ingestEvent)
	v1.Post("/events/batch", h.ingestEventBatch)
	v1.Post("/rewards/:id/redeem", h.redeemReward)
	v1.Post("/rewards/:id/void", h.voidReward)
	v1.Post("/raffles", h.drawRaffle)
	v1.Get("/raffles/:id", h.showRaffle)

	// Admin console.
	// Every path not claimed above is the console's (isConsolePath): its
	// middleware sets the security headers, loads the session and checks
	// CSRF on unsafe methods; errors become HTML pages.
	app.Use(h.consoleMiddleware()...)
	app.Get("/signup", h.showSignupPage)
	app.Post("/signup", h.signup)
	app.Get("/login", h.showLoginPage)
	app.Post("/login", h.login)
	app.Post("/logout", h.logout)
	app.Get("/join/:token", h.showJoinPage)
	app.Post("/join/:token", h.join)
	app.Get("/team", h.showTeamPage)
	app.Post("/team/invitations", h.inviteMember)
	app.Post("/team/invitations/:id/revoke", h.revokeMemberInvitation)
	app.Post("/team/members/:id/role", h.changeMemberRole)
	app.Post("/team/members/:id/remove", h.removeMember)

	// Dashboard. Members land on it; /dashboard?campaign=slug picks the campaign.
	app.Get("/", h.showDashboardPage)
	app.Get("/dashboard", h.showDashboardPage)

	// Campaigns. /campaigns/new comes before /campaigns/:slug (so the console
	// cannot show a campaign whose slug is "new"; the API can).
	app.Get("/campaigns", h.showCampaignListPage)
	app.Get("/campaigns/new", h.showNewCampaignPage)
	app.Post("/campaigns/new", h.createCampaignForm)
	app.Post("/campaigns/new/editor", h.rebuildCampaignEditor)
	app.Post("/campaigns/new/events", h.defineEventInEditor)
	app.Get("/campaigns/:slug", h.showCampaignPage)
	app.Get("/campaigns/:slug/edit", h.showCampaignEditPage)
	app.Post("/campaigns/:slug/edit", h.saveCampaignDraftForm)
	app.Post("/campaigns/:slug/editor", h.rebuildCampaignEditor)
	app.Post("/campaigns/:slug/events", h.defineEventInEditor)
	app.Get("/campaigns/:slug/publish", h.showPublishPage)
	app.Get("/campaigns/:slug/publish/preview", h.showMigrationPreview)
	app.Post("/campaigns/:slug/publish", h.publishCampaignForm)
	app.Post("/campaigns/:slug/pause", h.changeCampaignStatusForm(models.ActionPause))
	app.Post("/campaigns/:slug/resume", h.changeCampaignStatusForm(models.ActionResume))
	app.Post("/campaigns/:slug/end", h.changeCampaignStatusForm(models.ActionEnd))
	app.Get("/campaigns/:slug/versions/:n", h.showCampaignVersionPage)

	// Operations.
	app.Get("/participants", h.showParticipantsPage)
	app.Get("/participants/:external_id", h.showParticipantPage)
	app.Get("/invitations", h.showInvitationsPage)
	app.Get("/rewards", h.showRewardsQueuePage)
	app.Get("/rewards.csv", h.exportRewardsCSV)
	app.Post("/rewards/bulk/confirm", h.confirmRewardsBulkAction)
	app.Post("/rewards/bulk", h.settleRewardsInBulk)
	app.Post("/rewards/:id/redeem", h.redeemQueuedReward)
	app.Post("/rewards/:id/void", h.voidQueuedReward)
	app.Get("/raffles", h.showRafflesPage)
	app.Post("/raffles/confirm", h.confirmRaffleDraw)
	app.Post("/raffles", h.drawRaffleFromConsole)
	app.Get("/raffles/:id", h.showRaffleResultPage)
	app.Get("/events", h.showEventCatalogPage)
	app.Post("/events", h.defineEventFromConsole)
	app.Post("/events/:name", h.updateEventDescription)
	app.Get("/api-keys", h.showAPIKeysPage)
	app.Post("/api-keys", h.createAPIKeyFromConsole)
	app.Post("/api-keys/:id/revoke", h.revokeAPIKeyFromConsole)
	app.Get("/audit", h.showAuditLogPage)
}
