package models

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/tandemhq/tandem/migrations"
)

// Migrate applies every pending migration. db must connect as the schema
// owner (or a superuser): migrations create the restricted roles, the tables
// and the policies that later bind the application.
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
	if _, err := db.ExecContext(ctx, migrations.DatabasePrivileges); err != nil {
		return fmt.Errorf("migrate: database privileges: %w", err)
	}
	return nil
}
