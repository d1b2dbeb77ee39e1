package console

import (
	"context"
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/views"
)

// errBadLogTime refuses a time filter the log cannot read.
var errBadLogTime = &pageError{http.StatusBadRequest, "That time is not one the log can read",
	"Choose the time with the date and time picker (year-month-day, hours and minutes)."}

// showEventLogPage lists the tenant's events newest first with what each
// did, filtered by ?participant= (external id), ?name=, ?since= and
// ?until= (received, datetime-local in UTC). Events carry personal data: the
// members who may look participants up may read them.
func (h *handler) showEventLogPage(c *fiber.Ctx) error {
	l := views.EventLogList{Since: opsQuery(c, "since"), Until: opsQuery(c, "until"),
		Filter: models.EventFilter{Participant: opsQuery(c, "participant"), Name: opsQuery(c, "name")}}
	var err error
	if l.Filter.Since, err = logTime(l.Since); err != nil {
		return err
	}
	if l.Filter.Until, err = logTime(l.Until); err != nil {
		return err
	}
	page := opsListPage(c)
	return h.console(c, models.PermParticipantsView, func(ctx context.Context, s consoleSession) error {
		l.Log, err = models.ListEvents(ctx, l.Filter, page)
		if err != nil {
			return err
		}
		filter := opsValues("participant", l.Filter.Participant, "name", l.Filter.Name, "since", l.Since, "until", l.Until)
		l.Filtered = len(filter) > 0
		l.Pager = opsPager("/events/log", filter, page, l.Log.Next != "", l.Log.Next)
		return h.page(c, views.EventLogPage(l))
	})
}

// logTime reads a datetime-local filter, in UTC as the campaign editor's
// times; "" is no filter.
func logTime(s string) (*time.Time, error) {
	if s == "" {
		return nil, nil
	}
	t, err := time.ParseInLocation(datetimeLocal, s, time.UTC)
	if err != nil {
		return nil, errBadLogTime
	}
	return &t, nil
}
