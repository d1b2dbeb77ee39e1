// Command http measures event ingestion through the HTTP API — POST
// /v1/events one event at a time, POST /v1/events/batch 1000 at a time —
// and prints it beside pgbench running the same SQL on the same database in
// the same run, as a ratio (BRIEF §6: single events ≥ 0.6 of pgbench;
// batches ≥ 20,000 events/s on 2 cores; the server's resident memory under
// that load below 150 MB).
//
//	make bench-http               # go run ./bench/http
//	go run ./bench/http -h        # counts, clients, rounds, time cap
//	go run ./bench/http -profile DIR   # where the server's time goes
//
// The server is the real one: ./cmd/tandem built into a temporary directory
// and run as `tandem serve`, a process of its own, logged in as tandem_app
// (APP_DATABASE_URL) with rate limits off (RATE_LIMIT_PER_MINUTE=0) and
// everything else as deployed, including its pool (internal/database). Its
// resident memory is read from /proc/<pid>/status: VmRSS every 50 ms during
// the load, and VmHWM, the kernel's own peak, at the end; its CPU from
// /proc/<pid>/stat.
//
// The load generator is this process, on 127.0.0.1: -clients goroutines
// (-batch-clients for batches), each on a keep-alive HTTP/1.1 connection of
// its own (net/http, one idle connection per client kept), authenticated
// with the tenant's real secret key from tenants.Create. Each sends one
// request after another, each carrying events drawn exactly as the pgbench
// script draws them — a random guest of the cohort's 2,000 and a random
// quest step, or 1,000 distinct guests — with unique idempotency keys, so
// every event is a real insert, quests complete and rewards are issued. It
// stops by itself after -events (-batch-events) per side or -max-run.
//
// pgbench (bench/internal/ingestbench, as in bench/ingest) sends per
// transaction what the server sends to PostgreSQL for one request: BEGIN;
// set_config of role and tenant; SELECT … FROM ingest_events(…); COMMIT,
// with the same clients, on a cohort of its own of the same shape. The
// sides take turns in -rounds rounds, each slice after a CHECKPOINT. With
// -engine, the engine in this process (tenants.WithTenant and
// models.IngestEvent(s) on a warm pool, as bench/ingest) runs as a third
// side, which splits the gap into what is below HTTP and what is HTTP.
//
// Slow numbers never fail the command. Errors do: any answer but 202 (200
// for a batch, with every event "created"), a duplicate, a transport error,
// a count of stored events that differs from the count sent, a server that
// logs an error or does not stop cleanly.
//
// With -profile DIR, nothing is compared: the server runs in this process
// (web.New on a pool opened as serve opens it, on 127.0.0.1) under the CPU
// profiler, the load generator's goroutines labelled bench=client, for one
// round's worth of single events, the same with the pool keeping only
// database/sql's default of 2 idle connections, and batches. It writes one
// profile per case into DIR and prints where the server's CPU went, by
// layer (see profile.go).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/tandemhq/tandem/bench/internal/ingestbench"
)

// rssGoalMB is BRIEF §6's bound on the server's resident memory under load.
const rssGoalMB = 150

