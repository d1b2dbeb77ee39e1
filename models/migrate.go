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

// Migrate applies every pending migration: goose's, then River's (the job
// queue's tables, created by River's own migrator so that they stay what
// River expects), then the privileges applied on every run. db must
// connect as the schema owner (or a superuser): migrations create the
// restricted roles, the tables and the policies that later bind the
// application.
func Migrate(ctx context.Context, db *sql.DB) error {
	// The session lock lets several machines start at once: one migrates,
	// the others wait and then find nothing pending.
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
	if err := migrateRiver(ctx, db); err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, migrations.DatabasePrivileges); err != nil {
		return fmt.Errorf("migrate: database privileges: %w", err)
	}
	return nil
}

// migrateRiver brings River's tables up to date (River runs each of its
// migrations in a transaction of its own: some add an enum value that the
// next one uses) and then grants tandem_app what River needs and pins the
// search_path of River's functions (migrations/always/river.sql). A
// session advisory lock makes machines that start together take turns.
func migrateRiver(ctx context.Context, db *sql.DB) error {
	migrator, err := rivermigrate.New(riverdatabasesql.New(db), nil)
	if err != nil {
		return fmt.Errorf("migrate river: %w", err)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("migrate river: %w", err)
	}
	defer conn.Close()
	const key = `hashtext('tandem: migrate river')`
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(`+key+`)`); err != nil {
		return fmt.Errorf("migrate river: lock: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(`+key+`)`) //nolint:errcheck // a failed unlock ends with the session
	if _, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("migrate river: %w", err)
	}
	if _, err := conn.ExecContext(ctx, migrations.RiverPrivileges); err != nil {
		return fmt.Errorf("migrate river: privileges: %w", err)
	}
	return nil
}
