package api

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/web/internal/jsonbody"
	"github.com/tandemhq/tandem/web/internal/surface"
)

// listParticipantRewards returns a participant's reward tokens, newest first.
func (h *handler) listParticipantRewards(c *fiber.Ctx) error {
	page, err := pageParams(c)
	if err != nil {
		return err
	}
	externalID, err := externalIDParam(c)
	if err != nil {
		return err
	}
	return h.inTenant(c, func(ctx context.Context) error {
		rewards, more, err := models.ListParticipantRewards(ctx, externalID, page)
		if err != nil {
			return err
		}
		return c.JSON(surface.NewList(rewards, more))
	})
}

// redeemReward marks an issued reward token redeemed (the value was
// handed over); asking again is a no-op.
func (h *handler) redeemReward(c *fiber.Ctx) error {
	return h.settleReward(c, models.RedeemReward)
}

// voidReward cancels an issued reward token; asking again is a no-op.
func (h *handler) voidReward(c *fiber.Ctx) error {
	return h.settleReward(c, models.VoidReward)
}

// settleReward applies one status change to the token {id} and answers it.
// Models refuse impossible changes (reward_status_transition), such
// as voiding a redeemed token.
func (h *handler) settleReward(c *fiber.Ctx, settle func(context.Context, string) (models.RewardToken, error)) error {
	if err := noBody(c); err != nil {
		return err
	}
	id, err := idParam(c, models.ErrRewardNotFound)
	if err != nil {
		return err
	}
	return h.inTenant(c, func(ctx context.Context) error {
		reward, err := settle(ctx, id)
		if err != nil {
			return err
		}
		return c.JSON(reward)
	})
}

// retryFulfilment queues a failed Stripe fulfilment of an issued reward
// again at once, instead of at its next retry, and answers the reward,
// pending; a settled reward is reward_not_issued (models.RetryFulfilment).
func (h *handler) retryFulfilment(c *fiber.Ctx) error {
	return h.settleReward(c, func(ctx context.Context, id string) (models.RewardToken, error) {
		if err := models.RetryFulfilment(ctx, id); err != nil {
			return models.RewardToken{}, err
		}
		return models.GetReward(ctx, id)
	})
}

// noBody accepts an action that takes no parameters with no body or an
// empty JSON object, and refuses anything else as it would any unknown
// field, rather than ignore what the caller meant.
func noBody(c *fiber.Ctx) error {
	if len(c.Body()) == 0 {
		return nil
	}
	return jsonbody.Read(c, &struct{}{})
}
