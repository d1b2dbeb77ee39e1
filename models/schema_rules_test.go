package models_test

// The rules of docs/design.md §2.2, attacked directly in SQL. Fixtures are built
// through models and tenants in committed transactions; every
// attack then runs as raw SQL in a transaction of its own, as the restricted
// role tandem_app (or, to reach the triggers behind a missing privilege, as
// the superuser that owns the schema), and is always rolled back. A failed
// statement aborts a PostgreSQL transaction, so each attack gets a fresh one.

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/tandemhq/tandem/models"
)

// SQLSTATEs the attacks expect.
const (
	checkViolation      = "23514"
	uniqueViolation     = "23505"
	foreignKeyViolation = "23503"
	insufficientPriv    = "42501" // a missing privilege, or a row that fails a row-level security policy
)

// sqlStmt is one SQL statement and its arguments.
type sqlStmt struct {
	sql  string
	args []any
}

func q(sql string, args ...any) sqlStmt { return sqlStmt{sql: sql, args: args} }

// attack is one statement run straight in SQL in a rolled-back transaction.
type attack struct {
	name  string
	owner bool      // as the schema's owner (a superuser) instead of tandem_app
	setup []sqlStmt // run first in the same transaction; each must succeed
	stmt  sqlStmt
	// The expected outcome: an error with SQLSTATE code and this constraint
	// name (and msg in its message), or, with code "", success touching
	// exactly rows rows.
	code, constraint, msg string
	rows                  int64
}

// asReferee is the setup of an attack run as tandem_referee, the role the
// schema's own trigger functions write as (with owner: true, whose
// connection may switch to it): it meets the guards behind the privileges.
var asReferee = []sqlStmt{q(`SET LOCAL ROLE tandem_referee`)}

// rawDB is a pair of plain pgx connections: one logged in as tandem_app, one
// as the superuser that owns the schema.
type rawDB struct {
	t          testing.TB
	app, owner *pgx.Conn
}

func newRawDB(t testing.TB) *rawDB {
	return &rawDB{t: t, app: dialRaw(t, env.AppURL), owner: dialRaw(t, env.OwnerURL)}
}

// dialRaw opens a raw connection that closes when the test ends.
func dialRaw(t testing.TB, url string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// rolledBack runs fn in a transaction on conn with app.tenant_id set to
// tenant for that transaction (left unset for uuid.Nil), then rolls back.
func rolledBack(ctx context.Context, conn *pgx.Conn, tenant uuid.UUID, fn func(pgx.Tx) error) error {
	tx, err := conn.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	if err := setLocal(ctx, tx, "", tenant); err != nil {
		return err
	}
	return fn(tx)
}

// setLocal switches tx to role (none for "") and sets app.tenant_id to
// tenant (none for uuid.Nil) as tenants.enterTenant does: with SET LOCAL,
// which on Citus travels with the transaction to the workers (set_config
// stays on the coordinator), once citus.propagate_set_commands says so.
func setLocal(ctx context.Context, tx pgx.Tx, role string, tenant uuid.UUID) error {
	// The role stays on this node and goes first (a role that travelled
	// would be set again on the worker connections Citus opens as a
	// SECURITY DEFINER function's owner); the tenant travels, alone.
	local := []string{}
	if role != "" {
		local = append(local, "SET LOCAL ROLE "+pgx.Identifier{role}.Sanitize())
	}
	local = append(local, "SET LOCAL citus.propagate_set_commands = 'local'")
	if _, err := tx.Exec(ctx, strings.Join(local, "; ")); err != nil || tenant == uuid.Nil {
		return err
	}
	// SET takes no parameters; a uuid.UUID prints only hex digits and dashes.
	_, err := tx.Exec(ctx, "SET LOCAL app.tenant_id = '"+tenant.String()+"'")
	return err
}

// appTx begins a transaction on conn as tandem_app in tenant, left open for
// the test to end (rolled back at the test's end if it does not).
func appTx(t testing.TB, conn *pgx.Conn, tenant uuid.UUID) pgx.Tx {
	t.Helper()
	ctx := context.Background()
	tx, err := conn.Begin(ctx)
	must(t, err)
	t.Cleanup(func() { tx.Rollback(ctx) })
	must(t, setLocal(ctx, tx, "tandem_app", tenant))
	return tx
}

// scan reads one row as tandem_app in a transaction of tenant.
func (r *rawDB) scan(tenant uuid.UUID, s sqlStmt, dest ...any) {
	r.t.Helper()
	err := rolledBack(context.Background(), r.app, tenant, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), s.sql, s.args...).Scan(dest...)
	})
	if err != nil {
		r.t.Fatalf("%s: %v", s.sql, err)
	}
}

