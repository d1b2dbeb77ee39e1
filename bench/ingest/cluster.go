package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/tandemhq/tandem/bench/reference"
	"github.com/tandemhq/tandem/internal/database"
	"github.com/tandemhq/tandem/internal/pgcluster"
	"github.com/tandemhq/tandem/models"
)

// The cluster's two databases and the passwords the benchmark gives the
// restricted roles, which log in over TCP on 127.0.0.1 (SCRAM).
const (
	tandemDB    = "tandem_bench"
	referenceDB = "reference"
	password    = "bench"
)

// bench is the throwaway cluster with Tandem migrated in one database and
// the reference schema in another.
type bench struct {
	cluster *pgcluster.Cluster
	owner   *sql.DB // the superuser on tandemDB, who owns the schema (migrated it)
	appURL  string  // tandem_app on tandemDB over TCP, with its password
	refURL  string  // ref_app on referenceDB over TCP, without the password (pgbench reads PGPASSWORD)
	binDir  string  // the PostgreSQL binaries: pgbench, psql
	dir     string
	stop    func() error // stops the cluster: the one node, or every node of a Citus cluster
	// workerDirs are a Citus cluster's workers' data directories (none on
	// one node), whose PostgreSQL CPU counts too.
	workerDirs []string
}

// startBench starts a cluster in a temporary directory with the server's
// durable defaults, then turns fsync (and full_page_writes) off unless
// durable: synchronous_commit stays on, so every commit still waits for its
// WAL write, on both sides alike. It migrates Tandem and sets up the
// reference.
func startBench(ctx context.Context, durable bool) (_ *bench, err error) {
	binDir, err := pgcluster.FindBinDir()
	if err != nil {
		return nil, err
	}
	// Not under a 0700 parent: as root the cluster runs as the postgres
	// user, who must reach the directory.
	dir, err := os.MkdirTemp("", "tandem-bench-pg-")
	if err != nil {
		return nil, err
	}
	c, err := pgcluster.Start(ctx, pgcluster.Options{Dir: dir})
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	b := &bench{cluster: c, binDir: binDir, dir: dir, stop: c.Stop}
	defer func() {
		if err != nil {
			err = errors.Join(err, b.close())
		}
	}()
	if !durable {
		if err := fsyncOff(ctx, c); err != nil {
			return nil, err
		}
	}
	if err := c.CreateDatabase(ctx, tandemDB, ""); err != nil {
		return nil, err
	}
	if err := c.CreateDatabase(ctx, referenceDB, ""); err != nil {
		return nil, err
	}
	if b.owner, err = database.OpenSQL(c.URL(tandemDB)); err != nil {
		return nil, err
	}
	if err := models.Migrate(ctx, b.owner); err != nil {
		return nil, err
	}
	// Literals: ALTER ROLE takes no parameters, and the password is ours.
	if _, err := b.owner.ExecContext(ctx, "ALTER ROLE tandem_app LOGIN PASSWORD '"+password+"'"); err != nil {
		return nil, fmt.Errorf("give tandem_app a login: %w", err)
	}
	b.appURL = c.TCPURL("tandem_app", password, tandemDB)
	if err := b.setUpReference(ctx); err != nil {
		return nil, err
	}
	return b, nil
}

