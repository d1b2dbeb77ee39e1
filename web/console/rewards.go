package console

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/views"
)

// The rewards queue. Every member reads it; owners and admins
// (models.PermRewardsSettle) redeem and void, one reward at a time (the row
// is swapped through htmx) or many (rewards_bulk.go); owners,
// admins and marketers export it (rewards_export.go). Who settled a
// reward, and when, comes from the audit log entry its change wrote.

// rewardFilterFrom reads the queue's filter from query parameters (a
// request's, or a form's "back" field).
func rewardFilterFrom(v url.Values) models.RewardFilter {
	get := func(name string) string { return strings.TrimSpace(v.Get(name)) }
	return models.RewardFilter{Status: get("status"), Campaign: get("campaign"), Kind: get("kind"), Participant: get("participant")}
}

// rewardFilterValues is the filter as query parameters, without paging.
func rewardFilterValues(f models.RewardFilter) url.Values {
	return opsValues("status", f.Status, "campaign", f.Campaign, "kind", f.Kind, "participant", f.Participant)
}

// opsRequestValues copies the request's query parameters.
func opsRequestValues(c *fiber.Ctx) url.Values {
	v, err := url.ParseQuery(string(c.Request().URI().QueryString()))
	if err != nil || !validValues(v) {
		return url.Values{}
	}
	return v
}

// rewardQueue loads one page of the queue for f.
func rewardQueue(ctx context.Context, f models.RewardFilter, page models.Page) (views.RewardQueue, error) {
	rs, more, err := models.ListRewardQueue(ctx, f, page)
	if err != nil {
		return views.RewardQueue{}, err
	}
	campaigns, err := models.CampaignChoices(ctx)
	if err != nil {
		return views.RewardQueue{}, err
	}
	last := ""
	if len(rs) > 0 {
		last = rs[len(rs)-1].ID
	}
	filter := rewardFilterValues(f)
	return views.RewardQueue{Filter: f, Campaigns: campaigns, Rewards: rs, Filtered: len(filter) > 0,
		Query: filter.Encode(), Pager: opsPager("/rewards", filter, page, more, last)}, nil
}

// showRewardsQueuePage lists reward tokens newest first, filtered by
// ?status=, ?campaign= (slug), ?kind= and ?participant= (external id).
// ?select=all ticks every issued reward of the page for a bulk action.
func (h *handler) showRewardsQueuePage(c *fiber.Ctx) error {
	f, page, selectAll := rewardFilterFrom(opsRequestValues(c)), opsListPage(c), c.Query("select") == "all"
	return h.console(c, models.PermRewardsView, func(ctx context.Context, s consoleSession) error {
		q, err := rewardQueue(ctx, f, page)
		if err != nil {
			return err
		}
		q.SelectAll = selectAll
		return h.page(c, views.RewardsQueuePage(q))
	})
}

// redeemQueuedReward marks one reward redeemed.
func (h *handler) redeemQueuedReward(c *fiber.Ctx) error {
	return h.settleQueuedReward(c, models.RewardRedeemed)
}

// voidQueuedReward voids one reward.
func (h *handler) voidQueuedReward(c *fiber.Ctx) error {
	return h.settleQueuedReward(c, models.RewardVoided)
}

// settleQueuedReward moves one issued reward to status. htmx gets the
// reward's row in its new state and a message; a plain form post goes back
// to the queue. A reward settled meanwhile (by someone else) is not an
// error page: the row shows what happened, and the message says so.
func (h *handler) settleQueuedReward(c *fiber.Ctx, status string) error {
	id := c.Params("id")
	return h.console(c, models.PermRewardsSettle, func(ctx context.Context, s consoleSession) error {
		var err error
		if status == models.RewardRedeemed {
			_, err = models.RedeemReward(ctx, id)
		} else {
			_, err = models.VoidReward(ctx, id)
		}
		if err != nil && !errors.Is(err, models.ErrRewardTransition) && !errors.Is(err, models.ErrRewardFulfilled) {
			return err
		}
		r, gerr := models.GetQueuedReward(ctx, id)
		if gerr != nil {
			return gerr
		}
		msg := views.Flash{Kind: views.FlashSuccess, Message: fmt.Sprintf("%s of %s is %s.", r.Description, r.Participant, r.Status)}
		switch {
		case errors.Is(err, models.ErrRewardFulfilled):
			msg = views.Flash{Kind: views.FlashError, Message: fmt.Sprintf("%s of %s was paid through Stripe, so it cannot be voided.",
				r.Description, r.Participant)}
		case err != nil:
			msg = views.Flash{Kind: views.FlashError, Message: fmt.Sprintf("%s of %s was already %s, so it was left as it is.",
				r.Description, r.Participant, r.Status)}
		}
		if isHTMX(c) {
			return render(c, templ.Join(views.RewardRow(r, false), views.FlashOOB(msg)))
		}
		h.flash(c, msg.Kind, msg.Message)
		return h.redirect(c, rewardsBackURL(c))
	})
}

// rewardsBackURL is the queue page the request came from (with its
// filter): the "back" field of a form that carries it (the redeem
// confirmation's), else the referring queue page, else the queue.
func rewardsBackURL(c *fiber.Ctx) string {
	if c.Method() == fiber.MethodPost && c.FormValue("back") != "" {
		return opsURL("/rewards", rewardFilterValues(bulkBack(c)))
	}
	if u, err := url.Parse(c.Get(fiber.HeaderReferer)); err == nil && u.Path == "/rewards" {
		return opsURL("/rewards", rewardFilterValues(rewardFilterFrom(u.Query())))
	}
	return "/rewards"
}
