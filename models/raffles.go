package models

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// Raffle is a recorded draw: its entries and seed let anyone draw again.
type Raffle struct {
	ID       string        `json:"id"`
	Campaign string        `json:"campaign"`
	Winners  []string      `json:"winners"`
	Entries  []RaffleEntry `json:"entries"`
	Seed     string        `json:"seed"`
	DrawnBy  string        `json:"drawn_by"`
	DrawnAt  time.Time     `json:"drawn_at"`
}

// MaxRaffleWinners bounds the winners of one draw.
const MaxRaffleWinners = 10000

// DrawRaffle draws winners among the campaign's issued ticket tokens, one
// entry per participant weighted by their ticket quantity, records the
// draw with its seed and entries, and marks every ticket in the pot
// redeemed by this draw.
func DrawRaffle(ctx context.Context, campaignSlug string, winners int) (Raffle, error) {
	if winners < 1 || winners > MaxRaffleWinners {
		return Raffle{}, invalid("winners", "invalid_winners", "winners must be between 1 and %d", MaxRaffleWinners)
	}
	c, err := GetCampaign(ctx, campaignSlug)
	if err != nil {
		return Raffle{}, err
	}
	tx, err := db(ctx)
	if err != nil {
		return Raffle{}, err
	}
	// Lock the pot first so that a concurrent draw cannot use the same tickets.
	var tickets []string
	err = tx.Raw(`SELECT id FROM reward_tokens
		WHERE tenant_id = ? AND campaign_id = ? AND kind = 'ticket' AND status = 'issued' ORDER BY id FOR UPDATE`,
		tenantOf(ctx), c.ID).Scan(&tickets).Error
	if err != nil {
		return Raffle{}, fmt.Errorf("lock tickets: %w", err)
	}
	if len(tickets) == 0 {
		return Raffle{}, fmt.Errorf("draw raffle: %w", ErrNoTickets)
	}
	var entries []struct {
		ParticipantID string
		ExternalID    string
		Tickets       int64
	}
	err = tx.Raw(`
		SELECT r.participant_id, p.external_id, sum(r.quantity) AS tickets
		FROM reward_tokens r JOIN participants p ON p.tenant_id = r.tenant_id AND p.id = r.participant_id
		WHERE r.tenant_id = ? AND r.id = ANY (string_to_array(?, ','))
		GROUP BY r.participant_id, p.external_id ORDER BY r.participant_id`, tenantOf(ctx), strings.Join(tickets, ",")).Scan(&entries).Error
	if err != nil {
		return Raffle{}, fmt.Errorf("count tickets: %w", err)
	}
	seedBytes := make([]byte, 32)
	if _, err := rand.Read(seedBytes); err != nil {
		return Raffle{}, fmt.Errorf("draw raffle: %w", err)
	}
	seed := hex.EncodeToString(seedBytes)
	pot := make([]RaffleEntry, len(entries))
	idOf := map[string]string{}
	for i, e := range entries {
		pot[i] = RaffleEntry{Participant: e.ExternalID, Tickets: e.Tickets}
		idOf[e.ExternalID] = e.ParticipantID
	}
	won, err := DrawWinners(seed, pot, winners)
	if err != nil {
		return Raffle{}, err
	}
	var draw struct {
		ID      string
		DrawnAt time.Time
	}
	err = tx.Raw(`INSERT INTO raffle_draws (tenant_id, campaign_id, winners, seed, drawn_by) VALUES (?, ?, ?, ?, ?) RETURNING id, drawn_at`,
		tenantOf(ctx), c.ID, winners, seed, actor(ctx)).Scan(&draw).Error
	if err != nil {
		return Raffle{}, dbError("record draw", err, nil)
	}
	for _, e := range entries {
		if err := tx.Exec(`INSERT INTO raffle_entries (tenant_id, draw_id, participant_id, tickets) VALUES (?, ?, ?, ?)`,
			tenantOf(ctx), draw.ID, e.ParticipantID, e.Tickets).Error; err != nil {
			return Raffle{}, dbError("record entry", err, nil)
		}
	}
	for place, w := range won {
		if err := tx.Exec(`INSERT INTO raffle_winners (tenant_id, draw_id, place, participant_id) VALUES (?, ?, ?, ?)`,
			tenantOf(ctx), draw.ID, place+1, idOf[w]).Error; err != nil {
			return Raffle{}, dbError("record winner", err, nil)
		}
	}
	err = tx.Exec(`UPDATE reward_tokens SET status = 'redeemed', status_changed_at = now(), raffle_draw_id = ?
		WHERE tenant_id = ? AND id = ANY (string_to_array(?, ','))`, draw.ID, tenantOf(ctx), strings.Join(tickets, ",")).Error
	if err != nil {
		return Raffle{}, dbError("redeem tickets", err, nil)
	}
	r := Raffle{ID: draw.ID, Campaign: c.Slug, Winners: won, Entries: pot, Seed: seed, DrawnBy: actor(ctx), DrawnAt: draw.DrawnAt}
	if err := Audit(ctx, "raffle.drawn", draw.ID, nil, r); err != nil {
		return Raffle{}, err
	}
	return r, nil
}

