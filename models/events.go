package models

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgtype"
)

// Event statuses returned per event by IngestEvents.
const (
	EventCreated              = "created"
	EventDuplicate            = "duplicate"
	EventIdempotencyKeyReused = "idempotency_key_reused"
	EventUnknown              = "unknown_event"
	EventReserved             = "reserved_event"
)

// MaxBatchEvents bounds one batch.
const MaxBatchEvents = 1000

// EventInput is one event reported by the tenant's platform.
type EventInput struct {
	Participant    string
	Name           string
	IdempotencyKey string
	OccurredAt     *time.Time
	Properties     json.RawMessage
}

// EventResult is the outcome of one event: its id (the first one stored
// under its idempotency key, for a duplicate), a status, and what it did
// (for a stored or duplicate event; see EventEffect).
type EventResult struct {
	ID      string        `json:"id,omitempty"`
	Status  string        `json:"status"`
	Effects []EventEffect `json:"effects,omitempty"`
}

// ValidateEvent checks one event's fields, naming fields under prefix.
func ValidateEvent(prefix string, e EventInput, now time.Time) error {
	if err := validateExternalID(prefix+"participant", e.Participant); err != nil {
		return err
	}
	if err := validateEventName(prefix+"name", e.Name); err != nil {
		return err
	}
	if e.IdempotencyKey != "" {
		if err := validateText(prefix+"idempotency_key", e.IdempotencyKey, 1, 255); err != nil {
			return err
		}
	}
	if e.OccurredAt != nil {
		// A day of clock skew is tolerated; later than that is a bug upstream.
		if e.OccurredAt.After(now.Add(24*time.Hour)) || e.OccurredAt.Year() < 2000 {
			return invalid(prefix+"occurred_at", "invalid_timestamp", "occurred_at must be after 2000 and not more than a day ahead")
		}
	}
	return validateProperties(prefix+"properties", e.Properties)
}

// ingestSQL stores events and re-judges the quests of their guests, all in
// one statement (ingest_events in the schema). Its placeholders are
// PostgreSQL's own: it runs on pgx directly (tenants.IngestEvents) as well
// as in a transaction here.
const ingestSQL = `SELECT ord, event_id, status, effects FROM ingest_events($1, $2, $3, $4, $5, $6::jsonb[])`

// Rows is a statement's answer as both database/sql and pgx give it.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// IngestStatement returns the statement that stores events of tenantID (the
// transaction's own), with its arguments; ReadIngestResults reads its
// answer. Events that fail validation must be left out by the caller (see
// ValidateEvent).
func IngestStatement(tenantID uuid.UUID, events []EventInput) (string, []any, error) {
	if len(events) > MaxBatchEvents {
		return "", nil, invalid("events", "too_many_events", "a batch holds at most %d events", MaxBatchEvents)
	}
	n := len(events)
	participants, names := make([]string, n), make([]string, n)
	keys, occurred, props := make([]*string, n), make([]*time.Time, n), make([]*string, n)
	for i, e := range events {
		participants[i], names[i], occurred[i] = e.Participant, e.Name, e.OccurredAt
		if e.IdempotencyKey != "" {
			keys[i] = &events[i].IdempotencyKey
		}
		if len(e.Properties) > 0 {
			p := string(e.Properties)
			props[i] = &p
		}
	}
	// The tenant as pgx's own UUID: uuid.UUID reaches pgx as a driver.Valuer
	// giving a string, which pgx encodes only after a failed binary try
	// and a re-scan, a few µs of every single event's.
	return ingestSQL, []any{pgtype.UUID{Bytes: tenantID, Valid: true}, array(participants), array(names), array(keys), array(occurred), array(props)}, nil
}

// ReadIngestResults reads the answer of IngestStatement for n events: one
// result per event, in order. Events that answered the same effects (a
// batch's repeats of one step name, most of its step events) share one
// decoded slice, decoded once.
func ReadIngestResults(rows Rows, n int) ([]EventResult, error) {
	results := make([]EventResult, n)
	decoded := map[string][]EventEffect{}
	for rows.Next() {
		var ord int
		var id *string
		var status string
		var effects []byte
		if err := rows.Scan(&ord, &id, &status, &effects); err != nil {
			return nil, fmt.Errorf("ingest events: %w", err)
		}
		if ord < 1 || ord > n {
			return nil, fmt.Errorf("ingest events: answer for event %d of %d", ord, n)
		}
		r := EventResult{ID: deref(id), Status: status}
		shared := status == EventCreated && len(effects) > 0 // what ingestedEffects decodes
		if seen, ok := decoded[string(effects)]; ok && shared {
			r.Effects = seen
		} else {
			var err error
			if r.Effects, err = ingestedEffects(status, effects); err != nil {
				return nil, fmt.Errorf("ingest events: event %d: %w", ord, err)
			}
			if shared {
				decoded[string(effects)] = r.Effects
			}
		}
		results[ord-1] = r
	}
	if err := rows.Err(); err != nil {
		return nil, dbError("ingest events", err, nil)
	}
	return results, nil
}

// IngestEvents stores events in the context's transaction (see
// IngestStatement); tenants.IngestEvents does the same in a transaction of
// its own, in one round trip.
func IngestEvents(ctx context.Context, events []EventInput) ([]EventResult, error) {
	if len(events) == 0 {
		return nil, nil
	}
	tx, err := db(ctx)
	if err != nil {
		return nil, err
	}
	query, args, err := IngestStatement(tenantOf(ctx), events)
	if err != nil {
		return nil, err
	}
	rows, err := tx.Statement.ConnPool.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, dbError("ingest events", err, nil)
	}
	defer rows.Close()
	return ReadIngestResults(rows, len(events))
}

// EventOutcome turns the result of one event into what a single POST
// answers: the stored event's id and whether it had been stored before, or
// the error that kept it out.
func EventOutcome(e EventInput, r EventResult) (id string, duplicate bool, err error) {
	switch r.Status {
	case EventCreated, EventDuplicate:
		return r.ID, r.Status == EventDuplicate, nil
	case EventIdempotencyKeyReused:
		return "", false, fmt.Errorf("ingest event: %w", ErrIdempotencyKeyReused)
	case EventReserved:
		return "", false, fmt.Errorf("ingest event %q: %w", e.Name, ErrReservedEvent)
	default:
		return "", false, fmt.Errorf("ingest event %q: %w", e.Name, ErrUnknownEvent)
	}
}

// IngestEvent stores one event in the context's transaction. A repeat of a
// stored idempotency key returns the first event's id with duplicate = true
// and writes nothing.
func IngestEvent(ctx context.Context, e EventInput) (id string, duplicate bool, err error) {
	if err := ValidateEvent("", e, time.Now()); err != nil {
		return "", false, err
	}
	results, err := IngestEvents(ctx, []EventInput{e})
	if err != nil {
		return "", false, err
	}
	if results[0].Status == EventUnknown {
		return "", false, fmt.Errorf("ingest event: %w", unknownEvent(ctx, "name", e.Name))
	}
	return EventOutcome(e, results[0])
}