func (r *rawDB) str(tenant uuid.UUID, sql string, args ...any) string {
	r.t.Helper()
	var s string
	r.scan(tenant, q(sql, args...), &s)
	return s
}

func (r *rawDB) int(tenant uuid.UUID, sql string, args ...any) int64 {
	r.t.Helper()
	var n int64
	r.scan(tenant, q(sql, args...), &n)
	return n
}

func (r *rawDB) participant(tenant uuid.UUID, externalID string) string {
	r.t.Helper()
	return r.str(tenant, `SELECT id FROM participants WHERE external_id = $1`, externalID)
}

func (r *rawDB) campaign(tenant uuid.UUID, slug string) string {
	r.t.Helper()
	return r.str(tenant, `SELECT id FROM campaigns WHERE slug = $1`, slug)
}

// run runs each attack as a subtest of t.
func (r *rawDB) run(t *testing.T, tenant uuid.UUID, attacks []attack) {
	t.Helper()
	ctx := context.Background()
	for _, a := range attacks {
		t.Run(a.name, func(t *testing.T) {
			conn := r.app
			if a.owner {
				conn = r.owner
			}
			var tag pgconn.CommandTag
			err := rolledBack(ctx, conn, tenant, func(tx pgx.Tx) error {
				for i, s := range a.setup {
					if _, err := tx.Exec(ctx, s.sql, s.args...); err != nil {
						t.Fatalf("setup %d (%s): %v", i+1, s.sql, err)
					}
				}
				var err error
				tag, err = tx.Exec(ctx, a.stmt.sql, a.stmt.args...)
				return err
			})
			if a.code == "" {
				if err != nil {
					t.Fatalf("want success, got %v", err)
				}
				if tag.RowsAffected() != a.rows {
					t.Fatalf("want %d rows affected, got %d (%s)", a.rows, tag.RowsAffected(), tag)
				}
				return
			}
			wantPgError(t, err, a.code, a.constraint, a.msg)
		})
	}
}

// shardNumbers finds a relation's name with a Citus shard's number in a
// message ("job_outbox_102516"), raised on the shard: the message is
// compared with the table's own name.
var shardNumbers = regexp.MustCompile(`"([a-z_]+)_[0-9]{6,}"`)

// wantPgError fails unless err is a PostgreSQL error with this SQLSTATE,
// constraint name and message substring.
func wantPgError(t testing.TB, err error, code, constraint, msg string) {
	t.Helper()
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		t.Fatalf("want SQLSTATE %s (constraint %q), got %v", code, constraint, err)
	}
	if pgErr.Code != code || models.ConstraintName(pgErr) != constraint || !strings.Contains(shardNumbers.ReplaceAllString(pgErr.Message, `"$1"`), msg) {
		t.Fatalf("want SQLSTATE %s (constraint %q, message with %q), got SQLSTATE %s (constraint %q): %s",
			code, constraint, msg, pgErr.Code, models.ConstraintName(pgErr), pgErr.Message)
	}
}

// addParticipants creates participants by external id through the schema's own
// participant_id(), committed in a transaction of tenant.
func addParticipants(t testing.TB, tenant uuid.UUID, externalIDs ...string) {
	t.Helper()
	ctx := context.Background()
	conn := dialRaw(t, env.AppURL)
	tx, err := conn.Begin(ctx)
	must(t, err)
	defer tx.Rollback(ctx)
	must(t, setLocal(ctx, tx, "", tenant))
	for _, x := range externalIDs {
		_, err := tx.Exec(ctx, `SELECT participant_id($1)`, x)
		must(t, err)
	}
	must(t, tx.Commit(ctx))
}

// runConcurrently runs fn(0..n-1) in n goroutines released at once and returns
// their errors by index.
func runConcurrently(n int, fn func(i int) error) []error {
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = fn(i)
		}()
	}
	close(start)
	wg.Wait()
	return errs
}
