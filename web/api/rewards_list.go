package api

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/web/internal/surface"
)

// listRewards returns the tenant's reward tokens, newest first, filtered by
// status, campaign, participant and issue time.
func (h *handler) listRewards(c *fiber.Ctx) error {
	page, after, before, err := tenantListParams(c)
	if err != nil {
		return err
	}
	f := models.RewardFilter{Status: c.Query("status"), Campaign: c.Query("campaign"), Participant: c.Query("participant"),
		IssuedAfter: after, IssuedBefore: before}
	return h.inTenant(c, func(ctx context.Context) error {
		rs, more, err := models.ListRewardQueue(ctx, f, page)
		if err != nil {
			return err
		}
		out := make([]models.RewardToken, len(rs))
		for i, r := range rs {
			out[i] = r.RewardToken
		}
		return c.JSON(surface.NewList(out, more))
	})
}

// showReward returns one reward token.
func (h *handler) showReward(c *fiber.Ctx) error {
	id, err := idParam(c, models.ErrRewardNotFound)
	if err != nil {
		return err
	}
	return h.inTenant(c, func(ctx context.Context) error {
		reward, err := models.GetReward(ctx, id)
		if err != nil {
			return err
		}
		return c.JSON(reward)
	})
}
