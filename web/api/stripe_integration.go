package api

import (
	"context"
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/internal/stripereward"
	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/web/internal/jsonbody"
)

// stripeKeyRequest connects the tenant's Stripe account.
type stripeKeyRequest struct {
	APIKey *string `json:"api_key"`
}

// connectStripe checks the key with one call to Stripe, outside any
// transaction, then stores it sealed; the answer shows it masked.
func (h *handler) connectStripe(c *fiber.Ctx) error {
	var req stripeKeyRequest
	if err := jsonbody.Read(c, &req); err != nil {
		return err
	}
	if err := required("api_key", req.APIKey != nil); err != nil {
		return err
	}
	key := *req.APIKey
	if err := stripereward.CheckFormat(key); err != nil {
		return &apiError{Status: http.StatusUnprocessableEntity, Code: "invalid_stripe_key",
			Message: "A Stripe secret (sk_…) or restricted (rk_…) key is expected.", Field: "api_key"}
	}
	if err := h.stripe.Check(c.UserContext(), key); err != nil {
		if stripereward.Rejected(err) {
			return &apiError{Status: http.StatusUnprocessableEntity, Code: "stripe_key_rejected",
				Message: "Stripe refused this key.", Field: "api_key"}
		}
		return newAPIError(http.StatusBadGateway, "stripe_unavailable", "Stripe could not be reached to check the key; try again.")
	}
	return h.inTenant(c, func(ctx context.Context) error {
		conn, err := models.SaveStripeConnection(ctx, h.cfg.Secrets, key, stripereward.Mask(key))
		if err != nil {
			return err
		}
		return c.JSON(conn)
	})
}

// showStripeConnection says whether Stripe is connected, with the key masked.
func (h *handler) showStripeConnection(c *fiber.Ctx) error {
	return h.inTenant(c, func(ctx context.Context) error {
		conn, err := models.GetStripeConnection(ctx)
		if err != nil {
			return err
		}
		return c.JSON(conn)
	})
}

// disconnectStripe forgets the key: 204 whether or not one was connected.
func (h *handler) disconnectStripe(c *fiber.Ctx) error {
	return h.inTenant(c, func(ctx context.Context) error {
		if err := models.DeleteStripeConnection(ctx); err != nil {
			return err
		}
		return c.SendStatus(http.StatusNoContent)
	})
}
