// Command ingest measures event ingestion through the engine and prints it
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
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/tandemhq/tandem/internal/pgcluster"
	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

// appPassword is the login the benchmark gives tandem_app.
const appPassword = "bench"

type config struct {
	clients      int
	events       int
	batchClients int
	batchEvents  int
	batchSize    int
	guests       int
	perHost      int
	rounds       int
	maxRun       time.Duration
	fast         bool
	cpuProfile   string
}

func main() {
	var cfg config
	flag.IntVar(&cfg.clients, "clients", 8, "concurrent clients for single events")
	flag.IntVar(&cfg.events, "events", 20_000, "single events per side")
	flag.IntVar(&cfg.batchClients, "batch-clients", 2, "concurrent clients for batches")
	flag.IntVar(&cfg.batchEvents, "batch-events", 200_000, "batched events per side")
	flag.IntVar(&cfg.batchSize, "batch-size", models.MaxBatchEvents, "events per batch")
	flag.IntVar(&cfg.guests, "guests", 2000, "claimed invitations (guests) per run")
	flag.IntVar(&cfg.perHost, "per-host", 5, "invitations per host")
	flag.IntVar(&cfg.rounds, "rounds", 4, "slices each side's work is cut into, the sides taking turns")
	flag.DurationVar(&cfg.maxRun, "max-run", 90*time.Second, "time cap of each side of each run, all rounds")
	flag.BoolVar(&cfg.fast, "fast", false, "throwaway cluster without durability (fsync=off); ignored with DATABASE_URL")
	flag.StringVar(&cfg.cpuProfile, "cpuprofile", "", "write the engine's CPU profile (all of this process) to `file`")
	flag.Parse()
	if err := cfg.check(); err != nil {
		fmt.Fprintln(os.Stderr, "bench/ingest:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := withProfile(cfg.cpuProfile, func() error { return run(ctx, cfg, os.Stdout) })
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench/ingest:", err)
		os.Exit(1)
	}
}

func (c config) check() error {
	switch {
	case c.clients < 1 || c.batchClients < 1:
		return errors.New("-clients and -batch-clients must be at least 1")
	case c.rounds < 1:
		return errors.New("-rounds must be at least 1")
	case c.events < c.clients*c.rounds || c.batchEvents < c.batchSize*c.batchClients*c.rounds:
		return errors.New("-events and -batch-events must give every client at least one transaction per round")
	case c.batchSize < 2 || c.batchSize > models.MaxBatchEvents:
		return fmt.Errorf("-batch-size must be between 2 and %d", models.MaxBatchEvents)
	case c.perHost < 1 || c.guests < c.perHost || c.guests%c.perHost != 0:
		return errors.New("-guests must be a multiple of -per-host")
	case c.guests%7 == 0:
		return errors.New("-guests must not be a multiple of 7 (batches stride through the guests by 7)")
	}
	return nil
}

func run(ctx context.Context, cfg config, out io.Writer) (err error) {
	pgbench, err := findPgbench()
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "tandem-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	ownerURL, where, closeDB, err := openDatabase(ctx, cfg.fast)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, closeDB()) }()
	owner, db, pgbenchURL, err := connect(ctx, ownerURL)
	if err != nil {
		return err
	}
	defer func() {
		if sqlDB, err := db.DB(); err == nil {
			sqlDB.Close()
		}
		owner.Close()
	}()
	settings, err := serverSettings(ctx, owner)
	if err != nil {
		return err
	}
	fmt.Fprintln(out, "bench/ingest: event ingestion through the engine beside pgbench — same SQL, same cluster, same run")
	fmt.Fprintf(out, "machine   %d CPUs (nproc), %s/%s, %s\n", runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version())
	fmt.Fprintf(out, "database  %s\n", where)
	fmt.Fprintf(out, "server    %s\n", settings)
	fmt.Fprintf(out, "load      %s at the start (load average)\n", loadAverage())

	start := time.Now()
	runID := randomHex(4)
	tenantID, err := setUp(ctx, db, runID)
	if err != nil {
		return err
	}
	cohorts := map[string]cohort{}
	var all []cohort
	for _, p := range []string{"sp", "se", "bp", "be"} {
		cohorts[p] = cohort{prefix: p, guests: cfg.guests, perHost: cfg.perHost}
		all = append(all, cohorts[p])
	}
	if err := addCohorts(ctx, db, tenantID, all, max(2, runtime.NumCPU())); err != nil {
		return err
	}
	if _, err := owner.ExecContext(ctx, "VACUUM ANALYZE"); err != nil {
		return fmt.Errorf("vacuum: %w", err)
	}
	fmt.Fprintf(out, "fixture   tenant %s; campaign %q: quest %v, guest reward, 3 host milestones;\n", tenantID, campaignSlug, questSteps)
	fmt.Fprintf(out, "          4 cohorts × %d claimed invitations (%d hosts × %d), built in %.1f s\n\n",
		cfg.guests, cfg.guests/cfg.perHost, cfg.perHost, time.Since(start).Seconds())

	b := &bench{owner: owner, db: db, tenantID: tenantID, runID: runID, pgbench: pgbench, dir: dir,
		pgbenchURL: pgbenchURL, rounds: cfg.rounds, maxRun: cfg.maxRun, out: out, checkpointed: true}
	var rows []row
	for _, p := range []pair{
		{"single", cfg.clients, 1, cfg.events, cohorts["sp"], cohorts["se"]},
		{"batch", cfg.batchClients, cfg.batchSize, cfg.batchEvents / cfg.batchSize, cohorts["bp"], cohorts["be"]},
	} {
		r, err := b.runPair(ctx, p)
		if err != nil {
			return err
		}
		rows = append(rows, r...)
	}
	fmt.Fprintf(out, "load      %s at the end: other work on the machine slows both sides\n\n", loadAverage())
	printReport(out, rows, b.checkpointed)
	fmt.Fprintf(out, "total %.0f s\n", time.Since(start).Seconds())
	return nil
}

// connect migrates the database as its owner, lets tandem_app log in, and
// opens the owner's handle, the engine's pool as tandem_app, and the URL
// pgbench uses (tandem_app, password from PGPASSWORD).
func connect(ctx context.Context, ownerURL string) (owner *sql.DB, db *gorm.DB, pgbenchURL string, err error) {
	appURL, err := withUser(ownerURL, url.UserPassword(tenants.AppRole, appPassword))
	if err != nil {
		return nil, nil, "", err
	}
	pgbenchURL, _ = withUser(ownerURL, url.User(tenants.AppRole))
	if owner, err = sql.Open("pgx", ownerURL); err != nil {
		return nil, nil, "", err
	}
	if err := models.Migrate(ctx, owner); err != nil {
		owner.Close()
		return nil, nil, "", err
	}
	// A literal: ALTER ROLE takes no parameters, and the password is ours.
	if _, err := owner.ExecContext(ctx, "ALTER ROLE tandem_app LOGIN PASSWORD '"+appPassword+"'"); err != nil {
		owner.Close()
		return nil, nil, "", fmt.Errorf("give tandem_app a login: %w", err)
	}
	db, err = gorm.Open(postgres.Open(appURL), &gorm.Config{Logger: logger.Default.LogMode(logger.Silent)})
	if err != nil {
		owner.Close()
		return nil, nil, "", fmt.Errorf("open engine pool: %w", err)
	}
	return owner, db, pgbenchURL, nil
}

// openDatabase returns the owner URL of DATABASE_URL or of a throwaway
// cluster, a description of it, and what to call when done.
func openDatabase(ctx context.Context, fast bool) (ownerURL, where string, closeFn func() error, err error) {
	if u := os.Getenv("DATABASE_URL"); u != "" {
		return u, "DATABASE_URL (" + redact(u) + ")", func() error { return nil }, nil
	}
	// Not under a 0700 parent: as root the cluster runs as the postgres
	// user, who must reach the directory.
	dir, err := os.MkdirTemp("", "tandem-bench-pg-")
	if err != nil {
		return "", "", nil, err
	}
	c, err := pgcluster.Start(ctx, pgcluster.Options{Dir: dir, Fast: fast})
	if err != nil {
		os.RemoveAll(dir)
		return "", "", nil, err
	}
	stop := func() error { return errors.Join(c.Stop(), os.RemoveAll(dir)) }
	if err := c.CreateDatabase(ctx, "tandem_bench", ""); err != nil {
		return "", "", nil, errors.Join(err, stop())
	}
	where = fmt.Sprintf("throwaway cluster (internal/pgcluster) in %s on 127.0.0.1:%d", dir, c.Port)
	return c.URL("tandem_bench"), where, stop, nil
}

// serverSettings names the server and the settings that move the numbers.
func serverSettings(ctx context.Context, db *sql.DB) (string, error) {
	var version, fsync, syncCommit, fpw, buffers, walBuffers string
	err := db.QueryRowContext(ctx, `SELECT current_setting('server_version'), current_setting('fsync'),
		current_setting('synchronous_commit'), current_setting('full_page_writes'),
		current_setting('shared_buffers'), current_setting('wal_buffers')`).
		Scan(&version, &fsync, &syncCommit, &fpw, &buffers, &walBuffers)
	if err != nil {
		return "", fmt.Errorf("read server settings: %w", err)
	}
	return fmt.Sprintf("PostgreSQL %s: fsync=%s synchronous_commit=%s full_page_writes=%s shared_buffers=%s wal_buffers=%s (same for both sides)",
		version, fsync, syncCommit, fpw, buffers, walBuffers), nil
}

// withProfile runs fn under the CPU profiler when path is set.
func withProfile(path string, fn func() error) error {
	if path == "" {
		return fn()
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return err
	}
	err = fn()
	pprof.StopCPUProfile()
	return errors.Join(err, f.Close())
}

// loadAverage is /proc/loadavg's first three fields, or "unknown".
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "unknown"
}

func withUser(base string, user *url.Userinfo) (string, error) {
	u, err := url.Parse(base)
	if err != nil || u.Scheme == "" {
		return "", errors.New("DATABASE_URL must be a postgres:// URL")
	}
	u.User = user
	return u.String(), nil
}

func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "unparsable URL"
	}
	return u.Redacted()
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
