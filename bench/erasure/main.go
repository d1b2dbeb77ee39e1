// Command erasure measures a participant's erasure while their tenant
// ingests (the goal: a participant with 100,000 events erased in seconds,
// without stalling the tenant's ingestion).
//
//	go run ./bench/erasure                     # 100,000 events, 4 ingesting clients
//	go run ./bench/erasure -events 300000 -clients 8
//	go run ./bench/erasure -retention          # retention of 10,000,000 expired rows (make bench-retention)
//	go run ./bench/erasure -retention -rows 100000
//
// It creates a tenant with a published one-step campaign, a subject with
// -events events whose properties hold their e-mail, and 1,000 other
// participants with 100 events each; then -clients goroutines ingest one
// event a transaction (models.IngestEvent in tenants.WithTenant, as the
// API does) for the other participants, first alone for -baseline, then
// while the subject is erased (models.EraseParticipant in one tenant
// transaction). It prints the erasure's duration, and the ingestion's
// events/s, p50 and p99 while the erasure ran beside the baseline's. It
// runs on the test harness's database (internal/dbtest: TEST_DATABASE_URL,
// or a throwaway cluster of its own). Slow numbers never fail the command;
// errors do.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/tandemhq/tandem/internal/dbtest"
	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

func main() {
	events := flag.Int("events", 100000, "events of the participant erased")
	clients := flag.Int("clients", 4, "goroutines ingesting meanwhile")
	baseline := flag.Duration("baseline", 5*time.Second, "ingestion measured alone first")
	retention := flag.Bool("retention", false, "measure retention's enforcement instead (runRetention, retention.go)")
	rows := flag.Int("rows", 10000000, "with -retention: expired rows to generate")
	flag.Parse()
	if *events < 1 || *clients < 1 || *baseline <= 0 || *rows < 1 {
		fmt.Fprintln(os.Stderr, "bench/erasure: -events, -clients, -baseline and -rows are positive")
		os.Exit(2)
	}
	bench := run
	if *retention {
		bench = func(_, clients int, baseline time.Duration, out io.Writer) error {
			return runRetention(*rows, clients, baseline, out)
		}
	}
	if err := bench(*events, *clients, *baseline, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "bench/erasure:", err)
		os.Exit(1)
	}
}

const others = 1000

func run(events, clients int, baseline time.Duration, out io.Writer) (err error) {
	env, err := dbtest.Setup("bench_erasure")
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, env.Close()) }()
	ctx := context.Background()
	start := time.Now()
	created, err := tenants.Create(ctx, env.App, tenants.NewTenant{Name: "Erasure bench", OwnerEmail: "owner@bench.test", OwnerPassword: "bench-password-1"})
	if err != nil {
		return err
	}
	if err := fixture(ctx, env, created.TenantID, events); err != nil {
		return err
	}
	fmt.Fprintf(out, "bench/erasure: a participant with %d events among %d others with 100 each; %d ingesting clients; %d CPUs, %s; set up in %.1f s\n",
		events, others, clients, runtime.NumCPU(), runtime.Version(), time.Since(start).Seconds())

	ingest := func(ctx context.Context, n int) error {
		return tenants.WithTenant(ctx, env.App, created.TenantID, func(ctx context.Context) error {
			_, _, err := models.IngestEvent(ctx, models.EventInput{Participant: fmt.Sprintf("other-%d", n%others), Name: "page_view",
				Properties: []byte(`{"path":"/pricing"}`)})
			return err
		})
	}
	alone, err := measure(ctx, clients, ingest, func(context.Context) error { time.Sleep(baseline); return nil })
	if err != nil {
		return err
	}
	var erasedIn time.Duration
	during, err := measure(ctx, clients, ingest, func(ctx context.Context) error {
		time.Sleep(500 * time.Millisecond) // the clients are running
		t0 := time.Now()
		err := tenants.WithTenant(ctx, env.App, created.TenantID, func(ctx context.Context) error {
			_, err := models.EraseParticipant(ctx, "subject")
			return err
		})
		erasedIn = time.Since(t0)
		return err
	})
	if err != nil {
		return err
	}
	var left int64
	if err := env.Owner.Raw(`SELECT count(*) FROM events WHERE tenant_id = ? AND properties <> '{}' AND participant_id =
		(SELECT id FROM participants WHERE tenant_id = ? AND erased_at IS NOT NULL)`, created.TenantID, created.TenantID).Scan(&left).Error; err != nil {
		return err
	}
	if left != 0 {
		return fmt.Errorf("%d of the subject's events kept their properties", left)
	}
	fmt.Fprintf(out, "erasure of %d events: %.2f s\n", events, erasedIn.Seconds())
	fmt.Fprintf(out, "%-34s %12s %10s %10s\n", "ingestion, one event a transaction", "events/s", "p50", "p99")
	fmt.Fprintf(out, "%-34s %12s %10s %10s\n", "alone (baseline)", alone.rate(), alone.q(0.5), alone.q(0.99))
	fmt.Fprintf(out, "%-34s %12s %10s %10s\n", "while the erasure ran", during.rate(), during.q(0.5), during.q(0.99))
	return nil
}

