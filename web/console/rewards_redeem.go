package console

import (
	"context"
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/views"
)

// showRedeemRewardPage asks before redeeming one reward (a GET: it changes
// nothing). Its form posts to redeemQueuedReward with the queue's filter
// in "back", taken from the queue page the member came from.
func (h *handler) showRedeemRewardPage(c *fiber.Ctx) error {
	id := c.Params("id")
	back := ""
	if u, err := url.Parse(rewardsBackURL(c)); err == nil {
		back = u.RawQuery
	}
	return h.console(c, models.PermRewardsSettle, func(ctx context.Context, s consoleSession) error {
		r, err := models.GetQueuedReward(ctx, id)
		if err != nil {
			return err
		}
		return h.page(c, views.RewardRedeemPage(views.RewardRedeem{Reward: r, Back: back}))
	})
}
