package console

import (
	"context"
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/views"
)

// statusDone is what each status change tells the member it did.
var statusDone = map[string]string{
	models.ActionPause:  "Campaign paused: no new invitations or claims until you resume it. Guests already in keep progressing.",
	models.ActionResume: "Campaign resumed: hosts can invite and guests can join again.",
	models.ActionEnd:    "Campaign ended. Rewards already issued stay valid.",
}

// changeCampaignStatus returns the handler of one status button of the
// campaign page: pause, resume or end (models.ChangeCampaignStatus, audited
// there). A change the campaign's status does not allow, such as resuming
// an ended campaign from a stale page, is explained rather than failed.
func (h *handler) changeCampaignStatus(action string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		slug := c.Params("slug")
		return h.console(c, models.PermCampaignsEdit, func(ctx context.Context, s consoleSession) error {
			if _, err := getConsoleCampaign(ctx, slug); err != nil {
				return err
			}
			campaign, err := models.ChangeCampaignStatus(ctx, slug, action)
			if errors.Is(err, models.ErrCampaignTransition) {
				h.flash(c, views.FlashError, "The campaign's status does not allow that any more. Here is where it stands now.")
				return rollback(h.redirect(c, "/campaigns/"+slug))
			}
			if err != nil {
				return err
			}
			h.flash(c, views.FlashSuccess, statusDone[action])
			return h.redirect(c, "/campaigns/"+campaign.Slug)
		})
	}
}
