package console

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/views"
)

// Raffles: every member sees past draws and their results; owners and
// admins (models.PermRafflesRun) run a draw, in two steps — choose the
// campaign and the number of winners, then confirm over the pot it uses.

// raffleList loads the raffles page.
func raffleList(ctx context.Context, s consoleSession, page models.Page, form views.RaffleForm) (views.RaffleList, error) {
	l := views.RaffleList{Form: form}
	if s.can(models.PermRafflesRun) {
		pots, err := models.ListRafflePots(ctx)
		if err != nil {
			return views.RaffleList{}, err
		}
		l.Pots = pots
	}
	draws, more, err := models.ListRaffleDraws(ctx, page)
	if err != nil {
		return views.RaffleList{}, err
	}
	last := ""
	if len(draws) > 0 {
		last = draws[len(draws)-1].ID
	}
	l.Draws, l.Pager = draws, opsPager("/raffles", nil, page, more, last)
	return l, nil
}

// showRafflesPage lists past draws, and offers configurers a new one.
func (h *handler) showRafflesPage(c *fiber.Ctx) error {
	page := opsListPage(c)
	return h.console(c, models.PermRewardsView, func(ctx context.Context, s consoleSession) error {
		l, err := raffleList(ctx, s, page, views.RaffleForm{})
		if err != nil {
			return err
		}
		return h.page(c, views.RafflesPage(l))
	})
}

// raffleFormFrom reads and checks the draw form against the pots: the
// campaign must have tickets, the winners a number in range.
func raffleFormFrom(c *fiber.Ctx, pots []models.RafflePot) views.RaffleForm {
	f := views.RaffleForm{Campaign: c.FormValue("campaign"), Winners: strings.TrimSpace(c.FormValue("winners")),
		Errors: map[string]string{}}
	for i := range pots {
		if pots[i].Campaign == f.Campaign {
			f.Confirm = &pots[i]
		}
	}
	if f.Confirm == nil {
		f.Errors["campaign"] = "This campaign has no tickets to draw from. Choose one from the list."
	}
	if n, err := strconv.Atoi(f.Winners); err != nil || n < 1 || n > models.MaxRaffleWinners {
		f.Errors["winners"] = fmt.Sprintf("Enter a number of winners from 1 to %d.", models.MaxRaffleWinners)
	}
	if len(f.Errors) > 0 {
		f.Confirm = nil
	}
	return f
}

// confirmRaffleDraw answers the draw form with its confirmation (or its
// errors): a POST that changes nothing.
func (h *handler) confirmRaffleDraw(c *fiber.Ctx) error {
	return h.console(c, models.PermRafflesRun, func(ctx context.Context, s consoleSession) error {
		pots, err := models.ListRafflePots(ctx)
		if err != nil {
			return err
		}
		return h.answerRaffleForm(ctx, c, s, raffleFormFrom(c, pots))
	})
}

// answerRaffleForm shows the draw form with its confirmation, or with its
// errors (422).
func (h *handler) answerRaffleForm(ctx context.Context, c *fiber.Ctx, s consoleSession, f views.RaffleForm) error {
	if f.Confirm == nil {
		c.Status(http.StatusUnprocessableEntity)
	}
	l, err := raffleList(ctx, s, models.Page{Limit: opsPageSize}, f)
	if err != nil {
		return err
	}
	return h.pageOrFragment(c, views.RafflesPage(l), views.RaffleFormPanel(l.Pots, f))
}

// drawRaffle runs a confirmed draw and shows its result.
func (h *handler) drawRaffle(c *fiber.Ctx) error {
	return h.console(c, models.PermRafflesRun, func(ctx context.Context, s consoleSession) error {
		pots, err := models.ListRafflePots(ctx)
		if err != nil {
			return err
		}
		f := raffleFormFrom(c, pots)
		if f.Confirm == nil {
			return h.answerRaffleForm(ctx, c, s, f)
		}
		winners, _ := strconv.Atoi(f.Winners)
		r, err := models.DrawRaffle(ctx, f.Campaign, winners)
		if errors.Is(err, models.ErrNoTickets) {
			h.flash(c, views.FlashError, "Those tickets were just used by another draw. Nothing was drawn.")
			return rollback(h.redirect(c, "/raffles"))
		}
		if err != nil {
			return err
		}
		h.flash(c, views.FlashSuccess, fmt.Sprintf("Drew %d %s among %d participants.", len(r.Winners),
			map[bool]string{true: "winner", false: "winners"}[len(r.Winners) == 1], len(r.Entries)))
		return h.redirect(c, "/raffles/"+r.ID)
	})
}

// showRaffleResultPage shows a draw: its winners in order, its entries,
// its seed, and whether drawing again from them gives the same winners.
func (h *handler) showRaffleResultPage(c *fiber.Ctx) error {
	id := c.Params("id")
	return h.console(c, models.PermRewardsView, func(ctx context.Context, s consoleSession) error {
		d, err := models.GetRaffleDraw(ctx, id)
		if err != nil {
			return err
		}
		r, err := models.GetRaffle(ctx, id)
		if err != nil {
			return err
		}
		return h.page(c, views.RaffleResultPage(views.RaffleResult{Draw: d, Raffle: r, Verified: models.RecheckRaffle(r, d.Requested)}))
	})
}
