package main

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

// engineRun drives the engine: clients goroutines share a pool of as many
// connections and each repeatedly opens a tenant transaction and ingests one
// unit of work (one event, or one batch), until units units are done or the
// deadline passes.
type engineRun struct {
	db       *gorm.DB
	tenantID uuid.UUID
	cohort   cohort
	clients  int
	units    int           // transactions to run
	perUnit  int           // events per transaction
	keys     string        // idempotency key prefix, unique to this run and cohort
	maxTime  time.Duration // stop starting new units after this long
}

// run measures the engine and checks that every event was stored as new.
func (r engineRun) run(ctx context.Context) (result, error) {
	if err := warmPool(ctx, r.db, r.clients); err != nil {
		return result{}, err
	}
	var (
		next, attempts atomic.Int64
		firstErr       error
		errOnce        sync.Once
		wg             sync.WaitGroup
	)
	lat := make([][]time.Duration, r.clients)
	cpu0, all0 := ownCPU(), machineCPU()
	start := time.Now()
	deadline := start.Add(r.maxTime)
	for c := range r.clients {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(rand.Uint64(), uint64(c)))
			events := make([]models.EventInput, r.perUnit)
			for {
				n := next.Add(1)
				if n > int64(r.units) || time.Now().After(deadline) || ctx.Err() != nil {
					return
				}
				r.fill(events, rng, c)
				t0 := time.Now()
				err := tenants.WithTenant(ctx, r.db, r.tenantID, func(ctx context.Context) error {
					attempts.Add(1)
					return r.ingest(ctx, events)
				})
				if err != nil {
					errOnce.Do(func() { firstErr = fmt.Errorf("engine %s, unit %d: %w", r.cohort.prefix, n, err) })
					return
				}
				lat[c] = append(lat[c], time.Since(t0))
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	cpu, machine := ownCPU()-cpu0, machineCPU()-all0
	if firstErr != nil {
		return result{}, firstErr
	}
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	return result{
		units:     len(all),
		events:    len(all) * r.perUnit,
		elapsed:   elapsed,
		latencies: all,
		retried:   int(attempts.Load()) - len(all),
		capped:    len(all) < r.units,
		clientCPU: cpu,
		allCPU:    machine,
	}, nil
}

// fill writes the events of one transaction of client c, drawn as the
// pgbench scripts draw them: a random guest of the cohort and a random quest
// step, or for a batch distinct guests with the steps in turn; and keys
// shaped as the script shapes them, from the client and a random number.
// (Keys in increasing order would insert into the key index's last page
// only, which pgbench cannot do: random keys on both sides, as clients send.)
func (r engineRun) fill(events []models.EventInput, rng *rand.Rand, c int) {
	k := 1 + rng.Int64N(9_000_000_000_000)
	if len(events) == 1 {
		events[0] = models.EventInput{
			Participant:    r.cohort.guest(1 + rng.IntN(r.cohort.guests)),
			Name:           questSteps[rng.IntN(len(questSteps))],
			IdempotencyKey: fmt.Sprintf("%s-%d-%d", r.keys, c, k),
		}
		return
	}
	// The batch script's formula: distinct guests (7 is prime to the
	// cohort size), steps rotating through the quest.
	off, step := rng.IntN(r.cohort.guests), rng.IntN(len(questSteps))
	for g := 1; g <= len(events); g++ {
		events[g-1] = models.EventInput{
			Participant:    r.cohort.guest(1 + (g*7+off)%r.cohort.guests),
			Name:           questSteps[(g+step)%len(questSteps)],
			IdempotencyKey: fmt.Sprintf("%s-%d-%d-%d", r.keys, c, k, g),
		}
	}
}

// ingest is what the API handlers do inside the tenant transaction:
// validate, then one ingest_events statement.
func (r engineRun) ingest(ctx context.Context, events []models.EventInput) error {
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

// warmPool sizes the pool to n connections and opens them all, so that no
// measured transaction pays for a connection (pgbench reports its rate
// without the initial connection time too).
func warmPool(ctx context.Context, db *gorm.DB, n int) error {
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	sqlDB.SetMaxOpenConns(n)
	sqlDB.SetMaxIdleConns(n)
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
