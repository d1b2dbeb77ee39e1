package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"

	"gorm.io/gorm"

	"github.com/tandemhq/tandem/internal/database"
	"github.com/tandemhq/tandem/internal/pgcluster"
	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

// appDB is an open pool and what must happen when we let go of it.
type appDB struct {
	DB *gorm.DB
	// URL is the pool's connection string, for River's own pool.
	URL string
	// Embedded is true when tandem runs its own cluster: a local set-up
	// that deserves demo data.
	Embedded bool

	cluster *pgcluster.Cluster
}

// openApp opens the database the application runs on: APP_DATABASE_URL,
// else DATABASE_URL (migrated on the way), else the embedded cluster
// (created and migrated on the way), served through the restricted role
// tandem_app with a password of its own, as production is.
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
		if url, err = d.startEmbeddedApp(ctx, cfg); err != nil {
			d.Close()
			return nil, err
		}
	}
	db, err := database.Open(url)
	if err != nil {
		d.Close()
		return nil, fmt.Errorf("open database: %w", err)
	}
	d.DB, d.URL = db, url
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

// startEmbeddedApp starts the embedded cluster and returns tandem_app's URL
// to it: over TCP, with the password kept beside the data directory
// (created on first start, readable by this user only).
func (d *appDB) startEmbeddedApp(ctx context.Context, cfg Config) (string, error) {
	c, ownerURL, err := startEmbedded(ctx, cfg)
	if err != nil {
		return "", err
	}
	d.cluster, d.Embedded = c, true
	password, err := embeddedAppPassword(cfg.DataDir)
	if err != nil {
		return "", err
	}
	if err := setAppPassword(ctx, ownerURL, password); err != nil {
		return "", err
	}
	return c.TCPURL(tenants.AppRole, password, "tandem"), nil
}

// embeddedAppPassword reads tandem_app's password for the embedded cluster
// in dataDir, or draws one the first time.
func embeddedAppPassword(dataDir string) (string, error) {
	path := dataDir + ".app-password"
	if b, err := os.ReadFile(path); err == nil && len(bytes.TrimSpace(b)) > 0 {
		return string(bytes.TrimSpace(b)), nil
	}
	raw := make([]byte, 24)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("embedded app password: %w", err)
	}
	password := base64.RawURLEncoding.EncodeToString(raw)
	if err := os.WriteFile(path, []byte(password+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("embedded app password: %w", err)
	}
	return password, nil
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
