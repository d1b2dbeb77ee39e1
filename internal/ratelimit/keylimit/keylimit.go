// Package keylimit limits the requests of each API key per minute across
// every web machine: counts are kept in memory and shared through one row
// per key and window (tenant data, written through tenants.WithTenant).
// It knows nothing of HTTP; web/api turns its decisions into headers.
package keylimit

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

const (
	// Window is the span a key's limit counts over: fixed windows
	// aligned to the minute, the same on every machine.
	Window = time.Minute
	// FlushInterval is how often a machine adds its counts to the
	// shared ones; machines together can overshoot a limit by about what
	// they accept in one interval.
	FlushInterval = time.Second
	// rateFlushTimeout bounds one flush, so a stuck database cannot pile
	// flushes up.
	rateFlushTimeout = 5 * time.Second
	// rateRetention is how long a finished window's row is kept (for
	// looking into a tenant's traffic) before a flush deletes it.
	rateRetention = time.Hour
)

// rateKey names one API key.
type rateKey struct {
	tenantID uuid.UUID
	keyID    string
}

// rateCount is what this machine knows of one key in the current window.
type rateCount struct {
	shared   int  // the total of all machines, as of our last flush or read
	inflight int  // counted here and being flushed right now
	pending  int  // counted here since the last flush began
	reserved int  // taken here by requests not answered yet (see Done)
	pruned   bool // whether this window's flush has deleted the key's old rows
}

func (c *rateCount) used() int { return c.shared + c.inflight + c.pending + c.reserved }

// Limiter limits the requests of each API key per minute across every
// web machine without a database write per request: requests are counted
// in memory and a background flush adds each key's delta to one shared row
// per key and window, learning the total of all machines. A request is
// judged by that total plus what this machine counted since. If the
// database is unreachable, deltas wait for the next flush and each machine
// still holds keys to the limit on its own.
type Limiter struct {
	db    *gorm.DB
	limit int
	now   func() time.Time

	// flushMu lets one flush run at a time, so totals are learnt in order.
	flushMu sync.Mutex

	mu     sync.Mutex
	window time.Time
	counts map[rateKey]*rateCount
}

// New returns a limiter of limit requests per key and minute, reading the
// time from now.
func New(db *gorm.DB, limit int, now func() time.Time) *Limiter {
	return &Limiter{db: db, limit: limit, now: now, counts: map[rateKey]*rateCount{}}
}

// Decision is the verdict on one request and what its headers say.
type Decision struct {
	Allowed   bool
	Limit     int
	Remaining int
	Reset     time.Duration // until the window ends

	key    rateKey
	window time.Time
}

// Take reserves one request of the key keyID of tenantID if the key is
// under its limit. A reserved request counts against the limit at once,
// so parallel requests cannot overshoot it; Done decides, once the request
// is answered, whether it stays counted.
func (l *Limiter) Take(tenantID uuid.UUID, keyID string) Decision {
	key := rateKey{tenantID: tenantID, keyID: keyID}
	now := l.now()
	window := now.UTC().Truncate(Window)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.roll(window)
	c := l.counts[key]
	if c == nil {
		c = &rateCount{}
		l.counts[key] = c
	}
	d := Decision{Limit: l.limit, Reset: window.Add(Window).Sub(now), key: key, window: window}
	if c.used() >= l.limit {
		return d
	}
	c.reserved++
	d.Allowed, d.Remaining = true, l.limit-c.used()
	return d
}

