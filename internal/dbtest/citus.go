package dbtest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/tandemhq/tandem/internal/pgcluster"
)

// CitusWorkersVar names the workers' superuser URLs, space-separated, when
// TEST_DATABASE_URL is the coordinator of a Citus cluster (withpg -citus).
// Every database is then created and dropped on every node alike.
const CitusWorkersVar = "TEST_CITUS_WORKER_URLS"

// CitusWorkerURLs are the workers of the run's Citus cluster; none on a
// single PostgreSQL.
func CitusWorkerURLs() []string {
	return strings.Fields(os.Getenv(CitusWorkersVar))
}

// StartCitusCluster starts a throwaway, non-durable coordinator and two
// workers, with the template database created on each and Citus enabled in
// it, not yet migrated (PrepareTemplate does that). stop shuts them down
// and removes their directory.
func StartCitusCluster(ctx context.Context) (coordinator string, workers []string, stop func() error, err error) {
	dir, err := os.MkdirTemp("", "tandem-citus-")
	if err != nil {
		return "", nil, nil, fmt.Errorf("dbtest: %w", err)
	}
	cc, err := pgcluster.StartCitus(ctx, dir, 2, true)
	if err != nil {
		os.RemoveAll(dir)
		return "", nil, nil, err
	}
	stop = func() error { return errors.Join(cc.Stop(), os.RemoveAll(dir)) }
	if err := cc.CreateDatabase(ctx, Template, ""); err != nil {
		return "", nil, nil, errors.Join(err, stop())
	}
	if err := cc.EnableCitus(ctx, Template); err != nil {
		return "", nil, nil, errors.Join(err, stop())
	}
	for _, w := range cc.Workers {
		workers = append(workers, w.URL("postgres"))
	}
	return cc.Coordinator.URL("postgres"), workers, stop, nil
}

// onWorkers runs fn, as the superuser in the maintenance database, on
// every worker of the run's Citus cluster (none on a single PostgreSQL).
func onWorkers(ctx context.Context, fn func(*pgx.Conn) error) error {
	for _, url := range CitusWorkerURLs() {
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			return wrap("connect to worker "+redact(url), err)
		}
		err = fn(conn)
		conn.Close(context.Background())
		if err != nil {
			return wrap("on worker "+redact(url), err)
		}
	}
	return nil
}

// cloneTemplate creates database name from the template.
func cloneTemplate(ctx context.Context, conn *pgx.Conn, name string) error {
	create := "CREATE DATABASE " + pgx.Identifier{name}.Sanitize() + " TEMPLATE " + pgx.Identifier{Template}.Sanitize()
	return wrap("create database "+name, whileAlone(ctx, conn, Template, create))
}

// dropDatabase drops database name.
func dropDatabase(ctx context.Context, conn *pgx.Conn, name string) error {
	drop := "DROP DATABASE IF EXISTS " + pgx.Identifier{name}.Sanitize() + " WITH (FORCE)"
	return wrap("drop database "+name, whileAlone(ctx, conn, name, drop))
}

// whileAlone runs sql, which needs database db to have no session. On a
// Citus node a database has a session nobody asked for: Citus's maintenance
// daemon, which neither WITH (FORCE) nor anything else keeps away for long
// (PostgreSQL restarts it some seconds after it is ended). It is ended just
// before each try.
func whileAlone(ctx context.Context, conn *pgx.Conn, db, sql string) error {
	if len(CitusWorkerURLs()) == 0 {
		_, err := conn.Exec(ctx, sql)
		return err
	}
	var err error
	for range 20 {
		_, err = conn.Exec(ctx, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", db)
		if err != nil {
			return fmt.Errorf("end the sessions of %s: %w", db, err)
		}
		_, err = conn.Exec(ctx, sql)
		var pgErr *pgconn.PgError
		// 55006: the database is being accessed by other users.
		if !errors.As(err, &pgErr) || pgErr.Code != "55006" {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	return err
}

// citusRoles are the roles Citus may reach a worker as: it connects as the
// current user, which is the restricted role, River's role, or the owner of
// a SECURITY DEFINER function whose query leaves the node (docs/scale.md,
// "Roles on a cluster").
var citusRoles = []string{AppRole, "tandem_definer", "tandem_referee", "tandem_eraser", "tandem_purger", "tandem_jobs"}

// citusLogins gives each of citusRoles a test login (its name as its
// password) on every node, and tells Citus the password, in the template
// of every node. Nothing on a single PostgreSQL.
func citusLogins(ctx context.Context, adminURL string) error {
	if len(CitusWorkerURLs()) == 0 {
		return nil
	}
	logins := map[string]string{}
	for _, role := range citusRoles {
		logins[role] = role
	}
	return pgcluster.GrantCitusLogins(ctx, append([]string{adminURL}, CitusWorkerURLs()...), Template, logins)
}
