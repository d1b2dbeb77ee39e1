package tenants

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/tandemhq/tandem/models"
)

// EventGroups stores events in groups: group commit. A send (one event, or
// a batch) that arrives while groupsAtOnce earlier groups of its tenant are
// being stored waits, and goes with the tenant's other sends that arrived
// meanwhile, whole and in order, in one IngestEvents transaction of at most
// models.MaxBatchEvents events. A lone send is stored at once, as it would
// be on its own; under load, sixteen clients' single events cost the
// database one transaction instead of sixteen (docs/performance.md: a
// transaction's fixed cost is most of a single event's), and a tenant never
// has more than groupsAtOnce ingestion transactions at once, however many
// batches it sends.
//
// Nothing a sender sees changes: it gets its own events' results, only
// after the commit that stored them, and they are those IngestEvents gives
// a batch, which are those of the same events sent one by one (a key given
// twice in one group answers the second "duplicate"). A group that fails
// whole, say because one new participant is over the plan's limit, takes
// nothing with it: each of its sends is then stored alone, so that each
// gets its own answer.
//
// A sender's context decides only whether its events are stored at all,
// never what it is told: a send whose context ends while it waits leaves
// the queue unstored, and one that a group (or the store alone after a
// failed group) has taken is stored and answered with its real results,
// however long that outlasts its context (at most groupTimeout). So an
// error for a context that ended always means nothing was stored, and the
// API answers it 503 (docs/design.md §2.8).
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
// other senders are waiting for it.
const groupTimeout = 30 * time.Second

// errStoreAlone tells a sender that its group failed whole and that its
// events are to be stored alone.
var errStoreAlone = errors.New("the group failed: store the events alone")

type eventQueue struct {
	waiting []*groupedSend
	storing int // groups of this tenant being stored now
}

// groupedSend is one caller's events, which a group takes whole.
type groupedSend struct {
	ctx     context.Context
	events  []models.EventInput
	done    chan struct{} // closed when results or err is set
	results []models.EventResult
	err     error
}

// NewEventGroups returns a group committer for the tenants of db.
func NewEventGroups(db *gorm.DB) *EventGroups {
	return &EventGroups{db: db, queues: map[uuid.UUID]*eventQueue{}}
}

// Ingest stores events of tenantID, with whatever other events of the
// tenant are waiting, and returns their results, in order. (A send larger
// than models.MaxBatchEvents, which the API refuses, is a group alone.) If
// ctx ends before a group takes the events, it returns ctx's error and
// stores none of them; once a group has them, it returns their results
// even if ctx has ended meanwhile.
func (g *EventGroups) Ingest(ctx context.Context, tenantID uuid.UUID, events []models.EventInput) ([]models.EventResult, error) {
	if tenantID == uuid.Nil {
		return nil, errors.New("ingest events: no tenant id")
	}
	if len(events) == 0 {
		return nil, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, notStored(err)
	}
	send := &groupedSend{ctx: ctx, events: events, done: make(chan struct{})}
	g.mu.Lock()
	q := g.queues[tenantID]
	if q == nil {
		q = &eventQueue{}
		g.queues[tenantID] = q
	}
	q.waiting = append(q.waiting, send)
	start := q.storing < groupsAtOnce
	if start {
		q.storing++
	}
	g.mu.Unlock()
	if start {
		go g.store(tenantID, q)
	}
	select {
	case <-send.done:
	case <-ctx.Done():
		if g.withdraw(q, send) {
			return nil, notStored(ctx.Err())
		}
		<-send.done // a group has the events: its outcome is the answer
	}
	if errors.Is(send.err, errStoreAlone) {
		return g.storeAlone(ctx, tenantID, events)
	}
	return send.results, send.err
}

// notStored is the error of a send whose context ended before any of its
// events was sent to the database.
func notStored(err error) error {
	return fmt.Errorf("ingest events: not stored: %w", err)
}

// withdraw takes send out of q's waiting sends, and reports whether it was
// still there: if not, a group has taken it (or refused it, its context
// having ended) and will close its done.
func (g *EventGroups) withdraw(q *eventQueue, send *groupedSend) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	i := slices.Index(q.waiting, send)
	if i < 0 {
		return false
	}
	q.waiting = slices.Delete(q.waiting, i, i+1)
	return true
}

// storeAlone stores the events of a send whose group failed whole, unless
// its context has ended: then none are. Once started it runs to its end,
// as a group does, so that its answer is its outcome.
func (g *EventGroups) storeAlone(ctx context.Context, tenantID uuid.UUID, events []models.EventInput) ([]models.EventResult, error) {
	if err := ctx.Err(); err != nil {
		return nil, notStored(err)
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), groupTimeout)
	defer cancel()
	return IngestEvents(ctx, g.db, tenantID, events)
}

// store stores the tenant's waiting events, a group at a time, until none
// is left.
func (g *EventGroups) store(tenantID uuid.UUID, q *eventQueue) {
	for {
		group := g.nextGroup(tenantID, q)
		if group == nil {
			return
		}
		var events []models.EventInput
		for _, send := range group {
			events = append(events, send.events...)
		}
		// The first sender's context lends the group its values, not its end.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(group[0].ctx), groupTimeout)
		results, err := IngestEvents(ctx, g.db, tenantID, events)
		cancel()
		for _, send := range group {
			switch {
			case err == nil:
				send.results, results = results[:len(send.events):len(send.events)], results[len(send.events):]
			case len(group) > 1:
				send.err = errStoreAlone
			default:
				send.err = err
			}
			close(send.done)
		}
	}
}

// nextGroup takes the tenant's waiting sends in order while they add up to
// at most a batch (always the first), or returns nil, and forgets the
// tenant, when none is waiting. A waiting send whose context has ended is
// answered that nothing was stored, and left out: its sender may already
// be telling its client so.
func (g *EventGroups) nextGroup(tenantID uuid.UUID, q *eventQueue) []*groupedSend {
	g.mu.Lock()
	defer g.mu.Unlock()
	q.waiting = slices.DeleteFunc(q.waiting, func(send *groupedSend) bool {
		err := send.ctx.Err()
		if err != nil {
			send.err = notStored(err)
			close(send.done)
		}
		return err != nil
	})
	if len(q.waiting) == 0 {
		q.storing--
		if q.storing == 0 {
			delete(g.queues, tenantID)
		}
		return nil
	}
	n, events := 1, len(q.waiting[0].events)
	for n < len(q.waiting) && events+len(q.waiting[n].events) <= models.MaxBatchEvents {
		events += len(q.waiting[n].events)
		n++
	}
	group := q.waiting[:n:n]
	q.waiting = append([]*groupedSend(nil), q.waiting[n:]...)
	return group
}
