package console

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/views"
)

// campaignListPageSize is how many campaigns the list shows at once.
const campaignListPageSize = 50

// showCampaignListPage lists the tenant's campaigns, newest first, with
// their key numbers; ?after= pages through older ones.
func (h *handler) showCampaignListPage(c *fiber.Ctx) error {
	after := c.Query("after")
	return h.console(c, models.PermCampaignsView, func(ctx context.Context, s consoleSession) error {
		campaigns, more, err := models.ListCampaigns(ctx, models.Page{Limit: campaignListPageSize, After: after})
		if err != nil {
			return err
		}
		ids := make([]string, len(campaigns))
		for i, cmp := range campaigns {
			ids[i] = cmp.ID
		}
		stats, err := models.CampaignStatsByID(ctx, ids)
		if err != nil {
			return err
		}
		list := views.CampaignList{Items: make([]views.CampaignListItem, len(campaigns))}
		for i, cmp := range campaigns {
			list.Items[i] = views.CampaignListItem{Campaign: cmp, Stats: stats[cmp.ID]}
		}
		if more {
			list.NextAfter = campaigns[len(campaigns)-1].ID
		}
		return h.page(c, views.CampaignListPage(list))
	})
}
