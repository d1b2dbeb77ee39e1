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

// onWorkers runs sql, as the superuser in the maintenance database, on
// every worker of the run's Citus cluster (none on a single PostgreSQL).
func onWorkers(ctx context.Context, sql string) error {
	for _, url := range CitusWorkerURLs() {
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			return wrap("connect to worker "+redact(url), err)
		}
		_, err = conn.Exec(ctx, sql)
		conn.Close(context.Background())
		if err != nil {
			return wrap("on worker "+redact(url), err)
		}
	}
	return nil
}

// cloneOnWorkers creates database name from the template on every worker,
// before the coordinator does, so that the coordinator's copy of the Citus
// metadata never names a database a worker lacks.
func cloneOnWorkers(ctx context.Context, name string) error {
	for _, url := range CitusWorkerURLs() {
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			return wrap("connect to worker "+redact(url), err)
		}
		err = cloneTemplate(ctx, conn, name)
		conn.Close(context.Background())
		if err != nil {
			return wrap("on worker "+redact(url), err)
		}
	}
	return nil
}

// cloneTemplate creates database name from the template. On a Citus node
// the template has a session nobody asked for: Citus's maintenance daemon,
// which PostgreSQL restarts some seconds after it is ended. It is ended
// just before each try; the advisory lock of withLock keeps everyone else
// out.
func cloneTemplate(ctx context.Context, conn *pgx.Conn, name string) error {
	create := "CREATE DATABASE " + pgx.Identifier{name}.Sanitize() + " TEMPLATE " + pgx.Identifier{Template}.Sanitize()
	if len(CitusWorkerURLs()) == 0 {
		_, err := conn.Exec(ctx, create)
		return wrap("create database "+name, err)
	}
	var err error
	for range 20 {
		_, err = conn.Exec(ctx, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", Template)
		if err != nil {
			return wrap("end the template's sessions", err)
		}
		_, err = conn.Exec(ctx, create)
		var pgErr *pgconn.PgError
		// 55006: the source database is being accessed by other users.
		if !errors.As(err, &pgErr) || pgErr.Code != "55006" {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	return wrap("create database "+name, err)
}
