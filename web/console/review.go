package console

import (
	"context"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/views"
)

// The review queue: held rewards, oldest first, each with its referral's
// host and guest, the risk signals that held it and the host's other
// referrals. Every member reads it; owners and admins
// (models.PermRewardsReview) approve or reject, one reward at a time
// (review_decide.go) or the ticked ones at once (review_bulk.go).

// reviewOthersShown is how many of a host's other referrals a row lists.
const reviewOthersShown = 5

// reviewFilterFrom reads the queue's filter from query parameters (a
// request's, or a bulk form's "back" field).
func reviewFilterFrom(v url.Values) models.ReviewFilter {
	get := func(name string) string { return strings.TrimSpace(v.Get(name)) }
	return models.ReviewFilter{Campaign: get("campaign"), Signal: get("signal"), Age: get("age")}
}

// reviewFilterValues is the filter as query parameters, without paging.
func reviewFilterValues(f models.ReviewFilter) url.Values {
	return opsValues("campaign", f.Campaign, "signal", f.Signal, "age", f.Age)
}

// reviewQueue loads one page of the queue for f, with its hosts' other
// referrals.
func reviewQueue(ctx context.Context, f models.ReviewFilter, page models.Page) (views.ReviewQueue, error) {
	rs, more, err := models.ListReviewQueue(ctx, f, page)
	if err != nil {
		return views.ReviewQueue{}, err
	}
	campaigns, err := models.CampaignChoices(ctx)
	if err != nil {
		return views.ReviewQueue{}, err
	}
	items, err := reviewItems(ctx, rs)
	if err != nil {
		return views.ReviewQueue{}, err
	}
	last := ""
	if len(rs) > 0 {
		last = rs[len(rs)-1].ID
	}
	filter := reviewFilterValues(f)
	return views.ReviewQueue{Filter: f, Campaigns: campaigns, Items: items, Filtered: len(filter) > 0,
		Query: filter.Encode(), Pager: opsPager("/review", filter, page, more, last)}, nil
}

// reviewItems pairs each reward with its host's other referrals (the
// reward's own left out).
func reviewItems(ctx context.Context, rs []models.HeldReward) ([]views.ReviewItem, error) {
	hosts := make([]string, 0, len(rs))
	for _, r := range rs {
		hosts = append(hosts, r.Host)
	}
	refs, err := models.ListHostReferrals(ctx, hosts, reviewOthersShown+1)
	if err != nil {
		return nil, err
	}
	items := make([]views.ReviewItem, len(rs))
	for i, r := range rs {
		item := views.ReviewItem{Reward: r, OtherTotal: max(refs.Total[r.Host]-1, 0)}
		for _, o := range refs.Recent[r.Host] {
			if o.Invitation != r.Invitation && len(item.Others) < reviewOthersShown {
				item.Others = append(item.Others, o)
			}
		}
		items[i] = item
	}
	return items, nil
}

// reviewItem loads one reward as the queue shows it, whatever its status.
func reviewItem(ctx context.Context, id string) (views.ReviewItem, error) {
	r, err := models.GetReviewedReward(ctx, id)
	if err != nil {
		return views.ReviewItem{}, err
	}
	items, err := reviewItems(ctx, []models.HeldReward{r})
	if err != nil {
		return views.ReviewItem{}, err
	}
	return items[0], nil
}

// showReviewQueuePage lists held rewards oldest first, filtered by
// ?campaign= (slug), ?signal= (a risk signal code) and ?age= (held for
// more than 1d, 3d, 7d or 30d). ?select=all ticks every row of the page
// for a bulk decision.
func (h *handler) showReviewQueuePage(c *fiber.Ctx) error {
	f, page, selectAll := reviewFilterFrom(opsRequestValues(c)), opsListPage(c), c.Query("select") == "all"
	return h.console(c, models.PermRewardsView, func(ctx context.Context, s consoleSession) error {
		q, err := reviewQueue(ctx, f, page)
		if err != nil {
			return err
		}
		q.SelectAll = selectAll
		return h.page(c, views.ReviewQueuePage(q))
	})
}
