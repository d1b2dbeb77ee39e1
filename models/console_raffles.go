package models

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// RaffleDraw is a recorded draw as the console lists it.
type RaffleDraw struct {
	ID           string `json:"id"`
	Campaign     string `json:"campaign"`
	CampaignName string `json:"campaign_name"`
	// Requested is how many winners were asked for; Drawn how many there
	// were (fewer when fewer participants held tickets).
	Requested int   `json:"requested"`
	Drawn     int   `json:"drawn"`
	Entries   int   `json:"entries"`
	Tickets   int64 `json:"tickets"`
	// DrawnBy names who drew: a member's e-mail, a key's name, or Tandem.
	DrawnBy string    `json:"drawn_by"`
	DrawnAt time.Time `json:"drawn_at"`
}

// ListRaffleDraws returns past draws, newest first.
func ListRaffleDraws(ctx context.Context, page Page) ([]RaffleDraw, bool, error) {
	tx, err := db(ctx)
	if err != nil {
		return nil, false, err
	}
	var ds []RaffleDraw
	err = tx.Raw(qRaffleDraws, map[string]any{"id": "", "after": page.After, "limit": page.limit() + 1}).Scan(&ds).Error
	if err != nil {
		return nil, false, fmt.Errorf("list raffle draws: %w", err)
	}
	ds, more := trimPage(page, ds)
	return ds, more, nil
}

// GetRaffleDraw returns one recorded draw's summary.
func GetRaffleDraw(ctx context.Context, id string) (RaffleDraw, error) {
	tx, err := db(ctx)
	if err != nil {
		return RaffleDraw{}, err
	}
	var d RaffleDraw
	err = tx.Raw(qRaffleDraws, map[string]any{"id": id, "after": "", "limit": 1}).Take(&d).Error
	return d, dbError("get raffle draw", err, ErrRaffleNotFound)
}

// RecheckRaffle draws again from a recorded draw's seed and entries with
// DrawWinners and reports whether that gives the recorded winners, in
// order: anyone holding the seed and the entries can do the same.
func RecheckRaffle(r Raffle, requested int) bool {
	again, err := DrawWinners(r.Seed, r.Entries, requested)
	return err == nil && slices.Equal(again, r.Winners)
}

// RafflePot is what a draw over a campaign's tickets would use: its issued
// ticket tokens, their tickets (quantities) and holders.
type RafflePot struct {
	Campaign     string `json:"campaign"`
	CampaignName string `json:"campaign_name"`
	Tokens       int    `json:"tokens"`
	Tickets      int64  `json:"tickets"`
	Participants int    `json:"participants"`
}

// ListRafflePots returns, per campaign with issued tickets, its pot.
func ListRafflePots(ctx context.Context) ([]RafflePot, error) {
	tx, err := db(ctx)
	if err != nil {
		return nil, err
	}
	var ps []RafflePot
	if err := tx.Raw(qRafflePots).Scan(&ps).Error; err != nil {
		return nil, fmt.Errorf("list raffle pots: %w", err)
	}
	return ps, nil
}
