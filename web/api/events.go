package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/web/internal/jsonbody"
	"github.com/tandemhq/tandem/web/internal/surface"
)

// eventRequest is one event as the tenant's platform reports it, alone or
// in a batch.
type eventRequest struct {
	Participant    *string             `json:"participant"`
	Name           *string             `json:"name"`
	IdempotencyKey *string             `json:"idempotency_key"`
	OccurredAt     *jsonbody.Timestamp `json:"occurred_at"`
	Properties     json.RawMessage     `json:"properties"`
}

// input checks the fields only the web layer can see (presence, and the
// key given twice) and returns models' input; field names carry
// prefix. headerKey is the Idempotency-Key header, for a single event.
func (r *eventRequest) input(prefix, headerKey string) (models.EventInput, error) {
	if err := required(prefix+"participant", r.Participant != nil); err != nil {
		return models.EventInput{}, err
	}
	if err := required(prefix+"name", r.Name != nil); err != nil {
		return models.EventInput{}, err
	}
	in := models.EventInput{Participant: *r.Participant, Name: *r.Name, IdempotencyKey: headerKey,
		OccurredAt: timePtr(r.OccurredAt), Properties: r.Properties}
	if r.IdempotencyKey != nil {
		if headerKey != "" && headerKey != *r.IdempotencyKey {
			return models.EventInput{}, &apiError{Status: http.StatusUnprocessableEntity, Code: "idempotency_key_mismatch",
				Message: "The Idempotency-Key header and the body's idempotency_key differ; send one, or the same in both.",
				Field:   prefix + "idempotency_key"}
		}
		in.IdempotencyKey = *r.IdempotencyKey
	}
	if bytes.Equal(in.Properties, []byte("null")) {
		in.Properties = nil // null is no properties, like an absent field
	}
	return in, nil
}

// eventJSON answers a single event: the stored event's id, whether it
// had been stored before under the same idempotency key, and what it did.
type eventJSON struct {
	ID        string          `json:"id"`
	Duplicate bool            `json:"duplicate"`
	Effects   json.RawMessage `json:"effects"`
}

// ingestEvent stores one event: the hot path, so one statement in one
// round trip and no more, shared with the tenant's other single events
// that arrive meanwhile (tenants.EventGroups). The Idempotency-Key header is the event's own key
// (not the generic replay of other POSTs): a repeat answers the first
// event's id with "duplicate": true and writes nothing.
func (h *handler) ingestEvent(c *fiber.Ctx) error {
	body, err := jsonbody.Body(c)
	if err != nil {
		return err
	}
	req, plain := decodePlainEvent(body)
	if !plain {
		if err := jsonbody.Decode(body, &req); err != nil {
			return err
		}
	}
	headerKey, err := idempotencyKeyHeader(c)
	if err != nil {
		return err
	}
	in, err := req.input("", headerKey)
	if err != nil {
		return err
	}
	if err := models.ValidateEvent("", in, time.Now()); err != nil {
		return err
	}
	if err := h.checkEventQuota(c); err != nil {
		return err
	}
	stored, err := h.groups.Ingest(c.UserContext(), apiKey(c).TenantID, []models.EventInput{in})
	if err != nil {
		return err
	}
	if stored[0].Status == models.EventUnknown {
		return h.unknownEvent(c, "name", in.Name)
	}
	id, duplicate, err := models.EventOutcome(in, stored[0])
	if err != nil {
		return err
	}
	effects, err := effectsJSON(stored[0].Effects)
	if err != nil {
		return err
	}
	return c.Status(http.StatusAccepted).JSON(eventJSON{ID: id, Duplicate: duplicate, Effects: effects})
}

// ingestBatch stores a batch's valid events in one transaction of the
// request's tenant, in one round trip, with any of the tenant's events
// waiting beside them (tenants.EventGroups). The Idempotency-Key header is
// not replayed by the event endpoints: they read it as the event's own key,
// which the events table keeps once per tenant.
func (h *handler) ingestBatch(c *fiber.Ctx, events []models.EventInput) ([]models.EventResult, error) {
	if err := h.checkEventQuota(c); err != nil {
		return nil, err
	}
	return h.groups.Ingest(c.UserContext(), apiKey(c).TenantID, events)
}

