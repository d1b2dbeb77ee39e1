// Command ingest measures event ingestion through models and prints it
// beside pgbench running the same SQL on the same cluster in the same run,
// as a ratio (BRIEF §6: single events ≥ 0.6 of pgbench; batches ≥ 20,000
// events/s on 2 cores).
//
//	make bench                    # go run ./bench/ingest
//	go run ./bench/ingest -h      # counts, clients, rounds, time cap
//
// The engine side is the production path below HTTP: a pool of tandem_app
// connections (the role of APP_DATABASE_URL), tenants.WithTenant around
// models.IngestEvent for single events, or around models.IngestEvents with
// batches of 1000, each event validated as the API validates it. The pgbench
// side sends, per transaction, the very statements WithTenant and
// IngestEvents send: BEGIN; the set_config of role and tenant; SELECT … FROM
// ingest_events(…); COMMIT — prepared, as pgx prepares them, as tandem_app,
// over loopback TCP. The ratio is what Go, pgx, database/sql, gorm and our
// code cost on top of PostgreSQL doing the same work; on a small machine the
// client's CPU is taken from the server, so that cost counts twice.
//
// Why it is fair:
//   - Same clients, same server, same settings, same draws: a random guest of
//     2,000 and a random quest step, or for a batch 1,000 distinct guests.
//   - Every event is a real insert: its idempotency key is unique on both
//     sides, and shaped alike (client id and a random number), so both sides
//     insert into the key index at random places, as real clients' keys do.
//   - Each side of each run has a cohort of its own — 2,000 freshly claimed
//     invitations with open quests, 400 hosts with 5 each — so neither finds
//     quests the other completed; the report shows both did the same work
//     (events stored are checked, quests completed and rewards are printed).
//   - The sides take turns in rounds (-rounds), each slice after a
//     CHECKPOINT, so load that comes and goes on the machine and the growth
//     of the events table fall on both alike.
//   - Neither counts connecting; deadlocks and serialization failures are
//     retried up to 4 times on both sides (WithTenant; pgbench --max-tries).
//
// The pieces — database, fixture, draws, pgbench, rounds, report — live in
// bench/internal/ingestbench, shared with bench/http (the same comparison
// through the HTTP API).
//
// Without DATABASE_URL it starts a throwaway PostgreSQL (internal/pgcluster,
// with its durable defaults unless -fast) in a temporary directory and
// removes it at the end. With DATABASE_URL (a superuser or the schema
// owner), it migrates that database, gives tandem_app the login password
// "bench", and leaves the tenant "Bench <run>" behind. Each side is bounded
// in transactions and in time (-max-run); a side stopped by the cap is
// reported as such. Slow numbers never fail the command; errors do.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/tandemhq/tandem/bench/internal/ingestbench"
)

func main() {
	var cfg ingestbench.Config
	cfg.RegisterFlags(flag.CommandLine)
	cpuProfile := flag.String("cpuprofile", "", "write models' CPU profile (all of this process) to `file`")
	flag.Parse()
	if err := cfg.Check(); err != nil {
		fmt.Fprintln(os.Stderr, "bench/ingest:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := ingestbench.WithProfile(*cpuProfile, func() error { return run(ctx, cfg, os.Stdout) })
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench/ingest:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, cfg ingestbench.Config, out io.Writer) (err error) {
	pgbench, err := ingestbench.FindPgbench()
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "tandem-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	db, err := ingestbench.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, db.Close()) }()
	if err := db.PrintHeader(ctx, out, "bench/ingest: event ingestion through models beside pgbench — same SQL, same cluster, same run"); err != nil {
		return err
	}

	start := time.Now()
	runID := ingestbench.RandomHex(4)
	fx, err := ingestbench.BuildFixture(ctx, db, runID, cfg, []string{"sp", "se", "bp", "be"}, out)
	if err != nil {
		return err
	}
	fmt.Fprintln(out)

	tenantID := fx.Tenant.TenantID
	pg := ingestbench.Pgbench{Bin: pgbench, Dir: dir, URL: db.PgbenchURL, Password: ingestbench.AppPassword, TenantID: tenantID}
	engine := ingestbench.Engine{DB: db.App, TenantID: tenantID}
	b := &ingestbench.Bench{DB: db, TenantID: tenantID, RunID: runID, Rounds: cfg.Rounds, MaxRun: cfg.MaxRun,
		Out: out, Checkpointed: true}
	var rows []ingestbench.Row
	for _, p := range []ingestbench.Pair{
		{Name: "single", Clients: cfg.Clients, PerUnit: 1, Units: cfg.Events, Sides: []ingestbench.Side{
			{Name: "pgbench", Cohort: fx.Cohorts["sp"], Runner: pg},
			{Name: "engine", Cohort: fx.Cohorts["se"], Runner: engine},
		}},
		{Name: "batch", Clients: cfg.BatchClients, PerUnit: cfg.BatchSize, Units: cfg.BatchEvents / cfg.BatchSize, Sides: []ingestbench.Side{
			{Name: "pgbench", Cohort: fx.Cohorts["bp"], Runner: pg},
			{Name: "engine", Cohort: fx.Cohorts["be"], Runner: engine},
		}},
	} {
		r, err := b.RunPair(ctx, p)
		if err != nil {
			return err
		}
		rows = append(rows, r...)
	}
	fmt.Fprintf(out, "load      %s at the end: other work on the machine slows both sides\n\n", ingestbench.LoadAverage())
	ingestbench.PrintReport(out, rows, "engine", b.Checkpointed)
	fmt.Fprintf(out, "total %.0f s\n", time.Since(start).Seconds())
	return nil
}
