package console

import (
	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
)

// routes registers every route of the console, so that one place shows
// the whole surface. The middleware is registered with Use on "/", so it
// runs for every path no surface mounted before the console claimed, in
// this order: catchErrors (HTML error pages), security headers and
// deadline, malformed input, session, CSRF. A path no route below claims ends in Fiber's own
// 404 (or 405), which catchErrors turns into the console's 404 page.
func routes(app *fiber.App, h *handler) {
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

	// Members land on the overview of every campaign; each links to its
	// dashboard, /dashboard?campaign=slug.
	app.Get("/", h.showOverviewPage)
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
	app.Post("/campaigns/:slug/edit", h.saveCampaignDraft)
	app.Post("/campaigns/:slug/editor", h.rebuildCampaignEditor)
	app.Post("/campaigns/:slug/events", h.defineEventInEditor)
	app.Get("/campaigns/:slug/publish", h.showPublishPage)
	app.Get("/campaigns/:slug/publish/preview", h.showMigrationPreview)
	app.Post("/campaigns/:slug/publish", h.publishCampaign)
	app.Post("/campaigns/:slug/pause", h.changeCampaignStatus(models.ActionPause))
	app.Post("/campaigns/:slug/resume", h.changeCampaignStatus(models.ActionResume))
	app.Post("/campaigns/:slug/end", h.changeCampaignStatus(models.ActionEnd))
	app.Get("/campaigns/:slug/versions/:n", h.showCampaignVersionPage)
	app.Post("/campaigns/:slug/headline", h.saveInviteHeadline)

	// Operations.
	app.Get("/participants", h.showParticipantsPage)
	app.Get("/participants/:external_id", h.showParticipantPage)
	app.Get("/participants/:external_id/export", h.exportParticipantData)
	app.Get("/participants/:external_id/erase", h.showEraseParticipantPage)
	app.Post("/participants/:external_id/erase", h.eraseParticipant)
	app.Get("/invitations", h.showInvitationsPage)
	app.Get("/rewards", h.showRewardsQueuePage)
	app.Get("/rewards.csv", h.exportRewardsCSV)
	app.Post("/rewards/bulk/confirm", h.confirmRewardsBulkAction)
	app.Post("/rewards/bulk", h.settleRewardsInBulk)
	app.Get("/rewards/:id/redeem", h.showRedeemRewardPage)
	app.Post("/rewards/:id/redeem", h.redeemQueuedReward)
	app.Post("/rewards/:id/void", h.voidQueuedReward)
	app.Post("/rewards/:id/retry-fulfilment", h.retryRewardFulfilment)
	app.Get("/review", h.showReviewQueuePage)
	app.Post("/review/bulk", h.reviewInBulk)
	app.Post("/review/:id/approve", h.approveHeldReward)
	app.Post("/review/:id/reject", h.rejectHeldReward)
	app.Get("/blocklist", h.showBlocklistPage)
	app.Post("/blocklist", h.saveBlocklist)
	app.Get("/raffles", h.showRafflesPage)
	app.Post("/raffles/confirm", h.confirmRaffleDraw)
	app.Post("/raffles", h.drawRaffle)
	app.Get("/raffles/:id", h.showRaffleResultPage)
	app.Get("/events", h.showEventCatalogPage)
	app.Get("/events/log", h.showEventLogPage)
	app.Post("/events", h.defineEvent)
	app.Post("/events/:name", h.updateEventDefinition)
	app.Get("/api-keys", h.showAPIKeysPage)
	app.Post("/api-keys", h.createAPIKey)
	app.Post("/api-keys/:id/revoke", h.revokeAPIKey)
	app.Get("/webhooks", h.showWebhooksPage)
	app.Post("/webhooks", h.createWebhookEndpoint)
	app.Get("/webhooks/:id", h.showWebhookEndpointPage)
	app.Post("/webhooks/:id", h.updateWebhookEndpoint)
	app.Post("/webhooks/:id/rotate", h.rotateWebhookSecret)
	app.Post("/webhooks/:id/test", h.sendWebhookTest)
	app.Post("/webhooks/:id/replay", h.replayFailedWebhooks)
	app.Post("/webhooks/:id/delete", h.deleteWebhookEndpoint)
	app.Post("/webhooks/deliveries/:id/replay", h.replayWebhookDelivery)
	app.Get("/widget", h.showWidgetPage)
	app.Post("/widget/settings", h.saveWidgetOrigins)
	app.Post("/widget/preview", h.previewWidget)
	app.Get("/integrations/stripe", h.showStripePage)
	app.Post("/integrations/stripe", h.connectStripe)
	app.Post("/integrations/stripe/disconnect", h.disconnectStripe)
	app.Get("/audit", h.showAuditLogPage)
	app.Get("/branding", h.showBrandingPage)
	app.Post("/branding", h.saveBranding)
	app.Post("/branding/texts", h.saveGuestTexts)
	app.Get("/branding/translations", h.showTranslationsPage)
	app.Post("/branding/translations", h.saveTranslations)
	app.Get("/settings/retention", h.showRetentionPage)
	app.Post("/settings/retention", h.saveRetentionSettings)
	app.Get("/settings/export", h.exportAccountData)
	app.Get("/settings/account", h.showAccountDeletionPage)
	app.Post("/settings/account/delete", h.scheduleAccountDeletion)
	app.Post("/settings/account/undo", h.undoAccountDeletion)
	app.Get("/billing", h.showBillingPage)
	app.Post("/billing/checkout", h.startCheckout)
	app.Post("/billing/portal", h.openCustomerPortal)
}
