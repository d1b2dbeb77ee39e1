// Package dbtest gives each package's tests a database of its own on a real
// PostgreSQL, cloned in milliseconds from a template migrated once.
//
// Use it from TestMain:
//
//	var env *dbtest.Env
//
//	func TestMain(m *testing.M) { dbtest.Main(m, "web", &env) }
//
// `make test` runs `go test` under withpg, which starts one throwaway cluster
// for the whole run and exports TEST_DATABASE_URL. Without that variable,
// Setup starts a cluster of its own, so a plain `go test ./web` works too.
package dbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"

	"github.com/tandemhq/tandem/internal/database"
	"github.com/tandemhq/tandem/migrations"
	"github.com/tandemhq/tandem/models"
)

const (
	// Template is the migrated database every package database is cloned from.
	Template = "tandem_template"
	// AppRole and AppPassword are the restricted role's test login.
	AppRole     = "tandem_app"
	AppPassword = "tandem_app"
)

// Env is one package's test database.
type Env struct {
	// Name is the database name.
	Name string
	// OwnerURL connects as the superuser that owns the schema.
	OwnerURL string
	// AppURL connects as the restricted, RLS-bound role tandem_app.
	AppURL string
	// Owner and App are connection pools for OwnerURL and AppURL.
	Owner *gorm.DB
	App   *gorm.DB

	adminURL string       // the maintenance database
	stop     func() error // our own cluster, when TEST_DATABASE_URL was unset
}

// Main sets up the package's database into *env, runs the tests, tears the
// database down and exits. Call it from TestMain.
func Main(m *testing.M, name string, env **Env) {
	e, err := Setup(name)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	*env = e
	code := m.Run()
	if err := e.Close(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}

// Setup creates a fresh database named after name, cloned from the
// template, on the cluster of TEST_DATABASE_URL (a superuser URL), or on a
// throwaway cluster of its own when that is unset.
func Setup(name string) (*Env, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	e := &Env{adminURL: os.Getenv("TEST_DATABASE_URL")}
	if e.adminURL == "" {
		c, stop, err := StartCluster(ctx)
		if err != nil {
			return nil, err
		}
		e.adminURL, e.stop = c.URL("postgres"), stop
	}
	e.Name = dbName(name)
	err := withLock(ctx, e.adminURL, func(conn *pgx.Conn) error {
		if err := prepareTemplate(ctx, conn, e.adminURL); err != nil {
			return err
		}
		// Workers first, so that the coordinator's copy of the Citus
		// metadata never names a database a worker lacks.
		if err := onWorkers(ctx, func(w *pgx.Conn) error { return cloneTemplate(ctx, w, e.Name) }); err != nil {
			return err
		}
		return cloneTemplate(ctx, conn, e.Name)
	})
	if err == nil {
		err = e.open()
	}
	if err == nil {
		// A clone does not inherit the template's database privileges.
		err = wrap("database privileges", e.Owner.Exec(migrations.DatabasePrivileges).Error)
	}
	if err != nil {
		return nil, errors.Join(err, e.Close())
	}
	return e, nil
}

func (e *Env) open() error {
	var err error
	if e.OwnerURL, err = withDatabase(e.adminURL, e.Name, nil); err != nil {
		return err
	}
	if e.AppURL, err = withDatabase(e.adminURL, e.Name, url.UserPassword(AppRole, AppPassword)); err != nil {
		return err
	}
	// The pools serve opens: tests meet the same pool policy as production.
	if e.Owner, err = database.Open(e.OwnerURL); err != nil {
		return fmt.Errorf("dbtest: %w", err)
	}
	if e.App, err = database.Open(e.AppURL); err != nil {
		return fmt.Errorf("dbtest: %w", err)
	}
	return nil
}

// Close closes the pools, drops the database and stops the cluster Setup
// started, if any.
func (e *Env) Close() error {
	var errs []error
	for _, db := range []*gorm.DB{e.Owner, e.App} {
		errs = append(errs, database.Close(db))
	}
	if e.stop != nil {
		// The whole cluster goes away: no need to drop anything.
		return errors.Join(append(errs, e.stop())...)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if conn, err := pgx.Connect(ctx, e.adminURL); err != nil {
		errs = append(errs, wrap("drop database", err))
	} else {
		errs = append(errs, dropDatabase(ctx, conn, e.Name), conn.Close(ctx))
		// A worker's copy goes with the cluster at the end of the run at the
		// latest. Citus's daemons can hold it past WITH (FORCE) for longer
		// than the minute above (seen once, after every test had passed):
		// that is said, not counted against the tests that ran.
		if err := onWorkers(ctx, func(w *pgx.Conn) error { return dropDatabase(ctx, w, e.Name) }); err != nil {
			fmt.Fprintf(os.Stderr, "dbtest: warning: %s left on a worker: %v\n", e.Name, err)
		}
	}
	return errors.Join(errs...)
}

// PrepareTemplate creates the template database if missing, migrates it and
// gives tandem_app its test login. adminURL is a superuser URL.
func PrepareTemplate(ctx context.Context, adminURL string) error {
	return withLock(ctx, adminURL, func(conn *pgx.Conn) error {
		return prepareTemplate(ctx, conn, adminURL)
	})
}

// prepareTemplate migrates even an existing template, so that a long-lived
// TEST_DATABASE_URL picks up new migrations; when nothing is pending that
// costs a query.
func prepareTemplate(ctx context.Context, conn *pgx.Conn, adminURL string) error {
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", Template).Scan(&exists); err != nil {
		return wrap("look up template", err)
	}
	if !exists && len(CitusWorkerURLs()) > 0 {
		// Only the process that started the cluster knows how its nodes
		// reach one another (StartCitusCluster).
		return fmt.Errorf("dbtest: no %s on the Citus coordinator: start the cluster with withpg -citus", Template)
	}
	if !exists {
		if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{Template}.Sanitize()); err != nil {
			return wrap("create template", err)
		}
	}
	templateURL, err := withDatabase(adminURL, Template, nil)
	if err != nil {
		return err
	}
	db, err := database.OpenSQL(templateURL)
	if err != nil {
		return wrap("open template", err)
	}
	// Closed before cloning: CREATE DATABASE … TEMPLATE fails while anyone
	// is connected to the template.
	err = models.Migrate(ctx, db)
	db.Close()
	if err != nil {
		return fmt.Errorf("dbtest: template: %w", err)
	}
	if len(CitusWorkerURLs()) > 0 {
		return citusLogins(ctx, adminURL)
	}
	login := "ALTER ROLE " + pgx.Identifier{AppRole}.Sanitize() + " LOGIN PASSWORD " + quoteLiteral(AppPassword)
	if _, err = conn.Exec(ctx, login); err != nil {
		return wrap("give "+AppRole+" a login", err)
	}
	return nil
}