func main() {
	var cfg ingestbench.Config
	cfg.RegisterFlags(flag.CommandLine)
	engine := flag.Bool("engine", false, "also run the engine in this process as a third side (two more cohorts to build)")
	profileDir := flag.String("profile", "", "profile the server in this process instead, writing CPU profiles into `dir`")
	flag.Parse()
	if err := cfg.Check(); err != nil {
		fmt.Fprintln(os.Stderr, "bench/http:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	var err error
	if *profileDir != "" {
		err = runProfile(ctx, cfg, *profileDir, os.Stdout)
	} else {
		err = run(ctx, cfg, *engine, os.Stdout)
	}
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench/http:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, cfg ingestbench.Config, withEngine bool, out io.Writer) (err error) {
	pgbench, err := ingestbench.FindPgbench()
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "tandem-bench-http-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	start := time.Now()
	bin, err := buildServer(ctx, dir)
	if err != nil {
		return err
	}
	built := time.Since(start)
	db, err := ingestbench.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, db.Close()) }()
	if err := db.PrintHeader(ctx, out, "bench/http: event ingestion through the HTTP API beside pgbench — same SQL, same database, same run"); err != nil {
		return err
	}

	start = time.Now()
	runID := ingestbench.RandomHex(4)
	prefixes := []string{"sp", "sh", "bp", "bh"}
	if withEngine {
		prefixes = append(prefixes, "se", "be")
	}
	fx, err := ingestbench.BuildFixture(ctx, db, runID, cfg, prefixes, out)
	if err != nil {
		return err
	}

	srv, err := startServer(ctx, bin, dir, db.AppURL)
	if err != nil {
		return err
	}
	defer func() {
		if srv != nil {
			err = errors.Join(err, srv.stop())
		}
	}()
	idleRSS, _, err := srv.memory()
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "api       tandem serve (./cmd/tandem built in %.0f s), pid %d, %s; APP_DATABASE_URL as tandem_app, RATE_LIMIT_PER_MINUTE=0\n",
		built.Seconds(), srv.pid, srv.base)
	fmt.Fprintf(out, "client    this process: net/http keep-alive HTTP/1.1, one connection per client, to 127.0.0.1\n\n")

	tenantID := fx.Tenant.TenantID
	pg := ingestbench.Pgbench{Bin: pgbench, Dir: dir, URL: db.PgbenchURL, Password: ingestbench.AppPassword, TenantID: tenantID}
	engine := ingestbench.Engine{DB: db.App, TenantID: tenantID}
	b := &ingestbench.Bench{DB: db, TenantID: tenantID, RunID: runID, Rounds: cfg.Rounds, MaxRun: cfg.MaxRun,
		Out: out, Checkpointed: true}
	var rows []ingestbench.Row
	var memLines []string
	for _, p := range []struct {
		name             string
		clients, perUnit int
		units            int
		prefix           string
	}{
		{"single", cfg.Clients, 1, cfg.Events, "s"},
		{"batch", cfg.BatchClients, cfg.BatchSize, cfg.BatchEvents / cfg.BatchSize, "b"},
	} {
		load := newAPILoad(srv.base, fx.Tenant.SecretKey, p.clients, srv)
		var peak int64
		sides := []ingestbench.Side{
			{Name: "pgbench", Cohort: fx.Cohorts[p.prefix+"p"], Runner: pg},
			{Name: "http", Cohort: fx.Cohorts[p.prefix+"h"], Runner: peakOf(load, &peak)},
		}
		if withEngine {
			sides = append(sides, ingestbench.Side{Name: "engine", Cohort: fx.Cohorts[p.prefix+"e"], Runner: engine})
		}
		r, err := b.RunPair(ctx, ingestbench.Pair{Name: p.name, Clients: p.clients, PerUnit: p.perUnit, Units: p.units, Sides: sides})
		load.close()
		if err != nil {
			return err
		}
		rows = append(rows, r...)
		memLines = append(memLines, fmt.Sprintf("%s %s", p.name, mb(peak)))
	}
	rss, hwm, err := srv.memory()
	if err != nil {
		return err
	}
	_, sampled, warm := srv.peaks()
	if err := srv.stop(); err != nil {
		srv = nil
		return err
	}
	logged := srv.errorLines()
	srv = nil
	if logged > 0 {
		return fmt.Errorf("tandem serve logged %d error or warning lines", logged)
	}
	fmt.Fprintf(out, "load      %s at the end: other work on the machine slows every side\n\n", ingestbench.LoadAverage())
	ingestbench.PrintReport(out, rows, "http", b.Checkpointed)
	fmt.Fprintf(out, "\nserver memory (tandem serve, resident): %s after start; %s at most right after a warm-up (the first, concurrent\n", mb(idleRSS), mb(warm))
	fmt.Fprintf(out, "              requests of a slice, which verify the key when its cache entry has expired); peak sampled every 50 ms:\n")
	fmt.Fprintf(out, "              %s; %s at the end;\n", strings.Join(memLines, ", "), mb(rss))
	verdict := "met"
	if max(hwm, sampled) >= rssGoalMB*1024 {
		verdict = "NOT met"
	}
	fmt.Fprintf(out, "              VmHWM (the kernel's peak) %s   (goal < %d MB: %s)\n", mb(hwm), rssGoalMB, verdict)
	fmt.Fprintf(out, "total %.0f s (fixture and runs; building the server took %.0f s more)\n", time.Since(start).Seconds(), built.Seconds())
	return nil
}

// peakRunner is a side's runner that also keeps the highest server VmRSS
// sampled during its slices.
type peakRunner struct {
	load *apiLoad
	peak *int64
}

func peakOf(l *apiLoad, peak *int64) ingestbench.Runner { return peakRunner{l, peak} }

func (p peakRunner) Run(ctx context.Context, s ingestbench.Slice) (ingestbench.Result, error) {
	r, err := p.load.Run(ctx, s)
	if p.load.server != nil {
		w, _, _ := p.load.server.peaks()
		*p.peak = max(*p.peak, w)
	}
	return r, err
}

func mb(kB int64) string { return fmt.Sprintf("%.0f MB", float64(kB)/1024) }
