package ingestbench

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/tandemhq/tandem/internal/database"
	"github.com/tandemhq/tandem/internal/pgcluster"
	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

// AppPassword is the login the benchmarks give tandem_app.
const AppPassword = "bench"

// Database is the benchmark's database, migrated, with tandem_app able to
// log in.
type Database struct {
	Owner      *sql.DB  // the schema owner (or a superuser): CHECKPOINT, statistics
	App        *gorm.DB // models' pool as tandem_app, as serve opens APP_DATABASE_URL (see Open)
	AppURL     string   // tandem_app's URL, with its password
	PgbenchURL string   // tandem_app's URL without the password (pgbench reads PGPASSWORD)
	Where      string   // what and where it is, for the report

	stop       func() error // stops and removes a throwaway cluster
	postmaster int          // the postmaster's pid when it runs on this machine, else 0
}

// Open returns DATABASE_URL's database or a throwaway cluster's
// (internal/pgcluster, durable unless cfg.Fast), migrated as its owner, with
// tandem_app given the login password AppPassword. Close undoes what Open
// started.
//
// Models' pool (App) is serve's (internal/database). Only when a side
// runs more clients than that pool holds does it grow to one connection per
// client: the engine stands beside pgbench, whose clients each have a
// connection, and must not queue for one.
//
// Without DATABASE_URL the cluster lives in a temporary directory that
// Close removes. With it (a superuser or the schema owner), the database is
// migrated and keeps the benchmark's tenants.
func Open(ctx context.Context, cfg Config) (*Database, error) {
	d := &Database{stop: func() error { return nil }}
	ownerURL := os.Getenv("DATABASE_URL")
	if ownerURL != "" {
		d.Where = "DATABASE_URL (" + redact(ownerURL) + ")"
	} else {
		// Not under a 0700 parent: as root the cluster runs as the postgres
		// user, who must reach the directory.
		dir, err := os.MkdirTemp("", "tandem-bench-pg-")
		if err != nil {
			return nil, err
		}
		c, err := pgcluster.Start(ctx, pgcluster.Options{Dir: dir, Fast: cfg.Fast})
		if err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
		d.stop = func() error { return errors.Join(c.Stop(), os.RemoveAll(dir)) }
		if err := c.CreateDatabase(ctx, "tandem_bench", ""); err != nil {
			return nil, errors.Join(err, d.stop())
		}
		d.Where = fmt.Sprintf("throwaway cluster (internal/pgcluster) in %s on 127.0.0.1:%d", dir, c.Port)
		ownerURL = c.URL("tandem_bench")
	}
	var pool []database.Option
	if n := max(cfg.Clients, cfg.BatchClients); n > database.MaxConns {
		pool = append(pool, database.WithMaxConns(n))
	}
	if err := d.connect(ctx, ownerURL, pool); err != nil {
		return nil, errors.Join(err, d.Close())
	}
	return d, nil
}

// connect migrates the database as its owner, lets tandem_app log in, and
// opens the owner's handle and models' pool.
func (d *Database) connect(ctx context.Context, ownerURL string, pool []database.Option) error {
	var err error
	if d.AppURL, err = withUser(ownerURL, url.UserPassword(tenants.AppRole, AppPassword)); err != nil {
		return err
	}
	d.PgbenchURL, _ = withUser(ownerURL, url.User(tenants.AppRole))
	if d.Owner, err = database.OpenSQL(ownerURL); err != nil {
		return err
	}
	if err := models.Migrate(ctx, d.Owner); err != nil {
		return err
	}
	// A literal: ALTER ROLE takes no parameters, and the password is ours.
	if _, err := d.Owner.ExecContext(ctx, "ALTER ROLE tandem_app LOGIN PASSWORD '"+AppPassword+"'"); err != nil {
		return fmt.Errorf("give tandem_app a login: %w", err)
	}
	if d.App, err = database.Open(d.AppURL, pool...); err != nil {
		return fmt.Errorf("open engine pool: %w", err)
	}
	d.postmaster = d.findPostmaster(ctx)
	return nil
}

// findPostmaster returns the pid of the postmaster when the server runs on
// this machine: the parent of our backend, if it is a postgres process.
func (d *Database) findPostmaster(ctx context.Context) int {
	var backend int
	if err := d.Owner.QueryRowContext(ctx, "SELECT pg_backend_pid()").Scan(&backend); err != nil {
		return 0
	}
	ppid, _, _, ok := procStat(backend)
	if !ok || ppid <= 1 {
		return 0 // not our machine (or another pid namespace)
	}
	comm, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", ppid))
	if err != nil || !strings.HasPrefix(string(comm), "postgres") {
		return 0
	}
	return ppid
}

// PostgresCPU is the CPU time the whole PostgreSQL server has used so far
// (postmaster, backends, background processes), or 0 when it does not run
// on this machine.
func (d *Database) PostgresCPU() time.Duration {
	if d.postmaster == 0 {
		return 0
	}
	return treeCPU(d.postmaster)
}

// Close closes the handles and stops a throwaway cluster.
func (d *Database) Close() error {
	database.Close(d.App)
	if d.Owner != nil {
		d.Owner.Close()
	}
	return d.stop()
}

// Settings names the server and the settings that move the numbers.
func (d *Database) Settings(ctx context.Context) (string, error) {
	var version, fsync, syncCommit, fpw, buffers, walBuffers string
	err := d.Owner.QueryRowContext(ctx, `SELECT current_setting('server_version'), current_setting('fsync'),
		current_setting('synchronous_commit'), current_setting('full_page_writes'),
		current_setting('shared_buffers'), current_setting('wal_buffers')`).
		Scan(&version, &fsync, &syncCommit, &fpw, &buffers, &walBuffers)
	if err != nil {
		return "", fmt.Errorf("read server settings: %w", err)
	}
	return fmt.Sprintf("PostgreSQL %s: fsync=%s synchronous_commit=%s full_page_writes=%s shared_buffers=%s wal_buffers=%s (same for every side)",
		version, fsync, syncCommit, fpw, buffers, walBuffers), nil
}

// sessions is how many sessions the database has had since its statistics
// began (pg_stat_database.sessions), or -1 where it cannot tell.
func (d *Database) sessions(ctx context.Context) int64 {
	var n int64
	err := d.Owner.QueryRowContext(ctx, `SELECT sessions FROM pg_stat_database WHERE datname = current_database()`).Scan(&n)
	if err != nil {
		return -1
	}
	return n
}

// PrintHeader prints the title and what the numbers depend on: the
// machine, the database and its settings, the load at the start.
func (d *Database) PrintHeader(ctx context.Context, out io.Writer, title string) error {
	settings, err := d.Settings(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(out, title)
	fmt.Fprintf(out, "machine   %d CPUs (nproc), %s/%s, %s\n", runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version())
	fmt.Fprintf(out, "database  %s\n", d.Where)
	fmt.Fprintf(out, "server    %s\n", settings)
	fmt.Fprintf(out, "load      %s at the start (load average)\n", LoadAverage())
	return nil
}

// WithProfile runs fn under the CPU profiler when path is set.
func WithProfile(path string, fn func() error) error {
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

// LoadAverage is /proc/loadavg's first three fields, or "unknown".
func LoadAverage() string {
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

// RandomHex returns n random bytes in hex: a run's id.
func RandomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
