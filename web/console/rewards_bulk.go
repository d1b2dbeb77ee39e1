package console

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/internal/money"
	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/views"
)

// Bulk redeem and void, in two steps: confirmRewardsBulkAction shows how
// many of the ticked rewards would change and their value per currency;
// settleRewardsInBulk changes them. Both come from the queue page, whose
// filter rides along in the "back" field so the member returns to it.

// bulkActionStatus maps a bulk action to the status it sets.
var bulkActionStatus = map[string]string{"redeem": models.RewardRedeemed, "void": models.RewardVoided}

// bulkBack is the queue filter a bulk form carries back.
func bulkBack(c *fiber.Ctx) models.RewardFilter { return rewardFilterFrom(formBack(c)) }

// confirmRewardsBulkAction answers a bulk action with its confirmation: a
// POST that changes nothing. htmx gets the bulk panel; a plain form post
// the whole queue with the panel in it.
func (h *handler) confirmRewardsBulkAction(c *fiber.Ctx) error {
	action, ids, back := c.FormValue("action"), formList(c, "id"), bulkBack(c)
	return h.console(c, models.PermRewardsSettle, func(ctx context.Context, s consoleSession) error {
		q, err := rewardQueue(ctx, back, models.Page{Limit: opsPageSize})
		if err != nil {
			return err
		}
		bulk := views.RewardBulk{Action: action}
		switch {
		case bulkActionStatus[action] == "":
			bulk = views.RewardBulk{Error: "Choose to redeem or to void the ticked rewards."}
		case len(ids) == 0:
			bulk = views.RewardBulk{Error: "Tick at least one reward first."}
		case len(ids) > models.MaxBulkRewards:
			bulk = views.RewardBulk{Error: fmt.Sprintf("Tick at most %d rewards at once.", models.MaxBulkRewards)}
		default:
			if bulk.Batch, err = models.SummarizeRewardBatch(ctx, ids); err != nil {
				return err
			}
			if len(bulk.Batch.IDs) == 0 {
				bulk = views.RewardBulk{Error: "None of the ticked rewards is still issued: they were settled already."}
			}
		}
		q.Bulk = bulk
		if bulk.Error != "" {
			c.Status(http.StatusUnprocessableEntity)
		}
		return h.pageOrFragment(c, views.RewardsQueuePage(q), views.RewardBulkPanel(q))
	})
}

// settleRewardsInBulk redeems or voids the confirmed rewards, each audited
// on its own, and goes back to the queue with what it did. Rewards settled
// meanwhile by someone else are left as they are, and counted.
func (h *handler) settleRewardsInBulk(c *fiber.Ctx) error {
	action, ids, back := c.FormValue("action"), formList(c, "id"), bulkBack(c)
	return h.console(c, models.PermRewardsSettle, func(ctx context.Context, s consoleSession) error {
		status := bulkActionStatus[action]
		if status == "" || len(ids) == 0 || len(ids) > models.MaxBulkRewards {
			h.flash(c, views.FlashError, "Nothing was changed: tick the rewards again and confirm.")
			return rollback(h.redirect(c, opsURL("/rewards", rewardFilterValues(back))))
		}
		batch, err := models.SummarizeRewardBatch(ctx, ids)
		if err != nil {
			return err
		}
		res, err := models.SettleRewards(ctx, batch.IDs, status)
		if err != nil {
			return err
		}
		skipped := res.Skipped + batch.Unsettleable
		msg := fmt.Sprintf("%s %s.", bulkDone[action], opsRewardsCount(len(res.Settled)))
		if len(res.Settled) == len(batch.IDs) && len(batch.Totals) > 0 {
			msg = fmt.Sprintf("%s %s worth %s.", bulkDone[action], opsRewardsCount(len(res.Settled)), opsTotalsText(batch.Totals))
		}
		if skipped > 0 {
			msg += fmt.Sprintf(" %s already settled, left as they were.", opsRewardsCount(skipped))
		}
		h.flash(c, views.FlashSuccess, msg)
		return h.redirect(c, opsURL("/rewards", rewardFilterValues(back)))
	})
}

var bulkDone = map[string]string{"redeem": "Redeemed", "void": "Voided"}

func opsRewardsCount(n int) string {
	if n == 1 {
		return "1 reward"
	}
	return fmt.Sprintf("%d rewards", n)
}

// opsTotalsText is value per currency, never summed across currencies:
// "$30.00 and €10.00".
func opsTotalsText(ts []money.Total) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = money.Format(t.Amount, t.Currency)
	}
	if len(parts) <= 1 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}
