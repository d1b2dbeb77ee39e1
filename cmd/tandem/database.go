package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx" for goose
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/tandemhq/tandem/internal/pgcluster"
	"github.com/tandemhq/tandem/models"
)

// database is an open pool and what must happen when we let go of it.
type database struct {
	DB *gorm.DB
	// Embedded is true when tandem runs its own cluster: a local set-up
	// that deserves demo data.
	Embedded bool

	cluster *pgcluster.Cluster
}

// openApp opens the database the application runs on: APP_DATABASE_URL,
// else DATABASE_URL (migrated on the way), else the embedded cluster
// (created and migrated on the way).
func openApp(ctx context.Context, cfg Config) (*database, error) {
	d := &database{}
	url := cfg.AppDatabaseURL
	if url == "" && cfg.DatabaseURL != "" {
		// Logged in as the owner: bring the schema up to date first, as
		// `make run` promises on any database it is given.
		url = cfg.DatabaseURL
		if err := migrate(ctx, url); err != nil {
			return nil, err
		}
	}
	if url == "" {
		var err error
		if d.cluster, url, err = startEmbedded(ctx, cfg); err != nil {
			return nil, err
		}
		d.Embedded = true
	}
	db, err := gorm.Open(postgres.Open(url), &gorm.Config{Logger: logger.Default.LogMode(logger.Silent)})
	if err != nil {
		d.Close()
		return nil, fmt.Errorf("open database: %w", err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		d.Close()
		return nil, fmt.Errorf("open database: %w", err)
	}
	// Keep every connection the pool may open: with database/sql's default
	// of 2 idle ones, concurrent requests kept opening new PostgreSQL
	// connections (measured by bench/http: 2.3x fewer events/s).
	sqlDB.SetMaxOpenConns(maxDBConns)
	sqlDB.SetMaxIdleConns(maxDBConns)
	sqlDB.SetConnMaxIdleTime(10 * time.Minute)
	d.DB = db
	return d, nil
}

// maxDBConns is the pool size of one web machine.
const maxDBConns = 20

// Close closes the pool and stops the embedded cluster if we started it.
func (d *database) Close() error {
	if d.DB != nil {
		if sqlDB, err := d.DB.DB(); err == nil {
			sqlDB.Close()
		}
	}
	if d.cluster != nil {
		return d.cluster.Stop()
	}
	return nil
}

// startEmbedded starts (or joins) the local cluster and returns the URL of
// its migrated database "tandem".
func startEmbedded(ctx context.Context, cfg Config) (*pgcluster.Cluster, string, error) {
	c, err := pgcluster.Start(ctx, pgcluster.Options{Dir: cfg.DataDir, Port: cfg.PGPort})
	if err != nil {
		return nil, "", fmt.Errorf("start local database: %w", err)
	}
	if err := c.CreateDatabase(ctx, "tandem", ""); err != nil {
		return nil, "", fmt.Errorf("start local database: %w", errors.Join(err, c.Stop()))
	}
	url := c.URL("tandem")
	if err := migrate(ctx, url); err != nil {
		return nil, "", errors.Join(err, c.Stop())
	}
	return c, url, nil
}

// migrate applies the migrations as the user of url, who must own the
// schema.
func migrate(ctx context.Context, url string) error {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer db.Close()
	return models.Migrate(ctx, db)
}
