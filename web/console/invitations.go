package console

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/views"
)

// showInvitationsPage lists invitations newest first with their guests'
// progress, filtered by ?campaign= (slug), ?status=, ?step= (the next
// step of guests in progress) and ?host= (external id).
func (h *handler) showInvitationsPage(c *fiber.Ctx) error {
	f := models.InvitationFilter{Campaign: opsQuery(c, "campaign"), Status: opsQuery(c, "status"),
		Step: opsQuery(c, "step"), Host: opsQuery(c, "host")}
	page := opsListPage(c)
	return h.console(c, models.PermParticipantsView, func(ctx context.Context, s consoleSession) error {
		invs, more, err := models.ListInvitations(ctx, f, page)
		if err != nil {
			return err
		}
		campaigns, err := models.CampaignChoices(ctx)
		if err != nil {
			return err
		}
		steps, err := models.QuestStepNames(ctx, f.Campaign)
		if err != nil {
			return err
		}
		last := ""
		if len(invs) > 0 {
			last = invs[len(invs)-1].ID
		}
		filter := opsValues("campaign", f.Campaign, "status", f.Status, "step", f.Step, "host", f.Host)
		return h.page(c, views.InvitationsPage(views.InvitationList{Filter: f, Campaigns: campaigns, StepNames: steps,
			Invitations: invs, Filtered: len(filter) > 0, Pager: opsPager("/invitations", filter, page, more, last)}))
	})
}
