package models

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// EventLogWindow bounds how many of a tenant's events, newest first, one
// page of the event log reads: events have no index by participant or
// name (each would cost every stored event a write), so a filtered page
// walks the events' key backwards, and stops after this many. The next
// page goes on from there.
const EventLogWindow = 50_000

// EventFilter selects events of the log; an empty field matches any.
type EventFilter struct {
	// Participant is the participant's external id.
	Participant string
	// Name is the event's name.
	Name string
	// Since and Until keep the events received at or after the one and
	// before the other.
	Since, Until *time.Time
}

// LoggedEvent is one event as the tenant sent it, with what it did.
type LoggedEvent struct {
	ID              string
	Participant     string // external id
	ParticipantName string
	Name            string
	IdempotencyKey  string
	OccurredAt      time.Time
	ReceivedAt      time.Time
	Properties      json.RawMessage
	Effects         []EventEffect `gorm:"-"`
}

// eventIDAt is the lowest event id that can be stored at t or later: ids
// start with the time they were stored, in hexadecimal milliseconds
// (new_sorted_ids), so a time bound is a bound on the key.
func eventIDAt(t time.Time) string { return fmt.Sprintf("evt_%012x", t.UnixMilli()) }

// qEventLog: the events below an id (the page's cursor or the filter's
// Until, exclusive) and from another (Since, inclusive), newest first,
// read from at most EventLogWindow of them along the primary key, then
// filtered by participant id and name (” for any, each given twice).
// Parameters: the tenant, the upper bound, the lower bound, the window;
// the tenant again (participants); the filters; the limit.
const qEventLog = `
	SELECT e.id, p.external_id AS participant, p.display_name AS participant_name, e.name,
	       coalesce(e.idempotency_key, '') AS idempotency_key, e.occurred_at, e.received_at, e.properties
	FROM (SELECT * FROM events
	      WHERE tenant_id = ? AND id < ? AND id >= ?
	      ORDER BY id DESC LIMIT ?) e
	JOIN participants p ON p.tenant_id = ? AND p.id = e.participant_id
	WHERE (? = '' OR e.participant_id = ?) AND (? = '' OR e.name = ?)
	ORDER BY e.id DESC
	LIMIT ?`

// qEventLogWindowEnd: the last event a full window read (the window-th
// below the upper bound), where the next page goes on; nothing when the
// window was not full. Parameters: the tenant, the bounds, window - 1.
const qEventLogWindowEnd = `
	SELECT id FROM events
	WHERE tenant_id = ? AND id < ? AND id >= ?
	ORDER BY id DESC OFFSET ? LIMIT 1`

// EventLog is one page of the log: its events, and the cursor of the
// next page ("" for none).
type EventLog struct {
	Events []LoggedEvent
	Next   string
	// Searched is true when the page stopped at EventLogWindow events
	// without filling up: older events may match, from Next on.
	Searched bool
}

// ListEvents returns the events f selects, newest first, with their
// effects judged now (EventEffects). An unknown participant is
// ErrParticipantNotFound.
func ListEvents(ctx context.Context, f EventFilter, page Page) (EventLog, error) {
	participant, err := filterParticipant(ctx, f.Participant)
	if err != nil {
		return EventLog{}, err
	}
	upper, lower := "evt_g", "evt_" // "g" sorts after every hexadecimal digit
	if f.Until != nil {
		upper = eventIDAt(*f.Until)
	}
	if page.After != "" && page.After < upper {
		upper = page.After
	}
	if f.Since != nil {
		lower = eventIDAt(*f.Since)
	}
	tx, err := db(ctx)
	if err != nil {
		return EventLog{}, err
	}
	var rows []LoggedEvent
	if err := tx.Raw(qEventLog, tenantOf(ctx), upper, lower, EventLogWindow, tenantOf(ctx),
		participant, participant, f.Name, f.Name, page.limit()+1).Scan(&rows).Error; err != nil {
		return EventLog{}, fmt.Errorf("list events: %w", err)
	}
	rows, more := trimPage(page, rows)
	log := EventLog{Events: rows}
	if more {
		log.Next = rows[len(rows)-1].ID
	} else if participant != "" || f.Name != "" {
		var end []string
		if err := tx.Raw(qEventLogWindowEnd, tenantOf(ctx), upper, lower, EventLogWindow-1).Scan(&end).Error; err != nil {
			return EventLog{}, fmt.Errorf("list events: window: %w", err)
		}
		if len(end) == 1 {
			log.Next, log.Searched = end[0], true
		}
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	effects, err := EventEffects(ctx, ids)
	if err != nil {
		return EventLog{}, err
	}
	for i := range log.Events {
		log.Events[i].Effects = effects[log.Events[i].ID]
	}
	return log, nil
}
