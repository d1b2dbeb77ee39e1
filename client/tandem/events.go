package tandem

import (
	"context"
	"net/http"
)

// EventService reports what participants did.
type EventService struct{ b *backend }

// Send records one event. An event without params.IdempotencyKey is sent
// with a generated key (WithIdempotencyKey to choose it), so a retry never
// counts it twice; the server keeps event keys for good.
func (s *EventService) Send(ctx context.Context, params *EventRequest, opts ...RequestOption) (*EventAccepted, error) {
	c := newCall(http.MethodPost, "/v1/events", params, opts)
	if params == nil || params.IdempotencyKey == nil {
		c.withKey()
	}
	// Else the body's key makes the call safe to repeat, and a header
	// would have to equal it.
	out := new(EventAccepted)
	return out, s.b.do(ctx, c, out)
}

// SendBatch records up to 1000 events and returns one result per event, in
// order; a malformed event gets an error result and the others are still
// stored. Events without an idempotency key are sent with a generated one
// (events is not changed), so that retrying the batch stores each once.
func (s *EventService) SendBatch(ctx context.Context, events []EventRequest) (*EventBatchResponse, error) {
	keyed := make([]EventRequest, len(events))
	for i, e := range events {
		if e.IdempotencyKey == nil {
			e.IdempotencyKey = String(NewIdempotencyKey())
		}
		keyed[i] = e
	}
	out := new(EventBatchResponse)
	return out, s.b.do(ctx, newCall(http.MethodPost, "/v1/events/batch", &EventBatchRequest{Events: keyed}, nil), out)
}

// EventDefinitionService manages the catalog of event names.
type EventDefinitionService struct{ b *backend }

// Create declares an event name; declaring it again changes nothing.
func (s *EventDefinitionService) Create(ctx context.Context, params *EventDefinitionRequest, opts ...RequestOption) (*EventDefinition, error) {
	out := new(EventDefinition)
	return out, s.b.do(ctx, newCall(http.MethodPost, "/v1/event-definitions", params, opts).withKey(), out)
}

// List returns the whole catalog, built-in events included.
func (s *EventDefinitionService) List(ctx context.Context) (*EventDefinitionList, error) {
	out := new(EventDefinitionList)
	return out, s.b.do(ctx, newCall(http.MethodGet, "/v1/event-definitions", nil, nil), out)
}
