package console

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/views"
)

// reviewBulkBack is the queue filter a bulk form carries back.
func reviewBulkBack(c *fiber.Ctx) models.ReviewFilter { return reviewFilterFrom(formBack(c)) }

// reviewInBulk approves or rejects (with the bulk form's reason) the
// ticked rewards, each audited on its own, and goes back to the queue
// with what it did. Rewards decided meanwhile by someone else are left as
// they are, and counted. A choice the form cannot make (no action, no
// reward ticked, too many, a rejection without a reason) answers 422 with
// the queue and the message beside the bulk form.
func (h *handler) reviewInBulk(c *fiber.Ctx) error {
	action, ids, back, reason := c.FormValue("action"), formList(c, "id"), reviewBulkBack(c), formValue(c, "reason")
	return h.console(c, models.PermRewardsReview, func(ctx context.Context, s consoleSession) error {
		var why *string
		bulkErr := ""
		switch {
		case action != "approve" && action != "reject":
			bulkErr = "Choose to approve or to reject the ticked rewards."
		case len(ids) == 0:
			bulkErr = "Tick at least one reward first."
		case len(ids) > models.MaxBulkRewards:
			bulkErr = fmt.Sprintf("Tick at most %d rewards at once.", models.MaxBulkRewards)
		case action == "reject":
			why = &reason
		}
		var res models.BulkResult
		var err error
		if bulkErr == "" {
			res, err = models.ReviewRewards(ctx, ids, why)
		}
		var ve *models.ValidationError
		if errors.As(err, &ve) {
			bulkErr = reviewInputMessage(ve)
		} else if err != nil {
			return err
		}
		if bulkErr != "" {
			q, err := reviewQueue(ctx, back, models.Page{Limit: opsPageSize})
			if err != nil {
				return err
			}
			q.Bulk = views.ReviewBulk{Error: bulkErr, Reason: reason, Ticked: ids}
			c.Status(http.StatusUnprocessableEntity)
			return rollback(h.page(c, views.ReviewQueuePage(q)))
		}
		msg := fmt.Sprintf("%s %s.", reviewBulkDone[action], opsRewardsCount(len(res.Settled)))
		if res.Skipped > 0 {
			msg += fmt.Sprintf(" %s already decided, left as they were.", opsRewardsCount(res.Skipped))
		}
		h.flash(c, views.FlashSuccess, msg)
		return h.redirect(c, opsURL("/review", reviewFilterValues(back)))
	})
}

var reviewBulkDone = map[string]string{"approve": "Approved", "reject": "Rejected"}
