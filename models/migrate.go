package models

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/tandemhq/tandem/migrations"
)

// migrateLock names the session advisory lock one migration holds from the
// first versioned migration to the last privilege: several machines may
// start at once, and one migrates while the others wait and then find
// nothing to change.
const migrateLock = `hashtext('tandem: migrate')`

// Migrate brings the schema up to date: goose's versioned migrations, then
// the functions and triggers (migrations/functions, migrations/triggers),
// then River's tables (created by River's own migrator so that they stay
// what River expects), then the privileges applied on every run, and on
// Citus the tables' distribution. db must
// connect as the schema owner (or a superuser): migrations create the
// restricted roles, the tables and the policies that later bind the
// application. Migrations only go forward: nothing here, nor in the tandem
// command, undoes one.
func Migrate(ctx context.Context, db *sql.DB) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(`+migrateLock+`)`); err != nil {
		return fmt.Errorf("migrate: lock: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(`+migrateLock+`)`) //nolint:errcheck // a failed unlock ends with the session

	// goose keeps its own lock too: a binary older than this one takes
	// only that one.
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	provider, err := goose.NewProvider(goose.DialectPostgres, db, migrations.FS, goose.WithSessionLocker(locker))
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if _, err := provider.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if err := applyCode(ctx, conn); err != nil {
		return err
	}
	if err := migrateRiver(ctx, db, conn); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, migrations.DatabasePrivileges); err != nil {
		return fmt.Errorf("migrate: database privileges: %w", err)
	}
	return distribute(ctx, conn)
}

// distribute places the tables on Citus (migrations/always/citus.sql) when
// the database has the extension, in one transaction on conn, which holds
// the migration's lock; on plain PostgreSQL it only looks.
func distribute(ctx context.Context, conn *sql.Conn) error {
	var citus bool
	if err := conn.QueryRowContext(ctx, `SELECT EXISTS (SELECT FROM pg_extension WHERE extname = 'citus')`).Scan(&citus); err != nil {
		return fmt.Errorf("migrate: distribute: %w", err)
	}
	if !citus {
		return nil
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate: distribute: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	if _, err := tx.ExecContext(ctx, migrations.Distribution); err != nil {
		return fmt.Errorf("migrate: distribute: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate: distribute: %w", err)
	}
	return nil
}

// migrateRiver brings River's tables up to date (River runs each of its
// migrations in a transaction of its own: some add an enum value that the
// next one uses) and then grants tandem_jobs what River needs and pins the
// search_path of River's functions (migrations/always/river.sql), on conn,
// which holds the migration's lock.
func migrateRiver(ctx context.Context, db *sql.DB, conn *sql.Conn) error {
	migrator, err := rivermigrate.New(riverdatabasesql.New(db), nil)
	if err != nil {
		return fmt.Errorf("migrate river: %w", err)
	}
	if _, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("migrate river: %w", err)
	}
	if _, err := conn.ExecContext(ctx, migrations.RiverPrivileges); err != nil {
		return fmt.Errorf("migrate river: privileges: %w", err)
	}
	return nil
}