// Done settles a request Take allowed, once it is answered: counted says
// whether it counts against the key. Only what the server answered should
// (2xx, 4xx); a request the server failed (5xx) is released, as if never
// taken, so that clients retrying through an outage keep their quota. A
// request answered after its window ended changes nothing: that window's
// counts are gone.
func (l *Limiter) Done(d Decision, counted bool) {
	if !d.Allowed {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	c := l.counts[d.key]
	if !d.window.Equal(l.window) || c == nil || c.reserved == 0 {
		return
	}
	c.reserved--
	if counted {
		c.pending++
	}
}

// roll starts a new window. The unflushed counts of the old one are
// dropped: they can no longer decide anything. Callers hold l.mu.
func (l *Limiter) roll(window time.Time) {
	if !window.Equal(l.window) {
		l.window = window
		l.counts = map[rateKey]*rateCount{}
	}
}

// rateDelta is one key's part in a flush.
type rateDelta struct {
	keyID string
	add   int
	prune bool
	total int // learnt from the database
}

// Flush adds every key's pending count to the shared rows and learns the
// totals, one tenant transaction per tenant (the rows are tenant data,
// bound by RLS). Keys counted here but idle since are read, so that this
// machine also learns what the others counted; keys already at their limit
// are left alone until the window ends.
func (l *Limiter) Flush(ctx context.Context) error {
	l.flushMu.Lock()
	defer l.flushMu.Unlock()
	window, batch := l.snapshot()
	var errs []error
	for tenantID, deltas := range batch {
		err := tenants.WithTenant(ctx, l.db, tenantID, func(ctx context.Context) error {
			return storeRateDeltas(ctx, window, deltas)
		})
		if err != nil {
			errs = append(errs, err)
		}
		l.settle(window, tenantID, deltas, err)
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("ratelimit: flush: %w", err)
	}
	return nil
}

// snapshot moves every key's pending count to inflight and returns the
// deltas to store, by tenant.
func (l *Limiter) snapshot() (time.Time, map[uuid.UUID][]rateDelta) {
	l.mu.Lock()
	defer l.mu.Unlock()
	batch := map[uuid.UUID][]rateDelta{}
	for key, c := range l.counts {
		if c.pending == 0 && c.shared >= l.limit {
			continue
		}
		c.inflight, c.pending = c.pending, 0
		batch[key.tenantID] = append(batch[key.tenantID], rateDelta{keyID: key.keyID, add: c.inflight, prune: !c.pruned})
	}
	return l.window, batch
}

// storeRateDeltas runs in the tenant's transaction.
func storeRateDeltas(ctx context.Context, window time.Time, deltas []rateDelta) error {
	for i := range deltas {
		d := &deltas[i]
		total, err := models.AddAPIRequests(ctx, d.keyID, window, d.add)
		if err != nil {
			return err
		}
		d.total = total
		if d.prune {
			if err := models.PruneAPIRequests(ctx, d.keyID, window.Add(-rateRetention)); err != nil {
				return err
			}
		}
	}
	return nil
}

// settle records a tenant's flush: the learnt totals, or, when it failed,
// the deltas go back to pending for the next flush.
func (l *Limiter) settle(window time.Time, tenantID uuid.UUID, deltas []rateDelta, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !window.Equal(l.window) {
		return
	}
	for _, d := range deltas {
		c := l.counts[rateKey{tenantID: tenantID, keyID: d.keyID}]
		if c == nil {
			continue
		}
		if err != nil {
			c.pending += c.inflight
		} else {
			c.shared = max(c.shared, d.total)
			c.pruned = c.pruned || d.prune
		}
		c.inflight = 0
	}
}

// Start flushes every interval until the returned stop is called; stop
// flushes one last time so that a machine shutting down hands its counts
// over to the others.
func (l *Limiter) Start(interval time.Duration) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		ticker := time.NewTicker(interval)
		defer ticker.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-ticker.C:
				l.flushLogged(ctx)
			}
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() {
			cancel()
			<-done
			l.flushLogged(context.Background())
		})
	}
}

// flushLogged flushes and logs a failure, unless parent was cancelled
// (a stop interrupting a flush, which the final flush makes up for).
func (l *Limiter) flushLogged(parent context.Context) {
	ctx, cancel := context.WithTimeout(parent, rateFlushTimeout)
	defer cancel()
	if err := l.Flush(ctx); err != nil && parent.Err() == nil {
		slog.Warn("ratelimit: counts not shared; retrying at the next flush", "err", err)
	}
}
