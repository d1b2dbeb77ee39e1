package api

import (
	"context"
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/web/internal/jsonbody"
)

type claimRequest struct {
	Code  *string `json:"code"`
	Guest *string `json:"guest"`
	// Client is where the guest claimed from, for the risk signals.
	Client *models.Client `json:"client"`
}

// claimCode records that a guest accepted an invitation or referrer code.
// Every refusal (unknown, taken, expired, self-referral, inactive campaign)
// is the schema's verdict, and it rolls back the whole transaction: a
// failed claim creates no guest.
func (h *handler) claimCode(c *fiber.Ctx) error {
	var req claimRequest
	if err := jsonbody.Read(c, &req); err != nil {
		return err
	}
	if err := required("code", req.Code != nil); err != nil {
		return err
	}
	if err := required("guest", req.Guest != nil); err != nil {
		return err
	}
	return h.inTenant(c, func(ctx context.Context) error {
		inv, err := models.ClaimFrom(ctx, *req.Code, *req.Guest, req.Client)
		if err != nil {
			return err
		}
		return c.Status(http.StatusCreated).JSON(fiber.Map{"invitation": h.newInvitationJSON(inv)})
	})
}
