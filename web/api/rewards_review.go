package api

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/web/internal/jsonbody"
)

// approveReward issues a held reward token; approving again is a no-op.
func (h *handler) approveReward(c *fiber.Ctx) error {
	return h.settleReward(c, models.ApproveReward)
}

// rejectReward voids a held reward token with the reviewer's reason;
// rejecting again is a no-op that keeps the first reason.
func (h *handler) rejectReward(c *fiber.Ctx) error {
	var req struct {
		Reason *string `json:"reason"`
	}
	if err := jsonbody.Read(c, &req); err != nil {
		return err
	}
	if err := required("reason", req.Reason != nil); err != nil {
		return err
	}
	id, err := idParam(c, models.ErrRewardNotFound)
	if err != nil {
		return err
	}
	return h.inTenant(c, func(ctx context.Context) error {
		reward, err := models.RejectReward(ctx, id, *req.Reason)
		if err != nil {
			return err
		}
		return c.JSON(reward)
	})
}