// checkEventQuota checks the plan's events per month, once per request
// (tenants.EventQuota: no round trip while its last count is fresh).
func (h *handler) checkEventQuota(c *fiber.Ctx) error {
	return h.events.Check(c.UserContext(), apiKey(c).TenantID)
}

// batchRequest is a batch read in one pass over the body: the usual case,
// when every event decodes.
type batchRequest struct {
	Events []eventRequest `json:"events"`
}

// rawBatchRequest is a batch whose events did not all decode. They stay raw
// so that each is decoded on its own: one malformed event gets its own
// error result instead of failing the batch.
type rawBatchRequest struct {
	Events []json.RawMessage `json:"events"`
}

// Statuses of a batch result.
const (
	batchCreated   = "created"
	batchDuplicate = "duplicate"
	batchError     = "error"
)

// batchResult is one event's outcome, at the event's index in the batch:
//
//	{"index": 0, "id": "evt_…", "status": "created",   "duplicate": false}
//	{"index": 1, "id": "evt_…", "status": "duplicate", "duplicate": true}
//	{"index": 2, "status": "error", "duplicate": false,
//	 "error": {"code": "unknown_event", "message": "…", "field": "events[2].name"}}
//
// status is created (stored now), duplicate (stored before under the same
// idempotency key with the same content; id is the first event's) or error
// (nothing stored for it; error is the usual error object, its field
// prefixed with events[i].). Every code a single POST /v1/events can
// answer, an event of a batch can get here.
type batchResult struct {
	Index     int             `json:"index"`
	ID        string          `json:"id,omitempty"`
	Status    string          `json:"status"`
	Duplicate bool            `json:"duplicate"`
	Effects   json.RawMessage `json:"effects,omitempty"`
	Error     *errorDetail    `json:"error,omitempty"`
}

// ingestEventBatch stores up to MaxBatchEvents events in one statement and
// answers 200 with one result per event, in order. Each event is decoded
// and validated on its own; the invalid ones get an error result and are
// not sent, the valid ones are stored. A batch never fails whole because
// of one bad event.
func (h *handler) ingestEventBatch(c *fiber.Ctx) error {
	if c.Get("Idempotency-Key") != "" {
		// There is no one event the header could belong to, and replaying a
		// whole batch would hide each event's own outcome.
		return &apiError{Status: http.StatusUnprocessableEntity, Code: "idempotency_key_not_supported",
			Message: "A batch takes no Idempotency-Key header: give each event its own idempotency_key.", Field: "Idempotency-Key"}
	}
	body, err := jsonbody.Body(c)
	if err != nil {
		return err
	}
	events, decodeErrs, err := decodeBatch(body)
	if err != nil {
		return err
	}
	results := make([]batchResult, len(events))
	valid := make([]models.EventInput, 0, len(events))
	at := make([]int, 0, len(events)) // the batch index of each valid event
	now := time.Now()
	for i := range events {
		results[i].Index = i
		err := decodeErrs[i]
		var in models.EventInput
		if err == nil {
			in, err = batchEventInput(i, &events[i], now)
		}
		if err != nil {
			_, detail := describe(c, err)
			results[i].Status, results[i].Error = batchError, &detail
			continue
		}
		valid, at = append(valid, in), append(at, i)
	}
	if len(valid) == 0 {
		return c.JSON(fiber.Map{"results": results})
	}
	stored, err := h.ingestBatch(c, valid)
	if err != nil {
		return err
	}
	encoded := map[*models.EventEffect]json.RawMessage{}
	for j, r := range stored {
		results[at[j]] = storedResult(at[j], r)
		if results[at[j]].Effects, err = effectsJSONOnce(r.Effects, encoded); err != nil {
			return err
		}
	}
	if err := h.suggestEventNames(c, results, valid, at); err != nil {
		return err
	}
	answer, err := appendBatchAnswer(nil, results)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	return c.Send(answer)
}

