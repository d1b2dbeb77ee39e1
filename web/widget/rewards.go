package widget

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/web/internal/surface"
)

// rewardJSON is a reward as the host sees it in the widget.
type rewardJSON struct {
	ID          string    `json:"id"`
	Reason      string    `json:"reason"`
	Milestone   *int      `json:"milestone"`
	Description string    `json:"description"`
	Kind        string    `json:"kind"`
	Quantity    int       `json:"quantity"`
	Amount      *int64    `json:"amount"`
	Currency    *string   `json:"currency"`
	Status      string    `json:"status"`
	IssuedAt    time.Time `json:"issued_at"`
	// Code is a fulfilled Stripe coupon's promotion code, what the host
	// redeems; absent for every other reward.
	Code *string `json:"code,omitempty"`
}

// listRewards answers GET /widget/v1/rewards: the participant's rewards in
// the token's campaign, newest first, with their status.
func (h *handler) listRewards(c *fiber.Ctx) error {
	page, err := pageParams(c)
	if err != nil {
		return err
	}
	return h.inSession(c, func(ctx context.Context, host models.WidgetHost) error {
		rs, more, err := models.ListWidgetRewards(ctx, host.ParticipantID, host.Campaign.ID, page)
		if err != nil {
			return err
		}
		out := make([]rewardJSON, len(rs))
		for i, r := range rs {
			out[i] = rewardJSON{ID: r.ID, Reason: r.Reason, Milestone: r.Milestone, Description: r.Description, Kind: r.Kind,
				Quantity: r.Quantity, Amount: r.Amount, Currency: r.Currency, Status: r.Status, IssuedAt: r.IssuedAt}
			if r.Fulfilment != nil {
				out[i].Code = r.Fulfilment.Code
			}
		}
		return c.JSON(surface.NewList(out, more))
	})
}