// fsyncOff turns fsync and full_page_writes off on c (both take a reload)
// and waits until new sessions see it.
func fsyncOff(ctx context.Context, c *pgcluster.Cluster) error {
	db, err := database.OpenSQL(c.URL("postgres"))
	if err != nil {
		return err
	}
	defer db.Close()
	for _, s := range []string{"ALTER SYSTEM SET fsync = off", "ALTER SYSTEM SET full_page_writes = off", "SELECT pg_reload_conf()"} {
		if _, err := db.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("%s: %w", s, err)
		}
	}
	db.SetMaxIdleConns(0) // a new session each time: the reload reaches it
	for range 50 {
		var fsync string
		if err := db.QueryRowContext(ctx, "SHOW fsync").Scan(&fsync); err != nil {
			return err
		}
		if fsync == "off" {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return errors.New("fsync still on 5 s after pg_reload_conf()")
}

// setUpReference runs reference-schema.sql with psql as the superuser in
// the reference database, as its README says, then gives ref_app a
// password so that it logs in over TCP as tandem_app does.
func (b *bench) setUpReference(ctx context.Context) error {
	schema := filepath.Join(b.dir, "reference-schema.sql")
	if err := os.WriteFile(schema, []byte(reference.Schema), 0o644); err != nil {
		return err
	}
	out, err := exec.CommandContext(ctx, filepath.Join(b.binDir, "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1",
		"-d", b.cluster.URL(referenceDB), "-f", schema).CombinedOutput()
	if err != nil {
		return fmt.Errorf("psql -f reference-schema.sql: %w\n%s", err, out)
	}
	ref, err := database.OpenSQL(b.cluster.URL(referenceDB))
	if err != nil {
		return err
	}
	defer ref.Close()
	if _, err := ref.ExecContext(ctx, "ALTER ROLE ref_app PASSWORD '"+password+"'"); err != nil {
		return fmt.Errorf("give ref_app a password: %w", err)
	}
	u := b.cluster.TCPURL("ref_app", password, referenceDB)
	b.refURL = withoutPassword(u)
	return nil
}

// vacuum runs VACUUM ANALYZE in both databases, so that neither side plans
// on missing statistics or reads pages autovacuum would have set visible.
func (b *bench) vacuum(ctx context.Context) error {
	return errors.Join(b.vacuumDB(ctx, tandemDB), b.vacuumDB(ctx, referenceDB))
}

// vacuumDB runs VACUUM ANALYZE in database name, as its owner.
func (b *bench) vacuumDB(ctx context.Context, name string) error {
	db := b.owner
	if name != tandemDB {
		var err error
		if db, err = database.OpenSQL(b.cluster.URL(name)); err != nil {
			return err
		}
		defer db.Close()
	}
	if _, err := db.ExecContext(ctx, "VACUUM ANALYZE"); err != nil {
		return fmt.Errorf("vacuum %s: %w", name, err)
	}
	return nil
}

// settle readies the cluster for a measurement of database measured: it
// vacuums the other database, so that no measurement pays for what the one
// before wrote there (autovacuum gets to a database about every 20 s here,
// and in one profile of figure 4's window, right after the reference batch
// had written 800,000 events, vacuum and analyze were a seventh of
// PostgreSQL's time), then flushes dirty buffers. The measured database is
// left to autovacuum, as in production: vacuuming it by hand would make
// the server plan its statements again.
func (b *bench) settle(ctx context.Context, measured string) error {
	other := referenceDB
	if measured == referenceDB {
		other = tandemDB
	}
	if err := b.vacuumDB(ctx, other); err != nil {
		return err
	}
	_, err := b.owner.ExecContext(ctx, "CHECKPOINT")
	return err
}

// settings names the server and the settings that move the numbers.
func (b *bench) settings(ctx context.Context) (string, error) {
	var version, fsync, syncCommit, fpw, buffers string
	err := b.owner.QueryRowContext(ctx, `SELECT current_setting('server_version'), current_setting('fsync'),
		current_setting('synchronous_commit'), current_setting('full_page_writes'), current_setting('shared_buffers')`).
		Scan(&version, &fsync, &syncCommit, &fpw, &buffers)
	if err != nil {
		return "", fmt.Errorf("read server settings: %w", err)
	}
	return fmt.Sprintf("PostgreSQL %s on 127.0.0.1:%d: fsync=%s synchronous_commit=%s full_page_writes=%s shared_buffers=%s",
		version, b.cluster.Port, fsync, syncCommit, fpw, buffers), nil
}

// close stops the cluster and removes it.
func (b *bench) close() error {
	var err error
	if b.owner != nil {
		err = b.owner.Close()
	}
	return errors.Join(err, b.stop(), os.RemoveAll(b.dir))
}