// lockKey is an arbitrary constant naming the template's advisory lock.
const lockKey = 7_316_004_211

// withLock runs fn holding a cluster-wide advisory lock, so that concurrent
// test packages never migrate the template while another clones it.
func withLock(ctx context.Context, adminURL string, fn func(*pgx.Conn) error) error {
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return wrap("connect to "+redact(adminURL), err)
	}
	// Closing the session releases the lock.
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", lockKey); err != nil {
		return wrap("lock template", err)
	}
	return fn(conn)
}

// withDatabase returns base pointing at database name, as user (nil keeps
// base's user).
func withDatabase(base, name string, user *url.Userinfo) (string, error) {
	u, err := url.Parse(base)
	if err != nil || u.Scheme == "" {
		return "", fmt.Errorf("dbtest: TEST_DATABASE_URL must be a postgres:// URL: %q", redact(base))
	}
	u.Path, u.RawPath = "/"+name, ""
	if user != nil {
		u.User = user
	}
	return u.String(), nil
}

var unsafeName = regexp.MustCompile(`[^a-z0-9_]+`)

// dbName makes a valid, unique database name: packages may run twice at
// once against one long-lived cluster.
func dbName(name string) string {
	name = unsafeName.ReplaceAllString(strings.ToLower(name), "_")
	if len(name) > 40 {
		name = name[:40]
	}
	b := make([]byte, 5)
	rand.Read(b)
	return "test_" + name + "_" + hex.EncodeToString(b)
}

func quoteLiteral(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// redact hides the password of a URL that goes into an error message.
func redact(s string) string {
	if u, err := url.Parse(s); err == nil {
		return u.Redacted()
	}
	return "(unparsable URL)"
}

func wrap(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("dbtest: %s: %w", what, err)
}

// WaitFor polls cond until it holds; a condition, not a duration, is what
// a test waits for (the deadline only ends a test that is broken).
func WaitFor(t testing.TB, cond func() bool, what string) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("waited 30 s for %s", what)
		}
	}
}
