package console

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/views"
)

// approveHeldReward issues one held reward.
func (h *handler) approveHeldReward(c *fiber.Ctx) error {
	return h.decideHeldReward(c, nil)
}

// rejectHeldReward voids one held reward for the reason typed beside it.
func (h *handler) rejectHeldReward(c *fiber.Ctx) error {
	reason := formValue(c, "reason")
	return h.decideHeldReward(c, &reason)
}

// decideHeldReward approves (reason nil) or rejects one held reward. htmx
// gets the reward's row in its new state and a message; a plain form post
// goes back to the queue. A reward decided meanwhile (by someone else) is
// no error page: the row shows what happened, and the message says so. A
// rejection without a reason answers 422 with the row (htmx) or the queue
// (a plain post), the message beside the reason's field.
func (h *handler) decideHeldReward(c *fiber.Ctx, reason *string) error {
	id := c.Params("id")
	return h.console(c, models.PermRewardsReview, func(ctx context.Context, s consoleSession) error {
		var err error
		if reason == nil {
			_, err = models.ApproveReward(ctx, id)
		} else {
			_, err = models.RejectReward(ctx, id, *reason)
		}
		var ve *models.ValidationError
		if errors.As(err, &ve) {
			return rollback(h.answerReasonError(ctx, c, id, *reason, reviewInputMessage(ve)))
		}
		if err != nil && !errors.Is(err, models.ErrRewardTransition) {
			return err
		}
		item, gerr := reviewItem(ctx, id)
		if gerr != nil {
			return gerr
		}
		r := item.Reward
		msg := views.Flash{Kind: views.FlashSuccess, Message: fmt.Sprintf("%s of %s is %s.", r.Description, r.Participant, views.ReviewOutcome(r.RewardToken))}
		if err != nil {
			msg = views.Flash{Kind: views.FlashError, Message: fmt.Sprintf("%s of %s was already %s, so it was left as it is.",
				r.Description, r.Participant, views.ReviewOutcome(r.RewardToken))}
		}
		if isHTMX(c) {
			return render(c, templ.Join(views.ReviewRow(item), views.FlashOOB(msg)))
		}
		h.flash(c, msg.Kind, msg.Message)
		return h.redirect(c, reviewBackURL(c))
	})
}

// answerReasonError answers a rejection refused for its reason: 422 with
// the reward's row (htmx) or the queue it came from, the message beside
// the reason.
func (h *handler) answerReasonError(ctx context.Context, c *fiber.Ctx, id, reason, message string) error {
	c.Status(http.StatusUnprocessableEntity)
	if isHTMX(c) {
		item, err := reviewItem(ctx, id)
		if err != nil {
			return err
		}
		item.Reason, item.Error = reason, message
		return render(c, views.ReviewRow(item))
	}
	back, _ := url.Parse(reviewBackURL(c))
	q, err := reviewQueue(ctx, reviewFilterFrom(back.Query()), models.Page{Limit: opsPageSize})
	if err != nil {
		return err
	}
	for i := range q.Items {
		if q.Items[i].Reward.ID == id {
			q.Items[i].Reason, q.Items[i].Error = reason, message
		}
	}
	return h.page(c, views.ReviewQueuePage(q))
}

// reviewBackURL is the queue page the request came from, with its filter:
// the "back" field of a form that carries it, else the referring queue
// page, else the queue.
func reviewBackURL(c *fiber.Ctx) string {
	if c.Method() == fiber.MethodPost && c.FormValue("back") != "" {
		return opsURL("/review", reviewFilterValues(reviewBulkBack(c)))
	}
	if u, err := url.Parse(c.Get(fiber.HeaderReferer)); err == nil && u.Path == "/review" {
		return opsURL("/review", reviewFilterValues(reviewFilterFrom(u.Query())))
	}
	return "/review"
}

// reviewInputMessage says what to fix in a decision refused for its
// input: a rejection's reason, in practice.
func reviewInputMessage(ve *models.ValidationError) string {
	if ve.Field == "reason" {
		return "Say why you reject it, in 1 to 500 characters: the reason stays with the reward."
	}
	return sentence(ve.Message)
}
