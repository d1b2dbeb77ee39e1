// Command ingest measures event ingestion against its goals and prints one
// table: each of its six figures, measured in this run, beside its
// reference and its goal.
//
//	make bench                      # go run ./bench/ingest: a few minutes
//	go run ./bench/ingest -quick    # a smoke run, under a minute of measuring
//	go run ./bench/ingest -h        # durations, sizes
//
// Everything runs on one throwaway cluster (internal/pgcluster) started for
// the run in a temporary directory: the server's defaults, synchronous_commit
// on, with fsync and full_page_writes turned off (-durable keeps them on);
// the same settings for both sides. Its two databases:
//
//   - reference: bench/reference/reference-schema.sql run with psql as the
//     superuser; ref_app is given a password. The floor is pgbench running
//     the reference transactions as their README says (pgbench -n -c N -j 2
//     -T seconds -f script), as ref_app over TCP on 127.0.0.1.
//   - tandem_bench: migrated by its owner; tandem_app logs in with a
//     password over TCP on 127.0.0.1 — the transport pgbench uses. The
//     fixture, through models: a tenant, a published campaign (2-step quest
//     signup_complete, purchase_complete; page_view defined but no step; a
//     guest reward; host milestones 1, 2, 3, the last repeated), and cohorts
//     of claimed invitations, a fresh one for each measurement (fixture.go).
//
// The server is the real one: ./cmd/tandem built into the temporary
// directory and run as `tandem serve`, a process of its own, with
// APP_DATABASE_URL (tandem_app, its pool as deployed) and rate limits off,
// from before the first figure to after the last. The load generator is
// this process (load.go): keep-alive HTTP/1.1 clients on 127.0.0.1 posting
// with the tenant's secret key; every event has a random idempotency key,
// so every event is a new insert, and the events stored are counted after
// each measurement. Before each measurement: VACUUM ANALYZE of the other
// side's database (what the measurement before wrote there is not this
// one's to pay for, cluster.go) and CHECKPOINT. Right before figure 1,
// and again right before figure 2, each time after its reference (whose
// vacuum analyzes the server's tables, which invalidates every plan, as
// the bulk load's does), the server is warmed up, unmeasured, by figure
// 1's load on a cohort of its own until its quests are done and one more
// event each: every pooled connection has then planned ingestion's
// statements, as a server's have in production (pgbench's figures leave out
// its connecting, too).
//
// During figures 1, 2 and 4 and their references, the CPU time (user +
// system) of PostgreSQL (the postmaster and all its children), the server
// and the client (this process, or pgbench) is read from /proc (cpu.go) and
// printed per event below the table: unlike events/s, it barely moves with
// other work on the machine.
//
// The figures, in the order they run:
//
//  1. pgbench -c 16 reference-event.sql for -seconds (tx/s = events/s), then
//     16 clients posting POST /v1/events for -seconds on a cohort of 50
//     hosts × 10 guests, each guest sending signup_complete,
//     purchase_complete, page_view, page_view in turn (cohort.event: every
//     guest's first event, then every guest's second, …, consecutive events
//     on different hosts). events/s over the reference's; p50 and p99 of
//     the requests' latency as the clients saw them. Before everything
//     else, the cold start: the server is started right before it (after
//     VACUUM ANALYZE of both databases and a CHECKPOINT) and waited for
//     until /readyz answers 200, as a proxy waits (serve warms its pool up
//     first); then the same load on a cohort of its own for -seconds, with
//     no warm-up of ours: its events/s over figure 1's, the same server
//     once warm.
//  3. -bursts rounds of two bursts, in alternating order: 500 guests each
//     sending signup_complete then purchase_complete (1,000 events, 500
//     completions), 16 clients, once on a fresh spread cohort (50 × 10
//     guests) and once on a fresh hot cohort (1 host × 500). The hot bursts'
//     events/s over the spread bursts': the cost of the host's counter row,
//     the work being the same (figure 1's steady rate is mostly page views
//     after the quests are done, so it is not the denominator). Then
//     exactly-once on every hot host: counter 500, completions numbered 1 …
//     500, one host reward per milestone 1 … 500 for the invitation of that
//     number, one guest reward per invitation.
//  4. pgbench -c 4 reference-batch.sql for -seconds (events/s = tx/s × 100),
//     then 4 clients posting POST /v1/events/batch with 1,000 events a
//     request for -seconds, the same cycle on a cohort of 100 hosts × 10:
//     a batch is one event of every guest, all signups, then all
//     purchases (1,000 completions), then page views, as a reference
//     transaction is one event for each of 100 participants.
//  2. -stored events (10 each for participants of their own, names of the
//     cycle) bulk-loaded into the tenant by the owner with INSERT … SELECT
//     generate_series, every constraint and index on; VACUUM ANALYZE; then
//     pgbench -c 16 reference-event.sql again and figure 1's load on a fresh
//     cohort: "the same figure", its events/s over this second reference's
//     tx/s, over figure 1's. The reference's own database does not grow, so
//     what the second reference takes out is the machine's drift between
//     the two measurements, minutes apart: this machine's speed moved by up
//     to 40% between them (the server's CPU per event, which cannot depend
//     on the tables, with it).
//  5. The server's peak resident memory through all of it: VmHWM in
//     /proc/<pid>/status at the end.
//  6. Completions (run after figure 4, over its reference): 4 clients
//     posting batches of 1,000 for -seconds on a cohort of 50 hosts × 40
//     guests cycling signup_complete, purchase_complete, page_view, so that
//     every guest completes within the first four batches and the rest are
//     repeats; events/s over the 100-event reference's, and the p99 of a
//     batch's latency. Before the server starts, on one connection warmed
//     as serve warms its pool (completions.go), the backend's CPU per
//     completion: a batch of 1,000
//     purchases each completing a quest, 50 hosts × 20 guests; and 5,000
//     completions in one transaction (five batches) on one host, over the
//     same spread on 50 hosts, then exactly-once on that host; and the
//     batch of 1,000 again in a campaign of the same rules under review:
//     risky, once with no signal and once with every referral flagged
//     (a medium signal recorded at claim, so every reward is held), over
//     the batch without review measured once more after them (goal: at
//     most 1.1 ×).
//
// With -migration N (off in make bench: it takes minutes), after the
// figures: a campaign of its own with N claimed, open invitations (written
// by the owner with the triggers off, migration.go) and a saved draft whose
// quest is the first of its two steps; figure 1's load to those guests for
// 5 s, then POST /v1/campaigns/migrating/publish with "migrate", and the
// load goes on, 5 s at a time, until serve's job has moved every
// invitation. Printed below the table: how long the publish took to
// answer, how long the move, and the requests' p99 before and during it
// (goal: under 100 ms while it runs).
//
// Then, unless -citus=false or Citus is not installed (citus.go): figures 1
// and 4 and their references again, with Tandem on a Citus coordinator and
// two workers started on this machine after the single cluster's server has
// stopped, its tables distributed and ingestion delegated; printed below
// the table beside the same figures on one node, with PostgreSQL's CPU per
// event on all three nodes: what distribution costs per event.
//
// Before the server starts, with nothing else running in the database, the
// backend's own CPU time per event (backend.go): page views through
// tenants.IngestEvents in batches of 1,000 and one a transaction, beside the
// reference scripts' statements on one connection: what PostgreSQL itself
// spends, apart from HTTP, the server, the load generator and contention.
// Then quest steps (a cohort's signups, then its purchases, which complete
// every quest), once with the webhook outbox's triggers and, on another
// cohort, without them: what recording webhooks costs ingestion (at most
// 10% was allowed).
//
// Slow numbers never fail the command; errors do: an answer but 202 (200
// with every event "created" for a batch), a pgbench transaction that
// failed, a count of stored events that differs from the count sent,
// quests not completed when their events were sent, exactly-once broken, a
// server that logs an error or a warning or does not stop cleanly.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"syscall"
	"time"

	"github.com/tandemhq/tandem/bench/reference"
	"github.com/tandemhq/tandem/internal/database"
	"github.com/tandemhq/tandem/internal/pgcluster"
	"github.com/tandemhq/tandem/models"
)

