package tenants

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/tandemhq/tandem/models"
)

// EventGroups stores single events in groups: group commit. An event that
// arrives while groupsAtOnce earlier groups of its tenant are being stored
// waits, and goes with every event of that tenant that arrived meanwhile in
// one IngestEvents transaction. A lone event is stored at once, as it would
// be on its own; under load, sixteen clients' events cost the database one
// transaction instead of sixteen (docs/design.md §2.11: a transaction's
// fixed cost is most of a single event's).
//
// Nothing an event's sender sees changes: each gets its own result, only
// after the commit that stored it, and the results are those IngestEvents
// gives a batch, which are those of the same events sent one by one (a key
// given twice in one group answers the second "duplicate"). A group that
// fails whole, say because one new participant is over the plan's limit,
// takes nothing with it: each of its events is then stored alone, so that
// each gets its own answer.
type EventGroups struct {
	db *gorm.DB

	mu     sync.Mutex
	queues map[uuid.UUID]*eventQueue // tenants with events waiting or being stored
}

// groupsAtOnce is how many groups of one tenant are stored at once: while
// one commits, the next is already in the database.
const groupsAtOnce = 2

// groupTimeout bounds a group's transaction, as the API's request deadline
// bounds a request's. A group outlives the request that started it: its
// other events' senders are waiting for it.
const groupTimeout = 30 * time.Second

// errStoreAlone tells a grouped event's sender that its group failed whole
// and that it is to be stored alone.
var errStoreAlone = errors.New("the group failed: store the event alone")

type eventQueue struct {
	waiting []*groupedEvent
	storing int // groups of this tenant being stored now
}

type groupedEvent struct {
	ctx    context.Context
	in     models.EventInput
	done   chan struct{} // closed when result or err is set
	result models.EventResult
	err    error
}

// NewEventGroups returns a group committer for the tenants of db.
func NewEventGroups(db *gorm.DB) *EventGroups {
	return &EventGroups{db: db, queues: map[uuid.UUID]*eventQueue{}}
}

// IngestEvent stores one event of tenantID, with whatever other events of
// the tenant are waiting, and returns its result. If ctx ends first it
// returns ctx's error; the event may still be stored, as when a client
// gives up on a request that was sent.
func (g *EventGroups) IngestEvent(ctx context.Context, tenantID uuid.UUID, in models.EventInput) (models.EventResult, error) {
	if tenantID == uuid.Nil {
		return models.EventResult{}, errors.New("ingest event: no tenant id")
	}
	e := &groupedEvent{ctx: ctx, in: in, done: make(chan struct{})}
	g.mu.Lock()
	q := g.queues[tenantID]
	if q == nil {
		q = &eventQueue{}
		g.queues[tenantID] = q
	}
	q.waiting = append(q.waiting, e)
	start := q.storing < groupsAtOnce
	if start {
		q.storing++
	}
	g.mu.Unlock()
	if start {
		go g.store(tenantID, q)
	}
	select {
	case <-e.done:
	case <-ctx.Done():
		return models.EventResult{}, fmt.Errorf("ingest event: %w", ctx.Err())
	}
	if errors.Is(e.err, errStoreAlone) {
		results, err := IngestEvents(ctx, g.db, tenantID, []models.EventInput{in})
		if err != nil {
			return models.EventResult{}, err
		}
		return results[0], nil
	}
	return e.result, e.err
}

// store stores the tenant's waiting events, a group at a time, until none
// is left.
func (g *EventGroups) store(tenantID uuid.UUID, q *eventQueue) {
	for {
		group := g.nextGroup(tenantID, q)
		if group == nil {
			return
		}
		events := make([]models.EventInput, len(group))
		for i, e := range group {
			events[i] = e.in
		}
		// The first sender's context lends the group its values, not its end.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(group[0].ctx), groupTimeout)
		results, err := IngestEvents(ctx, g.db, tenantID, events)
		cancel()
		for i, e := range group {
			switch {
			case err == nil:
				e.result = results[i]
			case len(group) > 1:
				e.err = errStoreAlone
			default:
				e.err = err
			}
			close(e.done)
		}
	}
}

// nextGroup takes up to a batch of the tenant's waiting events, or returns
// nil, and forgets the tenant, when there are none.
func (g *EventGroups) nextGroup(tenantID uuid.UUID, q *eventQueue) []*groupedEvent {
	g.mu.Lock()
	defer g.mu.Unlock()
	n := min(len(q.waiting), models.MaxBatchEvents)
	if n == 0 {
		q.storing--
		if q.storing == 0 {
			delete(g.queues, tenantID)
		}
		return nil
	}
	group := q.waiting[:n:n]
	q.waiting = append([]*groupedEvent(nil), q.waiting[n:]...)
	return group
}
