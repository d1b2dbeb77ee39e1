package api

import (
	"context"
	"net/http"
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/web/internal/jsonbody"
)

type raffleRequest struct {
	Campaign *string `json:"campaign"`
	Winners  *int    `json:"winners"`
}

// raffleJSON is a draw as the API shows it:
//
//	{"id": "rfl_…", "campaign": "spring", "winners": ["p1", "p2"],
//	 "entries": [{"participant": "p1", "tickets": 3}, …],
//	 "seed": "<64 hex digits>", "drawn_by": "key:…", "drawn_at": "…",
//	 "verified": true}
//
// winners are external ids in place order; entries are the pot, in the
// order the draw read them. verified says that drawing again from seed and
// entries (models.DrawWinners) gives the same winners: anyone holding the
// three can check the draw was not chosen by hand.
type raffleJSON struct {
	models.Raffle
	Verified bool `json:"verified"`
}

func newRaffleJSON(r models.Raffle) raffleJSON {
	again, err := models.DrawWinners(r.Seed, r.Entries, len(r.Winners))
	return raffleJSON{Raffle: r, Verified: err == nil && slices.Equal(again, r.Winners)}
}

// drawRaffle draws winners among a campaign's issued ticket tokens,
// weighted by ticket count; the tickets in the pot become redeemed.
func (h *handler) drawRaffle(c *fiber.Ctx) error {
	var req raffleRequest
	if err := jsonbody.Read(c, &req); err != nil {
		return err
	}
	if err := required("campaign", req.Campaign != nil); err != nil {
		return err
	}
	if err := required("winners", req.Winners != nil); err != nil {
		return err
	}
	if !models.IsText(*req.Campaign) {
		return models.ErrCampaignNotFound
	}
	return h.inTenant(c, func(ctx context.Context) error {
		raffle, err := models.DrawRaffle(ctx, *req.Campaign, *req.Winners)
		if err != nil {
			return err
		}
		return c.Status(http.StatusCreated).JSON(newRaffleJSON(raffle))
	})
}

// showRaffle returns a recorded draw, checked again from its seed.
func (h *handler) showRaffle(c *fiber.Ctx) error {
	id, err := idParam(c, models.ErrRaffleNotFound)
	if err != nil {
		return err
	}
	return h.inTenant(c, func(ctx context.Context) error {
		raffle, err := models.GetRaffle(ctx, id)
		if err != nil {
			return err
		}
		return c.JSON(newRaffleJSON(raffle))
	})
}
