package console

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/internal/money"
	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
	"github.com/tandemhq/tandem/views"
)

// exportTimeout bounds one CSV export, which streams after the handler
// returns and so outlives the console request's own deadline.
const exportTimeout = 5 * time.Minute

// exportFlushRows is how many rows are written between flushes to the
// client: the download progresses as the database reads.
const exportFlushRows = 500

// rewardsCSVHeader names the export's columns. Amounts are in minor units
// with their currency, a Stripe coupon's percent_off a number such as 12.5;
// value is either, written for people. stripe_fulfilment is a Stripe
// reward's fulfilment status (pending, failed, fulfilled, cancelled), empty
// for the other kinds. New columns go last, so that readers of the earlier
// ones by position are not moved.
var rewardsCSVHeader = []string{"reward_id", "participant", "campaign", "reason", "milestone", "description", "kind",
	"quantity", "amount_minor", "currency", "value", "status", "issued_at", "settled_at", "settled_by", "invitation_id", "raffle_draw_id", "expires_at",
	"percent_off", "stripe_fulfilment"}

// exportRewardsCSV streams the rewards of the queue's current filter
// (the same query parameters as the page) as CSV. It changes nothing. The
// member's permission and the filter are checked first, in the request's
// transaction; the rows are then read while the response streams, so a
// large export never sits in memory.
//
// They are read in one read-only snapshot (tenants.ReadOnly), not in
// WithTenant: WithTenant runs its function again after a serialization
// failure or deadlock, which would write the rows a second time into a
// response already on its way. A read-only snapshot is never retried and
// is consistent from the first row to the last. (Buffering the whole file
// and sending it after the commit would also be safe, but holds it in
// memory.)
func (h *handler) exportRewardsCSV(c *fiber.Ctx) error {
	f := rewardFilterFrom(opsRequestValues(c))
	return h.console(c, models.PermRewardsExport, func(ctx context.Context, s consoleSession) error {
		// Validates the filter (a 422 or 404 page) before anything streams.
		if _, _, err := models.ListRewardQueue(ctx, f, models.Page{Limit: 1}); err != nil {
			return err
		}
		tenantID, actor := s.Tenant.ID, "member:"+s.Member.ID
		c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
		c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="rewards-%s.csv"`, time.Now().UTC().Format("2006-01-02")))
		c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
			ctx, cancel := context.WithTimeout(models.WithActor(context.Background(), actor), exportTimeout)
			defer cancel()
			err := tenants.ReadOnly(ctx, h.cfg.DB, tenantID, func(ctx context.Context) error {
				return writeRewardsCSV(ctx, w, f)
			})
			if err != nil {
				// The status is sent; the truncated file is all we can do.
				slog.Error("console: export rewards", "tenant", tenantID, "err", err)
			}
		})
		return nil
	})
}

// writeRewardsCSV writes the header and every reward f selects to w.
func writeRewardsCSV(ctx context.Context, w *bufio.Writer, f models.RewardFilter) error {
	out := csv.NewWriter(w)
	if err := out.Write(rewardsCSVHeader); err != nil {
		return err
	}
	n := 0
	err := models.EachQueuedReward(ctx, f, func(r models.QueuedReward) error {
		if err := out.Write(rewardCSVRecord(r)); err != nil {
			return err
		}
		if n++; n%exportFlushRows == 0 {
			out.Flush()
			if err := out.Error(); err != nil {
				return err
			}
			return w.Flush()
		}
		return nil
	})
	if err != nil {
		return err
	}
	out.Flush()
	if err := out.Error(); err != nil {
		return err
	}
	return w.Flush()
}

// rewardCSVRecord is one reward's row.
func rewardCSVRecord(r models.QueuedReward) []string {
	milestone, amount, currency, percent, value := "", "", "", "", ""
	if r.Milestone != nil {
		milestone = strconv.Itoa(*r.Milestone)
	}
	if r.Amount != nil && r.Currency != nil {
		amount, currency, value = strconv.FormatInt(*r.Amount, 10), *r.Currency, money.Format(*r.Amount, *r.Currency)
	}
	if r.PercentOff != nil {
		percent, value = views.PercentNumber(*r.PercentOff), views.PercentLabel(*r.PercentOff)
	}
	settledAt, settledBy := "", ""
	if at, ok := r.Settled(); ok {
		settledAt = at.UTC().Format(time.RFC3339)
		if r.SettledBy != nil {
			settledBy = *r.SettledBy
		}
	}
	draw, expires, fulfilment := "", "", ""
	if r.RaffleDraw != nil {
		draw = *r.RaffleDraw
	}
	if r.ExpiresAt != nil {
		expires = r.ExpiresAt.UTC().Format(time.RFC3339)
	}
	if r.Fulfilment != nil {
		fulfilment = r.Fulfilment.Status
	}
	return []string{r.ID, csvText(r.Participant), r.Campaign, models.RewardReason(r.RewardToken), milestone,
		csvText(r.Description), r.Kind, strconv.Itoa(r.Quantity), amount, currency, value, r.Status,
		r.IssuedAt.UTC().Format(time.RFC3339), settledAt, csvText(settledBy), r.Invitation, draw, expires, percent, fulfilment}
}

// csvText defuses text a spreadsheet would run as a formula (=, +, -, @,
// tab, carriage return first): the tenant's participants and descriptions
// come from outside.
func csvText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
