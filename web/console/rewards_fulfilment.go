package console

import (
	"context"
	"errors"
	"fmt"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/views"
)

// retryRewardFulfilment queues a failed Stripe fulfilment again at once.
// htmx gets the row, now pending; a plain form post goes back to the
// queue. One fulfilled or retried meanwhile is said so, not an error page,
// and so is one whose reward was settled meanwhile: nothing goes to Stripe.
func (h *handler) retryRewardFulfilment(c *fiber.Ctx) error {
	id := c.Params("id")
	return h.console(c, models.PermRewardsSettle, func(ctx context.Context, s consoleSession) error {
		err := models.RetryFulfilment(ctx, id)
		if err != nil && !errors.Is(err, models.ErrFulfilmentNotFailed) && !errors.Is(err, models.ErrRewardNotIssued) {
			return err
		}
		r, gerr := models.GetQueuedReward(ctx, id)
		if gerr != nil {
			return gerr
		}
		msg := views.Flash{Kind: views.FlashSuccess, Message: fmt.Sprintf("%s of %s is queued for Stripe again.", r.Description, r.Participant)}
		switch {
		case errors.Is(err, models.ErrRewardNotIssued):
			msg = views.Flash{Kind: views.FlashError, Message: fmt.Sprintf("%s of %s is %s, so nothing is sent to Stripe.",
				r.Description, r.Participant, r.Status)}
		case err != nil:
			msg = views.Flash{Kind: views.FlashError, Message: fmt.Sprintf("%s of %s is no longer failed, so it was left as it is.",
				r.Description, r.Participant)}
		}
		if isHTMX(c) {
			return render(c, templ.Join(views.RewardRow(r, false), views.FlashOOB(msg)))
		}
		h.flash(c, msg.Kind, msg.Message)
		return h.redirect(c, rewardsBackURL(c))
	})
}
