package console

import (
	"context"
	"slices"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/views"
)

// The dashboard, linked from the overview (overview.go): one campaign's
// funnel, rewards per currency, top hosts and last 30 days
// (views/dashboard.templ), read from the rollups of
// migrations/00011_dashboard_rollups.sql so that it stays fast however
// large the campaign (bench/dashboard measures it). Every role may read it.

// showDashboardPage shows the campaign named by ?campaign=slug, or the
// most recent active one. An unknown slug is a 404, as another tenant's
// campaign is: under RLS it does not exist. The picker's htmx request gets
// the dashboard alone.
func (h *handler) showDashboardPage(c *fiber.Ctx) error {
	return h.console(c, models.PermDashboardView, func(ctx context.Context, s consoleSession) error {
		campaigns, err := models.DashboardCampaigns(ctx)
		if err != nil {
			return err
		}
		page := views.Dashboard{Campaigns: campaigns}
		var chosen models.Campaign
		if slug := c.Query("campaign"); slug != "" {
			i := slices.IndexFunc(campaigns, func(c models.Campaign) bool { return c.Slug == slug })
			if i >= 0 {
				chosen = campaigns[i]
			} else if chosen, err = models.GetCampaign(ctx, slug); err != nil {
				return err // not found: a 404 page
			}
		} else {
			chosen, _ = models.DefaultDashboardCampaign(campaigns)
		}
		if chosen.ID != "" {
			if page.Data, err = models.LoadDashboard(ctx, chosen, time.Now()); err != nil {
				return err
			}
		}
		return h.pageOrFragment(c, views.DashboardPage(page), views.DashboardBody(page))
	})
}