// GetRaffle returns a recorded draw with its entries and winners in place order.
func GetRaffle(ctx context.Context, id string) (Raffle, error) {
	tx, err := db(ctx)
	if err != nil {
		return Raffle{}, err
	}
	var draw struct {
		ID, Campaign, Seed, DrawnBy string
		DrawnAt                     time.Time
	}
	err = tx.Raw(`SELECT d.id, c.slug AS campaign, d.seed, d.drawn_by, d.drawn_at
		FROM raffle_draws d JOIN campaigns c ON c.tenant_id = d.tenant_id AND c.id = d.campaign_id
		WHERE d.tenant_id = ? AND d.id = ?`, tenantOf(ctx), id).Take(&draw).Error
	if err != nil {
		return Raffle{}, dbError("get raffle", err, ErrRaffleNotFound)
	}
	r := Raffle{ID: draw.ID, Campaign: draw.Campaign, Seed: draw.Seed, DrawnBy: draw.DrawnBy, DrawnAt: draw.DrawnAt}
	err = tx.Raw(`SELECT p.external_id AS participant, e.tickets
		FROM raffle_entries e JOIN participants p ON p.tenant_id = e.tenant_id AND p.id = e.participant_id
		WHERE e.tenant_id = ? AND e.draw_id = ? ORDER BY e.participant_id`, tenantOf(ctx), id).Scan(&r.Entries).Error
	if err != nil {
		return Raffle{}, fmt.Errorf("get raffle entries: %w", err)
	}
	err = tx.Raw(`SELECT p.external_id
		FROM raffle_winners w JOIN participants p ON p.tenant_id = w.tenant_id AND p.id = w.participant_id
		WHERE w.tenant_id = ? AND w.draw_id = ? ORDER BY w.place`, tenantOf(ctx), id).Scan(&r.Winners).Error
	if err != nil {
		return Raffle{}, fmt.Errorf("get raffle winners: %w", err)
	}
	return r, nil
}

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

// qRaffleDraws: past draws, newest first, with their campaign, how many
// winners were asked for and drawn, the entries, and who drew (named
// afterwards, loadActorLabels); one draw when @id is set. Each subquery
// names the tenant as the value, not through the draw's row: Citus routes
// a correlated subquery of the select list to the tenant's shard only so.
const qRaffleDraws = `
	SELECT d.id, c.slug AS campaign, c.name AS campaign_name, d.winners AS requested,
	       (SELECT count(*) FROM raffle_winners w WHERE w.tenant_id = @tenant AND w.draw_id = d.id) AS drawn,
	       (SELECT count(*) FROM raffle_entries e WHERE e.tenant_id = @tenant AND e.draw_id = d.id) AS entries,
	       (SELECT coalesce(sum(e.tickets), 0) FROM raffle_entries e WHERE e.tenant_id = @tenant AND e.draw_id = d.id) AS tickets,
	       d.drawn_by, d.drawn_at
	FROM raffle_draws d
	JOIN campaigns c ON c.tenant_id = d.tenant_id AND c.id = d.campaign_id
	WHERE d.tenant_id = @tenant AND (@id = '' OR d.id = @id)
	  AND (@after = '' OR (d.drawn_at, d.id) < (SELECT drawn_at, id FROM raffle_draws WHERE tenant_id = @tenant AND id = @after))
	ORDER BY d.drawn_at DESC, d.id DESC
	LIMIT @limit`

// raffleDrawArgs are qRaffleDraws' arguments.
func raffleDrawArgs(ctx context.Context, id, after string, limit int) map[string]any {
	return map[string]any{"tenant": tenantOf(ctx), "id": id, "after": after, "limit": limit}
}

// ListRaffleDraws returns past draws, newest first.
func ListRaffleDraws(ctx context.Context, page Page) ([]RaffleDraw, bool, error) {
	tx, err := db(ctx)
	if err != nil {
		return nil, false, err
	}
	var ds []RaffleDraw
	err = tx.Raw(qRaffleDraws, raffleDrawArgs(ctx, "", page.After, page.limit()+1)).Scan(&ds).Error
	if err != nil {
		return nil, false, fmt.Errorf("list raffle draws: %w", err)
	}
	ds, more := trimPage(page, ds)
	labels, err := loadActorLabels(ctx)
	if err != nil {
		return nil, false, err
	}
	for i := range ds {
		ds[i].DrawnBy = labels.label(ds[i].DrawnBy)
	}
	return ds, more, nil
}

// GetRaffleDraw returns one recorded draw's summary.
func GetRaffleDraw(ctx context.Context, id string) (RaffleDraw, error) {
	tx, err := db(ctx)
	if err != nil {
		return RaffleDraw{}, err
	}
	var d RaffleDraw
	err = tx.Raw(qRaffleDraws, raffleDrawArgs(ctx, id, "", 1)).Take(&d).Error
	return d, dbError("get raffle draw", err, ErrRaffleNotFound)
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

// qRafflePots: per campaign, the issued ticket tokens a draw would use
// (reward_tokens_raffle_pot), and how many participants hold them.
const qRafflePots = `
	SELECT c.slug AS campaign, c.name AS campaign_name, count(*) AS tokens,
	       sum(r.quantity) AS tickets, count(DISTINCT r.participant_id) AS participants
	FROM reward_tokens r
	JOIN campaigns c ON c.tenant_id = r.tenant_id AND c.id = r.campaign_id
	WHERE r.tenant_id = ? AND r.kind = 'ticket' AND r.status = 'issued'
	GROUP BY c.slug, c.name
	ORDER BY lower(c.name), c.slug`

// ListRafflePots returns, per campaign with issued tickets, its pot.
func ListRafflePots(ctx context.Context) ([]RafflePot, error) {
	tx, err := db(ctx)
	if err != nil {
		return nil, err
	}
	var ps []RafflePot
	if err := tx.Raw(qRafflePots, tenantOf(ctx)).Scan(&ps).Error; err != nil {
		return nil, fmt.Errorf("list raffle pots: %w", err)
	}
	return ps, nil
}
