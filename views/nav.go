package views

import (
	"context"

	"github.com/tandemhq/tandem/models"
)

// The navigation keys: a page passes its own to Layout to mark it current.
const (
	NavOverview     = "overview"
	NavDashboard    = "dashboard"
	NavCampaigns    = "campaigns"
	NavParticipants = "participants"
	NavInvitations  = "invitations"
	NavRewards      = "rewards"
	NavReview       = "review"
	NavBlocklist    = "blocklist"
	NavRaffles      = "raffles"
	NavEvents       = "events"
	NavEventLog     = "event_log"
	NavAPIKeys      = "api_keys"
	NavWebhooks     = "webhooks"
	NavWidget       = "widget"
	NavStripe       = "stripe"
	NavTeam         = "team"
	NavAudit        = "audit"
	NavBilling      = "billing"
	NavRetention    = "retention"
	NavBranding     = "branding"
)

// NavItem is one entry of the console's sidebar.
type NavItem struct {
	Key   string
	Label string
	// Href is the page's URL: every entry is a page that exists.
	Href string
	// Perm is what a member needs to see the entry.
	Perm models.Permission
	// Section starts a new group of entries with this heading.
	Section string
}

// Nav is the sidebar, in order. A new page gets its entry here when its
// route exists, never before.
var Nav = []NavItem{
	{Key: NavOverview, Label: "Overview", Href: "/", Perm: models.PermDashboardView},
	{Key: NavDashboard, Label: "Dashboard", Href: "/dashboard", Perm: models.PermDashboardView},
	{Key: NavCampaigns, Label: "Campaigns", Href: "/campaigns", Perm: models.PermCampaignsView, Section: "Referrals"},
	{Key: NavParticipants, Label: "Participants", Href: "/participants", Perm: models.PermParticipantsView},
	{Key: NavInvitations, Label: "Invitations", Href: "/invitations", Perm: models.PermParticipantsView},
	{Key: NavRewards, Label: "Rewards", Href: "/rewards", Perm: models.PermRewardsView},
	{Key: NavReview, Label: "Review", Href: "/review", Perm: models.PermRewardsView},
	{Key: NavBlocklist, Label: "Blocklist", Href: "/blocklist", Perm: models.PermBlocklistManage},
	{Key: NavRaffles, Label: "Raffles", Href: "/raffles", Perm: models.PermRewardsView},
	{Key: NavEvents, Label: "Events", Href: "/events", Perm: models.PermCampaignsView, Section: "Developers"},
	{Key: NavEventLog, Label: "Event log", Href: "/events/log", Perm: models.PermParticipantsView},
	{Key: NavAPIKeys, Label: "API keys", Href: "/api-keys", Perm: models.PermAPIKeysManage},
	{Key: NavWebhooks, Label: "Webhooks", Href: "/webhooks", Perm: models.PermWebhooksManage},
	{Key: NavWidget, Label: "Widget", Href: "/widget", Perm: models.PermAPIKeysManage},
	{Key: NavStripe, Label: "Stripe", Href: "/integrations/stripe", Perm: models.PermStripeManage},
	{Key: NavTeam, Label: "Team", Href: "/team", Perm: models.PermTeamView, Section: "Settings"},
	{Key: NavAudit, Label: "Audit log", Href: "/audit", Perm: models.PermAuditView},
	{Key: NavBranding, Label: "Branding", Href: "/branding", Perm: models.PermBrandingManage},
	{Key: NavBilling, Label: "Billing", Href: "/billing", Perm: models.PermBillingManage},
	{Key: NavRetention, Label: "Data retention", Href: "/settings/retention", Perm: models.PermRetentionManage},
}

// navSection is a heading and the entries under it that the member sees.
type navSection struct {
	Heading string
	Items   []NavItem
}

// visibleNav groups the entries the signed-in member may see.
func visibleNav(ctx context.Context) []navSection {
	var sections []navSection
	for _, item := range Nav {
		if item.Section != "" || len(sections) == 0 {
			sections = append(sections, navSection{Heading: item.Section})
		}
		if !Can(ctx, item.Perm) {
			continue
		}
		last := &sections[len(sections)-1]
		last.Items = append(last.Items, item)
	}
	out := sections[:0]
	for _, s := range sections {
		if len(s.Items) > 0 {
			out = append(out, s)
		}
	}
	return out
}