// The shape of the figures.
const (
	clients       = 16 // single events, and their reference
	batchClients  = 4  // batches, and their reference
	hosts         = 50 // a spread cohort: hosts × guestsPerHost
	guestsPerHost = 10
	batchSize     = models.MaxBatchEvents
)

// The goals of the figures (docs/performance.md).
const (
	singleGoal = 0.6 // figure 1, of the one-event reference
	coldGoal   = 0.9 // figure 1 on a fresh server, of figure 1
	p99Goal    = 50  // ms, figure 1
	grownGoal  = 0.9 // figure 2, of figure 1
	hotGoal    = 0.5 // figure 3, of the spread bursts
	batchGoal  = 0.5 // figure 4, of the 100-event reference
	memoryGoal = 150 // MB, figure 5

	completingPerHost = 40  // figure 6: hosts × 40 guests
	completingP99Goal = 500 // ms, figure 6, a batch's
	completionCPUGoal = 400 // µs, figure 6: PostgreSQL's CPU a completion, in a batch of 1,000
	hotCompletionGoal = 1.5 // figure 6: the hot host's CPU a completion, at most this × the spread's
	reviewedGoal      = 1.1 // figure 6: a completion under review: risky, at most this × one without review
)

type config struct {
	seconds   int
	stored    int
	bursts    int
	durable   bool
	migration int
	citus     bool
}