// latencies are the ingestion's transactions over a window.
type latencies struct {
	times  []time.Duration
	window time.Duration
}

func (l latencies) rate() string {
	return fmt.Sprintf("%.0f", float64(len(l.times))/l.window.Seconds())
}

func (l latencies) q(q float64) string {
	if len(l.times) == 0 {
		return "—"
	}
	return fmt.Sprintf("%.1f ms", float64(l.times[int(q*float64(len(l.times)-1))])/1e6)
}

// measure runs clients ingesting until during returns, and keeps the
// latencies of the transactions that started while during ran.
func measure(ctx context.Context, clients int, ingest func(context.Context, int) error, during func(context.Context) error) (latencies, error) {
	var (
		mu      sync.Mutex
		times   []time.Duration
		stop    atomic.Bool
		counter atomic.Int64
		wg      sync.WaitGroup
		errs    = make(chan error, clients+1)
	)
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				t0 := time.Now()
				if err := ingest(ctx, int(counter.Add(1))); err != nil {
					errs <- err
					return
				}
				took := time.Since(t0)
				if !stop.Load() {
					mu.Lock()
					times = append(times, took)
					mu.Unlock()
				}
			}
		}()
	}
	time.Sleep(200 * time.Millisecond) // warm-up, not measured
	mu.Lock()
	times = times[:0]
	mu.Unlock()
	t0 := time.Now()
	err := during(ctx)
	window := time.Since(t0)
	stop.Store(true)
	wg.Wait()
	close(errs)
	for e := range errs {
		err = errors.Join(err, e)
	}
	slices.Sort(times)
	return latencies{times: times, window: window}, err
}

// fixture makes the campaign, the subject with events events and the
// others with 100 each, written as the owner in bulk (the events' triggers
// run; only the setup's speed differs from the API).
func fixture(ctx context.Context, env *dbtest.Env, tenant uuid.UUID, events int) error {
	err := tenants.WithTenant(ctx, env.App, tenant, func(ctx context.Context) error {
		for _, name := range []string{"signed_up", "page_view"} {
			if _, _, err := models.DefineEvent(ctx, name, ""); err != nil {
				return err
			}
		}
		rules := models.Rules{Steps: []string{"signed_up"}}
		if _, _, err := models.SaveCampaignDraft(ctx, "bench", models.CampaignInput{Name: "Bench", Mode: models.ModeReferrerCode, Rules: rules}); err != nil {
			return err
		}
		if _, err := models.PublishCampaign(ctx, "bench", models.InflightKeep); err != nil {
			return err
		}
		email := "subject@bench.example"
		_, _, err := models.UpsertParticipant(ctx, models.ParticipantInput{ExternalID: "subject", Email: &email})
		return err
	})
	if err != nil {
		return err
	}
	return env.Owner.Transaction(func(tx *gorm.DB) error {
		steps := []string{
			`INSERT INTO participants (tenant_id, external_id) SELECT ?, 'other-' || n FROM generate_series(0, ?) n`,
			`INSERT INTO events (tenant_id, participant_id, name, properties)
			 SELECT ?, p.id, 'page_view', jsonb_build_object('path', '/pricing', 'n', n)
			 FROM participants p, generate_series(1, 100) n WHERE p.tenant_id = ? AND p.external_id LIKE 'other-%'`,
			`INSERT INTO events (tenant_id, participant_id, name, idempotency_key, properties)
			 SELECT ?, p.id, 'page_view', 'subject-' || n, jsonb_build_object('email', p.email, 'n', n)
			 FROM participants p, generate_series(1, ?) n WHERE p.tenant_id = ? AND p.external_id = 'subject'`,
		}
		args := [][]any{{tenant, others - 1}, {tenant, tenant}, {tenant, events, tenant}}
		for i, s := range steps {
			if err := tx.Exec(s, args[i]...).Error; err != nil {
				return fmt.Errorf("fixture %d: %w", i+1, err)
			}
		}
		return tx.Exec(`ANALYZE`).Error
	})
}
