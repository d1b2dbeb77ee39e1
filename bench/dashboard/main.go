// Command dashboard measures the marketers' dashboard on a large campaign
// (the goal: dashboard pages < 100 ms server time for a campaign with
// 1,000,000 invitations and 5,000,000 events).
//
//	make bench-dashboard                 # go run ./bench/dashboard
//	go run ./bench/dashboard -h          # sizes, runs
//
// It creates a tenant (tenants.Create) and a published campaign through the
// engine (3 quest steps, 3 host milestones paying USD, then EUR, then
// raffle tickets, repeated; a USD guest reward), then generates the bulk of
// the data with set-based SQL (generate.go): participants, invitations
// spread over -days days with their claims, progress, completions and
// completion numbers, the events that progress is derived from plus noise,
// the reward tokens the completions earned (some redeemed or voided), the
// host counters, and the dashboard's rollups. Then VACUUM ANALYZE, and:
//
//   - models.LoadDashboard, what the dashboard page calls, as a whole in
//     its own tenant transaction, median and p95 (models/dashboard_queries.go
//     holds its named queries, to EXPLAIN by hand; models' dashboard_test.go
//     checks the rollups against the base tables);
//   - the page itself: GET /dashboard?campaign=bench through the Fiber app
//     in process (app.Test), signed in as the tenant's owner, median and p95
//     of -runs requests. That is the server's whole time: session load,
//     tenant transaction, member check, queries, rendering.
//
// Without DATABASE_URL it starts a throwaway cluster (internal/pgcluster)
// in a temporary directory and removes it at the end. With DATABASE_URL, it
// must connect as a superuser (the bulk load sets session_replication_role)
// and leaves the tenant "Dashboard bench <run>" behind. Slow numbers never
// fail the command; errors do.
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
	"strings"
	"syscall"
	"time"

	"gorm.io/gorm"

	"github.com/tandemhq/tandem/internal/database"
	"github.com/tandemhq/tandem/internal/pgcluster"
	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

// appPassword is the login the benchmark gives tandem_app.
const appPassword = "bench"

type config struct {
	invitations int
	events      int
	hosts       int
	days        int
	runs        int
	fast        bool
}

func main() {
	var cfg config
	flag.IntVar(&cfg.invitations, "invitations", 1_000_000, "invitations in the campaign")
	flag.IntVar(&cfg.events, "events", 5_000_000, "events of the campaign's participants")
	flag.IntVar(&cfg.hosts, "hosts", 100_000, "hosts (skewed: a few invite a lot)")
	flag.IntVar(&cfg.days, "days", 90, "days the invitations are spread over, up to today")
	flag.IntVar(&cfg.runs, "runs", 50, "measured runs of the dashboard and of the page")
	flag.BoolVar(&cfg.fast, "fast", false, "throwaway cluster without durability (fsync=off); ignored with DATABASE_URL")
	flag.Parse()
	if cfg.invitations < 1000 || cfg.hosts < 10 || cfg.days < 1 || cfg.runs < 1 || cfg.events < 2*cfg.invitations {
		fmt.Fprintln(os.Stderr, "bench/dashboard: -invitations ≥ 1000, -hosts ≥ 10, -days ≥ 1, -runs ≥ 1, -events ≥ 2 × invitations")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, cfg, os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench/dashboard:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, cfg config, out io.Writer) (err error) {
	start := time.Now()
	ownerURL, where, closeDB, err := openDatabase(ctx, cfg.fast)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, closeDB()) }()
	owner, db, err := connect(ctx, ownerURL)
	if err != nil {
		return err
	}
	defer func() {
		database.Close(db)
		owner.Close()
	}()
	var version string
	if err := owner.QueryRowContext(ctx, `SELECT current_setting('server_version')`).Scan(&version); err != nil {
		return err
	}
	fmt.Fprintln(out, "bench/dashboard: the marketers' dashboard on one large campaign")
	fmt.Fprintf(out, "machine   %d CPUs (nproc), %s/%s, %s\n", runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version())
	fmt.Fprintf(out, "database  %s, PostgreSQL %s\n", where, version)
	fmt.Fprintf(out, "load      %s at the start (load average; other work on the machine slows every figure)\n", loadAverage())

	runID := randomHex(4)
	f, err := setUp(ctx, db, runID)
	if err != nil {
		return err
	}
	loadStart := time.Now()
	steps, err := generate(ctx, owner, f, cfg)
	if err != nil {
		return err
	}
	for _, s := range steps {
		fmt.Fprintf(out, "  load    %-44s %7.1f s\n", s.name, s.took.Seconds())
	}
	fmt.Fprintf(out, "loaded    in %.0f s\n", time.Since(loadStart).Seconds())
	sizes, err := countRows(ctx, owner, f)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "data      %s\n\n", sizes)

	m := &measurer{cfg: cfg, db: db, f: f, out: out}
	if err := m.all(ctx); err != nil {
		return err
	}
	fmt.Fprintf(out, "\nload      %s at the end (load average)\n", loadAverage())
	fmt.Fprintf(out, "total %.0f s\n", time.Since(start).Seconds())
	return nil
}

// connect migrates the database as its owner, lets tandem_app log in, and
// opens the owner's handle and the application's pool as tandem_app, as
// serve opens it.
func connect(ctx context.Context, ownerURL string) (*sql.DB, *gorm.DB, error) {
	u, err := url.Parse(ownerURL)
	if err != nil {
		return nil, nil, err
	}
	owner, err := database.OpenSQL(ownerURL)
	if err != nil {
		return nil, nil, err
	}
	var super bool
	if err := owner.QueryRowContext(ctx, `SELECT rolsuper FROM pg_roles WHERE rolname = current_user`).Scan(&super); err != nil || !super {
		owner.Close()
		return nil, nil, errors.Join(errors.New("the bulk load needs a superuser (session_replication_role)"), err)
	}
	if err := models.Migrate(ctx, owner); err != nil {
		owner.Close()
		return nil, nil, err
	}
	// A literal: ALTER ROLE takes no parameters, and the password is ours.
	if _, err := owner.ExecContext(ctx, "ALTER ROLE tandem_app LOGIN PASSWORD '"+appPassword+"'"); err != nil {
		owner.Close()
		return nil, nil, fmt.Errorf("give tandem_app a login: %w", err)
	}
	u.User = url.UserPassword(tenants.AppRole, appPassword)
	db, err := database.Open(u.String())
	if err != nil {
		owner.Close()
		return nil, nil, fmt.Errorf("open app pool: %w", err)
	}
	return owner, db, nil
}

// openDatabase returns the owner URL of DATABASE_URL or of a throwaway
// cluster, a description of it, and what to call when done.
func openDatabase(ctx context.Context, fast bool) (ownerURL, where string, closeFn func() error, err error) {
	if u := os.Getenv("DATABASE_URL"); u != "" {
		parsed, err := url.Parse(u)
		if err != nil {
			return "", "", nil, errors.New("DATABASE_URL must be a postgres:// URL")
		}
		return u, "DATABASE_URL (" + parsed.Redacted() + ")", func() error { return nil }, nil
	}
	// Not under a 0700 parent: as root the cluster runs as the postgres
	// user, who must reach the directory.
	dir, err := os.MkdirTemp("", "tandem-bench-dashboard-")
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
	where = fmt.Sprintf("throwaway cluster (internal/pgcluster, fast=%v) in %s", fast, dir)
	return c.URL("tandem_bench"), where, stop, nil
}

// loadAverage is /proc/loadavg's first three fields, or "unknown".
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "unknown"
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
