package models

// Permission names one kind of console action. The web layer checks it on
// the server before every action, and the views use it to hide what a
// member may not do; both read the one table below.
type Permission string

// The console's permissions. "view" permissions guard pages; the others
// guard changes.
const (
	PermDashboardView    Permission = "dashboard.view"
	PermCampaignsView    Permission = "campaigns.view"
	PermCampaignsEdit    Permission = "campaigns.edit"    // drafts, pause, resume, end
	PermCampaignsPublish Permission = "campaigns.publish" // publish a version, migrate in-flight invitations
	PermEventsManage     Permission = "events.manage"     // the event catalog
	PermParticipantsView Permission = "participants.view" // participants and invitations
	// PermParticipantsExport: everything held about one participant, for
	// their request of access; it holds audit entries and webhook
	// messages, which only those who configure may read.
	PermParticipantsExport Permission = "participants.export"
	PermParticipantsErase  Permission = "participants.erase" // a participant's erasure, which cannot be undone
	PermRewardsView        Permission = "rewards.view"
	PermRewardsSettle      Permission = "rewards.settle"   // redeem, void
	PermRewardsReview      Permission = "rewards.review"   // approve or reject held rewards
	PermBlocklistManage    Permission = "blocklist.manage" // the fraud blocklist, which holds e-mail addresses
	PermRewardsExport      Permission = "rewards.export"   // CSV export
	PermRafflesRun         Permission = "raffles.run"
	PermAPIKeysManage      Permission = "api_keys.manage"
	PermWebhooksManage     Permission = "webhooks.manage" // endpoints, secrets, the delivery log and replays
	PermAuditView          Permission = "audit.view"
	PermTeamView           Permission = "team.view"
	PermTeamManage         Permission = "team.manage"     // invite, change roles, remove
	PermBillingManage      Permission = "billing.manage"  // the plan, Checkout and the Customer Portal
	PermStripeManage       Permission = "stripe.manage"   // connect and disconnect the tenant's Stripe account
	PermBrandingManage     Permission = "branding.manage" // the logo, colour and name guests and hosts see
	// PermRetentionManage: how long the tenant's data is kept (retention).
	PermRetentionManage Permission = "retention.manage"
	// PermAccountManage: the whole account, exported or deleted.
	PermAccountManage Permission = "account.manage"
)

var (
	everyone    = []string{RoleOwner, RoleAdmin, RoleMarketer, RoleViewer}
	configurers = []string{RoleOwner, RoleAdmin}
)

// permissions is who may do what. Owners may do everything; admins
// configure everything but the team; marketers read everything
// a campaign produces and may export it; viewers only read.
var permissions = map[Permission][]string{
	PermDashboardView:      everyone,
	PermCampaignsView:      everyone,
	PermCampaignsEdit:      configurers,
	PermCampaignsPublish:   configurers,
	PermEventsManage:       configurers,
	PermParticipantsView:   everyone,
	PermParticipantsExport: configurers,
	PermParticipantsErase:  configurers,
	PermRewardsView:        everyone,
	PermRewardsSettle:      configurers,
	PermRewardsReview:      configurers,
	PermBlocklistManage:    configurers,
	PermRewardsExport:      {RoleOwner, RoleAdmin, RoleMarketer},
	PermRafflesRun:         configurers,
	PermAPIKeysManage:      configurers,
	PermWebhooksManage:     configurers,
	PermAuditView:          configurers,
	PermTeamView:           everyone,
	PermTeamManage:         {RoleOwner},
	PermBillingManage:      {RoleOwner},
	PermStripeManage:       configurers,
	PermBrandingManage:     configurers,
	PermRetentionManage:    configurers,
	PermAccountManage:      {RoleOwner},
}

// Can reports whether a member with role may do p. An unknown role or
// permission may do nothing.
func Can(role string, p Permission) bool {
	for _, r := range permissions[p] {
		if r == role {
			return true
		}
	}
	return false
}
