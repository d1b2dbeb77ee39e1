package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/jackc/pgx/v5"
)

// migrateCmd applies the migrations as the owner (DATABASE_URL, or the
// embedded cluster) and, given APP_DATABASE_PASSWORD, lets tandem_app log in
// with it.
func migrateCmd(ctx context.Context, cfg Config, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	url := cfg.DatabaseURL
	if url == "" {
		// Starting the embedded cluster migrates it.
		c, embeddedURL, err := startEmbedded(ctx, cfg)
		if err != nil {
			return err
		}
		defer c.Stop()
		url = embeddedURL
	} else if err := migrate(ctx, url); err != nil {
		return err
	}
	if cfg.AppDatabasePassword != "" {
		if err := setAppPassword(ctx, url, cfg.AppDatabasePassword); err != nil {
			return err
		}
	}
	fmt.Fprintln(stdout, "migrations applied")
	return nil
}

// setAppPassword lets the restricted role log in with password.
func setAppPassword(ctx context.Context, url, password string) error {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return fmt.Errorf("set tandem_app password: %w", err)
	}
	defer conn.Close(context.Background())
	// ALTER ROLE takes no parameters: the server quotes the literal itself.
	var stmt string
	err = conn.QueryRow(ctx, "SELECT format('ALTER ROLE tandem_app LOGIN PASSWORD %L', $1::text)", password).Scan(&stmt)
	if err == nil {
		_, err = conn.Exec(ctx, stmt)
	}
	if err != nil {
		return fmt.Errorf("set tandem_app password: %w", err)
	}
	return nil
}
