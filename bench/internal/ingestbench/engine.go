package ingestbench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

// Engine is the production path below HTTP as a side: clients goroutines
// share a warm pool with a connection for each (Open, WarmPool) and each
// repeatedly opens a tenant
// transaction (tenants.WithTenant) and ingests one unit of work — one event
// through models.IngestEvent, or one batch validated event by event and
// stored by models.IngestEvents — until the slice is done or its time is up.
type Engine struct {
	DB       *gorm.DB
	TenantID uuid.UUID
}

// Run measures one slice and checks that every event was stored as new.
func (e Engine) Run(ctx context.Context, s Slice) (Result, error) {
	if err := WarmPool(ctx, e.DB, s.Clients); err != nil {
		return Result{}, err
	}
	var (
		next, attempts atomic.Int64
		firstErr       error
		errOnce        sync.Once
		wg             sync.WaitGroup
	)
	lat := make([][]time.Duration, s.Clients)
	cpu0, all0 := OwnCPU(), MachineCPU()
	start := time.Now()
	deadline := start.Add(s.MaxTime)
	for c := range s.Clients {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(rand.Uint64(), uint64(c)))
			events := make([]models.EventInput, s.PerUnit)
			for {
				n := next.Add(1)
				if n > int64(s.Units) || time.Now().After(deadline) || ctx.Err() != nil {
					return
				}
				s.Fill(events, rng, c)
				t0 := time.Now()
				err := tenants.WithTenant(ctx, e.DB, e.TenantID, func(ctx context.Context) error {
					attempts.Add(1)
					return ingest(ctx, events)
				})
				if err != nil {
					errOnce.Do(func() { firstErr = fmt.Errorf("engine %s, unit %d: %w", s.Cohort.Prefix, n, err) })
					return
				}
				lat[c] = append(lat[c], time.Since(t0))
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	cpu, machine := OwnCPU()-cpu0, MachineCPU()-all0
	if firstErr != nil {
		return Result{}, firstErr
	}
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	return Result{
		Units:     len(all),
		Events:    len(all) * s.PerUnit,
		Elapsed:   elapsed,
		Latencies: all,
		Retried:   int(attempts.Load()) - len(all),
		Capped:    len(all) < s.Units,
		ClientCPU: cpu,
		AllCPU:    machine,
	}, nil
}

// ingest is what the API handlers do inside the tenant transaction:
// validate, then one ingest_events statement.
func ingest(ctx context.Context, events []models.EventInput) error {
	if len(events) == 1 {
		_, dup, err := models.IngestEvent(ctx, events[0])
		if err == nil && dup {
			err = fmt.Errorf("event %q stored as a duplicate", events[0].IdempotencyKey)
		}
		return err
	}
	now := time.Now()
	for i, e := range events {
		if err := models.ValidateEvent(fmt.Sprintf("events[%d].", i), e, now); err != nil {
			return err
		}
	}
	results, err := models.IngestEvents(ctx, events)
	if err != nil {
		return err
	}
	for i, res := range results {
		if res.Status != models.EventCreated {
			return fmt.Errorf("event %q: status %s", events[i].IdempotencyKey, res.Status)
		}
	}
	return nil
}

// WarmPool opens n of the pool's connections at once, so that no measured
// transaction pays for a connection (pgbench reports its rate without the
// initial connection time too). The pool keeps them idle (internal/database)
// and must hold n (Open sizes it for the clients).
func WarmPool(ctx context.Context, db *gorm.DB, n int) error {
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	if limit := sqlDB.Stats().MaxOpenConnections; limit > 0 && limit < n {
		return fmt.Errorf("warm pool: %d clients on a pool of %d connections", n, limit)
	}
	for range n {
		conn, err := sqlDB.Conn(ctx)
		if err != nil {
			return fmt.Errorf("warm pool: %w", err)
		}
		defer conn.Close()
		if err := conn.PingContext(ctx); err != nil {
			return fmt.Errorf("warm pool: %w", err)
		}
	}
	return nil
}