func main() {
	var cfg config
	flag.IntVar(&cfg.seconds, "seconds", 10, "length of each timed measurement: both references, figures 1, 2 and 4")
	flag.IntVar(&cfg.stored, "stored", 1_000_000, "events stored before figure 2")
	flag.IntVar(&cfg.bursts, "bursts", 3, "rounds of figure 3, each a spread and a hot burst of 1,000 events on fresh cohorts")
	flag.BoolVar(&cfg.durable, "durable", false, "keep fsync and full_page_writes on")
	flag.IntVar(&cfg.migration, "migration", 0, "after the figures, publish a migration of this many in-flight invitations while events flow to their guests (0: skip; a multiple of 100)")
	flag.BoolVar(&cfg.citus, "citus", true, "measure figures 1 and 4 on a Citus cluster too, when Citus is installed")
	quick := flag.Bool("quick", false, "smoke run: -seconds 2 -stored 50000 -bursts 1")
	flag.Parse()
	if *quick {
		cfg.seconds, cfg.stored, cfg.bursts = 2, 50_000, 1
	}
	if cfg.seconds < 1 || cfg.stored < storedPerParticipant || cfg.bursts < 1 || cfg.migration < 0 || cfg.migration%100 != 0 {
		fmt.Fprintln(os.Stderr, "bench/ingest: -seconds ≥ 1, -stored ≥ 10, -bursts ≥ 1, -migration a multiple of 100")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, cfg, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench/ingest:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, cfg config, out, progress io.Writer) (err error) {
	start := time.Now()
	step := func(format string, args ...any) {
		fmt.Fprintf(progress, "%5.0f s  %s\n", time.Since(start).Seconds(), fmt.Sprintf(format, args...))
	}
	dir, err := os.MkdirTemp("", "tandem-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	step("building ./cmd/tandem")
	bin, err := buildServer(ctx, dir)
	if err != nil {
		return err
	}
	step("starting the cluster, migrating, setting up the reference")
	b, err := startBench(ctx, cfg.durable)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, b.close()) }()
	settings, err := b.settings(ctx)
	if err != nil {
		return err
	}
	loadAtStart := loadAverage()

	step("fixture: tenant, campaign, cohorts")
	warm, rewarm := cohort{"warm", hosts, guestsPerHost}, cohort{"rewarm", hosts, guestsPerHost}
	single, cold := cohort{"single", hosts, guestsPerHost}, cohort{"cold", hosts, guestsPerHost}
	grown := cohort{"grown", hosts, guestsPerHost}
	batch := cohort{"batch", batchSize / guestsPerHost, guestsPerHost} // a batch: one event of every guest
	stepsOn, stepsOff := cohort{"steps-on", hosts, guestsPerHost}, cohort{"steps-off", hosts, guestsPerHost}
	cohorts := []cohort{warm, rewarm, single, cold, grown, batch, stepsOn, stepsOff}
	var spreads, hots []cohort
	for i := range cfg.bursts {
		spreads = append(spreads, cohort{fmt.Sprintf("spread%d", i), hosts, guestsPerHost})
		hots = append(hots, cohort{fmt.Sprintf("hot%d", i), 1, hosts * guestsPerHost})
	}
	cohorts = append(append(cohorts, spreads...), hots...)
	completing := cohort{"completing", hosts, completingPerHost}
	doneBatch, doneHot, doneSpread, doneAgain := completionCohorts()
	reviewedClean, reviewedFlagged := reviewedCohorts()
	cohorts = append(cohorts, completing, doneBatch, doneHot, doneSpread, doneAgain)
	pool, err := database.Open(b.appURL)
	if err != nil {
		return err
	}
	migrating := cohort{"mig", cfg.migration / 100, 100}
	tenant, err := setUp(ctx, pool)
	if err == nil {
		err = addCohorts(ctx, pool, tenant.TenantID, campaignSlug, cohorts, nil, max(2, runtime.NumCPU()))
	}
	if err == nil {
		err = addCohorts(ctx, pool, tenant.TenantID, reviewedSlug, []cohort{reviewedClean}, nil, max(2, runtime.NumCPU()))
	}
	if err == nil {
		err = addCohorts(ctx, pool, tenant.TenantID, reviewedSlug, []cohort{reviewedFlagged}, reviewedSignals, max(2, runtime.NumCPU()))
	}
	if err == nil && cfg.migration > 0 {
		err = setUpMigrating(ctx, pool, b.owner, tenant.TenantID, migrating)
	}
	err = errors.Join(err, database.Close(pool))
	if err != nil {
		return err
	}
	if err := b.vacuum(ctx); err != nil {
		return err
	}
	fixtureTook := time.Since(start)

	step("backend CPU per event, one connection")
	backend, err := b.measureBackend(ctx, tenant.TenantID, stepsOn, stepsOff)
	if err != nil {
		return err
	}

	step("backend CPU per completion, one connection")
	var f figures
	if f.completions, f.hotOnce, err = b.measureCompletions(ctx, tenant.TenantID, doneBatch, doneHot, doneSpread, reviewedClean, reviewedFlagged, doneAgain); err != nil {
		return err
	}

	// The cold start: figure 1's load from the moment a fresh server says it
	// is ready, as a proxy would route a new machine's first requests. The
	// server's database is vacuumed first too: the completions above wrote
	// thousands of rows there, which autovacuum would take up in the cold
	// start's seconds, where figure 1 runs after the vacuum of its
	// reference. The server is not started yet, so it plans nothing again.
	if err := b.vacuumDB(ctx, tandemDB); err != nil {
		return err
	}
	if err := b.settle(ctx, tandemDB); err != nil {
		return err
	}
	step("starting tandem serve")
	srv, err := startServer(ctx, bin, dir, b.appURL)
	if err != nil {
		return err
	}
	defer func() {
		if srv != nil {
			err = errors.Join(err, srv.stop())
		}
	}()
	f.ready = srv.ready
	load := newAPILoad(srv.base, tenant.SecretKey, clients)
	defer load.close()
	seconds := time.Duration(cfg.seconds) * time.Second
	m := measurer{b: b, meter: cpuMeter{dataDir: b.cluster.Dir, server: srv.pid}, tenant: tenant.TenantID, step: step}
	step("cold start: single events on a server ready %.1f s after it started", f.ready.Seconds())
	coldBefore, err := m.meter.read()
	if err != nil {
		return err
	}
	if f.cold, err = load.run(ctx, job{cohort: cold, clients: clients, perRequest: 1, duration: seconds}); err != nil {
		return err
	}
	coldAfter, err := m.meter.read()
	if err != nil {
		return err
	}
	f.cold.cpu = coldAfter.sub(coldBefore)
	if err := b.checkStored(ctx, tenant.TenantID, cold, f.cold.events); err != nil {
		return err
	}
	http := func(c cohort, clients, perRequest, events int) func() (result, error) {
		return func() (result, error) {
			return load.run(ctx, job{cohort: c, clients: clients, perRequest: perRequest, events: events, duration: seconds})
		}
	}
	// A pooled connection's first call plans every function ingestion
	// reaches, tens of milliseconds paid once per connection, and does again
	// after an ANALYZE of the tables they read.
	warmUp := func(c cohort) error {
		step("warming the server up on %s", c.prefix)
		_, err := http(c, clients, 1, c.completing()+c.guests())()
		return err
	}
	// Each warm-up runs right before the figure it warms, after the
	// reference's measurement: the vacuum before a reference measurement
	// (settle) analyzes the server's tables, which makes it plan again.
	if f.refEvent, err = m.measure(ctx, "pgbench reference-event.sql", cohort{}, func() (result, error) {
		return b.pgbench(ctx, "reference-event.sql", reference.Event, 1, clients, cfg.seconds)
	}); err != nil {
		return err
	}
	if err := warmUp(warm); err != nil {
		return err
	}
	if f.single, err = m.measure(ctx, "figure 1: single events", single, http(single, clients, 1, 0)); err != nil {
		return err
	}
	for i := range cfg.bursts {
		pair := []cohort{spreads[i], hots[i]}
		if i%2 == 1 {
			pair[0], pair[1] = pair[1], pair[0]
		}
		for _, c := range pair {
			res, err := m.measure(ctx, "figure 3: burst on "+c.prefix, c, http(c, clients, 1, c.completing()))
			if err != nil {
				return err
			}
			sum := &f.spreadBurst
			if c.hosts == 1 {
				sum = &f.hotBurst
				f.exactlyOnce = errors.Join(f.exactlyOnce, checkExactlyOnce(ctx, b.owner, tenant.TenantID, c))
			}
			sum.events += res.events
			sum.elapsed += res.elapsed
		}
	}
	if f.refBatch, err = m.measure(ctx, "pgbench reference-batch.sql", cohort{}, func() (result, error) {
		return b.pgbench(ctx, "reference-batch.sql", reference.Batch, reference.BatchEvents, batchClients, cfg.seconds)
	}); err != nil {
		return err
	}
	if f.batch, err = m.measure(ctx, "figure 4: batches", batch, http(batch, batchClients, batchSize, 0)); err != nil {
		return err
	}
	if f.completing, err = m.measure(ctx, "figure 6: batches completing quests", completing, func() (result, error) {
		return load.run(ctx, job{cohort: completing, clients: batchClients, perRequest: batchSize, duration: seconds, names: completionCycle})
	}); err != nil {
		return err
	}
	step("storing %s events", thousands(int64(cfg.stored)))
	storeStart := time.Now()
	if err := storeEvents(ctx, b.owner, tenant.TenantID, cfg.stored); err != nil {
		return err
	}
	if err := b.vacuum(ctx); err != nil {
		return err
	}
	storeTook := time.Since(storeStart)
	if f.refGrown, err = m.measure(ctx, "pgbench reference-event.sql, again", cohort{}, func() (result, error) {
		return b.pgbench(ctx, "reference-event.sql", reference.Event, 1, clients, cfg.seconds)
	}); err != nil {
		return err
	}
	if err := warmUp(rewarm); err != nil {
		return err
	}
	if f.grown, err = m.measure(ctx, "figure 2: single events on stored events", grown, http(grown, clients, 1, 0)); err != nil {
		return err
	}

	var migration migrationResult
	if cfg.migration > 0 {
		step("publishing a migration of %s in-flight invitations while events flow", thousands(int64(cfg.migration)))
		if migration, err = measureMigration(ctx, load, b.owner, tenant.TenantID, migrating); err != nil {
			return err
		}
	}
	if _, f.hwm, err = srv.memory(); err != nil {
		return err
	}
	warmLog := srv.warmUpLine()
	err = srv.stop()
	logged := srv.errorLines()
	srv = nil
	if err != nil {
		return err
	}
	if logged > 0 {
		return fmt.Errorf("tandem serve logged %d error or warning lines", logged)
	}
	var onCitus citusFigures
	citusSkipped := "not asked for: -citus=false"
	if cfg.citus {
		citusSkipped = ""
		if installed := pgcluster.CitusInstalled(); installed != nil {
			citusSkipped = installed.Error()
		} else if onCitus, err = measureCitus(ctx, cfg, bin, step); err != nil {
			return err
		}
	}
	step("done")

	fmt.Fprintf(out, "bench/ingest: the six ingestion figures, each beside its reference measured in the same run on the same cluster\n")
	fmt.Fprintf(out, "machine   %d CPUs, %s/%s, %s; load average %s at the start, %s at the end\n",
		runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version(), loadAtStart, loadAverage())
	fmt.Fprintf(out, "cluster   %s; throwaway, both databases\n", settings)
	fmt.Fprintf(out, "run       %d s per timed measurement, %d burst rounds, %s events stored (loaded in %.0f s); fixture %.0f s, all %.0f s\n\n",
		cfg.seconds, cfg.bursts, thousands(int64(cfg.stored)), storeTook.Seconds(), fixtureTook.Seconds(), time.Since(start).Seconds())
	if err := printTable(out, f.rows(cfg)); err != nil {
		return err
	}
	fmt.Fprintln(out, "\nreferences: pgbench -n -j 2 -T <seconds> -f bench/reference/reference-{event,batch}.sql as ref_app over TCP (figures 1, 4);")
	fmt.Fprintln(out, "figures: tandem serve over HTTP on 127.0.0.1, its pool as tandem_app over TCP. Figure 3: bursts of 500 guests completing")
	fmt.Fprintln(out, "their quests (1,000 events each) on one host, over the same bursts spread on 50 hosts; exactly-once checked on every hot host.")
	fmt.Fprintf(out, "Figure 6: %d hosts × %d guests cycling signup_complete, purchase_complete, page_view, every guest completing in the first\n", hosts, completingPerHost)
	fmt.Fprintln(out, "four batches; its CPU lines on one connection before the server started (below: backend CPU per completion).")
	fmt.Fprintf(out, "fresh server: figure 1's load on a cohort of its own from the moment /readyz answered, %.1f s after `serve` started,\n", f.ready.Seconds())
	fmt.Fprintf(out, "over figure 1 on the same server once warm (%.2f of reference-event, beside figure 1's %s); its log: %s\n",
		over(f.cold.rate(), f.refEvent.rate()), floor2(over(f.single.rate(), f.refEvent.rate())), warmLog)
	printCPU(out, f)
	printBackend(out, backend)
	printCompletions(out, f.completions)
	if cfg.migration > 0 {
		printMigration(out, migration)
	}
	if citusSkipped != "" {
		fmt.Fprintf(out, "\nCitus: not measured (%s)\n", citusSkipped)
	} else {
		printCitus(out, f, onCitus)
	}
	return errors.Join(f.exactlyOnce, f.hotOnce)
}
