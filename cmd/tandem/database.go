package main

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"github.com/tandemhq/tandem/internal/database"
	"github.com/tandemhq/tandem/internal/pgcluster"
	"github.com/tandemhq/tandem/models"
)

// appDB is an open pool and what must happen when we let go of it.
type appDB struct {
	DB *gorm.DB
	// Embedded is true when tandem runs its own cluster: a local set-up
	// that deserves demo data.
	Embedded bool

	cluster *pgcluster.Cluster
}

// openApp opens the database the application runs on: APP_DATABASE_URL,
// else DATABASE_URL (migrated on the way), else the embedded cluster
// (created and migrated on the way).
func openApp(ctx context.Context, cfg Config) (*appDB, error) {
	d := &appDB{}
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
	db, err := database.Open(url)
	if err != nil {
		d.Close()
		return nil, fmt.Errorf("open database: %w", err)
	}
	d.DB = db
	return d, nil
}

// Close closes the pool and stops the embedded cluster if we started it.
func (d *appDB) Close() error {
	database.Close(d.DB)
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
	db, err := database.OpenSQL(url)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer db.Close()
	return models.Migrate(ctx, db)
}
