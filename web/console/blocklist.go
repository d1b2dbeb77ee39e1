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

// The Blocklist page: owners and admins (models.PermBlocklistManage) see
// and replace the tenant's fraud blocklist, one entry a line, as PUT
// /v1/fraud/blocklist does (audited, fraud.blocklist). Only they see it:
// its entries are e-mail addresses and IP ranges.

// showBlocklistPage shows the blocklist as stored.
func (h *handler) showBlocklistPage(c *fiber.Ctx) error {
	return h.console(c, models.PermBlocklistManage, func(ctx context.Context, s consoleSession) error {
		entries, err := models.Blocklist(ctx)
		if err != nil {
			return err
		}
		return h.page(c, views.BlocklistPage(views.Blocklist{Entries: strings.Join(entries, "\n"), Count: len(entries)}))
	})
}

// saveBlocklist replaces the blocklist with the textarea's lines (blank
// ones ignored). An entry the API would refuse shows the form again as
// typed, its error beside the field naming the line.
func (h *handler) saveBlocklist(c *fiber.Ctx) error {
	typed := c.FormValue("entries")
	return h.console(c, models.PermBlocklistManage, func(ctx context.Context, s consoleSession) error {
		lines := strings.Split(strings.ReplaceAll(typed, "\r\n", "\n"), "\n")
		var entries []string
		var lineOf []int // the typed line of each entry, from 1
		for i, l := range lines {
			if strings.TrimSpace(l) != "" {
				entries = append(entries, l)
				lineOf = append(lineOf, i+1)
			}
		}
		saved, err := models.SaveBlocklist(ctx, entries)
		var ve *models.ValidationError
		if errors.As(err, &ve) {
			c.Status(http.StatusUnprocessableEntity)
			msg := sentence(ve.Message)
			if i, ok := blocklistIndex(ve.Field); ok && i < len(lineOf) {
				msg = fmt.Sprintf("Line %d (%s): %s", lineOf[i], strings.TrimSpace(entries[i]), msg)
			}
			return rollback(h.page(c, views.BlocklistPage(views.Blocklist{Entries: typed, Error: msg})))
		}
		if err != nil {
			return err
		}
		h.flash(c, views.FlashSuccess, fmt.Sprintf("Blocklist saved: %s.", countEntries(len(saved))))
		return h.redirect(c, "/blocklist")
	})
}

// blocklistIndex reads the entry's index from a validation error's field,
// "entries[3]".
func blocklistIndex(field string) (int, bool) {
	inner, ok := strings.CutPrefix(field, "entries[")
	if !ok {
		return 0, false
	}
	i, err := strconv.Atoi(strings.TrimSuffix(inner, "]"))
	return i, err == nil
}

func countEntries(n int) string {
	if n == 1 {
		return "1 entry"
	}
	return strconv.Itoa(n) + " entries"
}