// decodeBatch reads a batch's events, and for each the error that kept it
// from decoding (nil when it did). The body is read whole in one pass, and
// only when that fails is it read again event by event, to tell which
// events are malformed. Decoding is most of a batch's server time (profiled
// under make bench), and reading every batch twice, raw and then event by
// event, cost about a third of it. Before either, the usual plain body is
// read without encoding/json (decodePlainBatch).
func decodeBatch(body []byte) ([]eventRequest, []error, error) {
	if events, ok := decodePlainBatch(body); ok {
		if err := checkBatchSize(true, len(events)); err != nil {
			return nil, nil, err
		}
		return events, make([]error, len(events)), nil
	}
	var whole batchRequest
	if jsonbody.Decode(body, &whole) == nil {
		if err := checkBatchSize(whole.Events != nil, len(whole.Events)); err != nil {
			return nil, nil, err
		}
		return whole.Events, make([]error, len(whole.Events)), nil
	}
	var raw rawBatchRequest
	if err := jsonbody.Decode(body, &raw); err != nil {
		return nil, nil, err
	}
	if err := checkBatchSize(raw.Events != nil, len(raw.Events)); err != nil {
		return nil, nil, err
	}
	events, errs := make([]eventRequest, len(raw.Events)), make([]error, len(raw.Events))
	for i, r := range raw.Events {
		if err := jsonbody.Decode(r, &events[i]); err != nil {
			errs[i] = err
			if je, ok := err.(*jsonbody.Error); ok {
				prefixed := *je
				prefixed.Field = strings.TrimSuffix(batchPrefix(i)+je.Field, ".")
				errs[i] = &prefixed
			}
		}
	}
	return events, errs, nil
}

// batchPrefix is the field prefix of the event at index i, events[i].
func batchPrefix(i int) string { return "events[" + strconv.Itoa(i) + "]." }

// checkBatchSize refuses a body without events, or with too many.
func checkBatchSize(present bool, n int) error {
	if err := required("events", present); err != nil {
		return err
	}
	if n > models.MaxBatchEvents {
		return &apiError{Status: http.StatusUnprocessableEntity, Code: "too_many_events",
			Message: fmt.Sprintf("A batch holds at most %d events.", models.MaxBatchEvents), Field: "events"}
	}
	return nil
}

// batchEventInput validates the decoded event at index i. The checks run
// first without the field prefix events[i].: building it for every event
// was about a twentieth of the server's time under batches, and only an
// error names a field.
func batchEventInput(i int, req *eventRequest, now time.Time) (models.EventInput, error) {
	check := func(prefix string) (models.EventInput, error) {
		in, err := req.input(prefix, "")
		if err != nil {
			return models.EventInput{}, err
		}
		return in, models.ValidateEvent(prefix, in, now)
	}
	if in, err := check(""); err == nil {
		return in, nil
	}
	return check(batchPrefix(i))
}

// storedResult turns models' verdict on the event at index i into its
// batch result.
func storedResult(i int, r models.EventResult) batchResult {
	switch r.Status {
	case models.EventCreated:
		return batchResult{Index: i, ID: r.ID, Status: batchCreated}
	case models.EventDuplicate:
		return batchResult{Index: i, ID: r.ID, Status: batchDuplicate, Duplicate: true}
	case models.EventIdempotencyKeyReused:
		return batchResult{Index: i, Status: batchError, Error: &errorDetail{Code: models.ErrIdempotencyKeyReused.Code,
			Message: surface.Sentence(models.ErrIdempotencyKeyReused.Message, ""), Field: batchPrefix(i) + "idempotency_key"}}
	case models.EventReserved:
		return batchResult{Index: i, Status: batchError, Error: &errorDetail{Code: models.ErrReservedEvent.Code,
			Message: surface.Sentence(models.ErrReservedEvent.Message, ""), Field: batchPrefix(i) + "name"}}
	case models.EventUnknown: // its message is told by suggestEventNames
		return batchResult{Index: i, Status: batchError, Error: &errorDetail{Code: models.ErrUnknownEvent.Code,
			Field: batchPrefix(i) + "name"}}
	}
	slog.Error("api: unknown event ingestion status", "status", r.Status)
	return batchResult{Index: i, Status: batchError, Error: &errorDetail{Code: "internal_error", Message: "Something went wrong on our side."}}
}
