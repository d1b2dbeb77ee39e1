// Package database opens connections to Tandem's PostgreSQL: the
// application's gorm pool, with the one pool policy that serve, the tests
// and the benchmarks share, and a plain database/sql handle for migrations
// and owner-side statements.
package database

import (
	"database/sql"
	"fmt"
	"net/url"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// The pool policy. A web machine runs one pool of MaxConns connections and
// keeps every one of them idle between requests: with database/sql's default
// of 2 idle connections, concurrent requests kept opening new PostgreSQL
// connections, each a fork and an authentication on the server (measured with
// the profiling mode bench/http had before ingestion's rework: 2.3x fewer events/s).
// MaxConns bounds what one process takes from the server's max_connections (the test cluster's is 200, shared
// by the test packages that run side by side, each with an owner and an app
// pool).
// Connections idle for MaxIdleTime are closed, so a quiet machine gives
// them back.
const (
	MaxConns    = 20
	MaxIdleTime = 10 * time.Minute
)

// Open opens a gorm pool on url (gorm over pgx, its logger silent) with the
// pool policy, and pings the server through it.
func Open(url string) (*gorm.DB, error) {
	db, err := gorm.Open(postgres.Open(url), &gorm.Config{Logger: logger.Default.LogMode(logger.Silent)})
	if err != nil {
		return nil, fmt.Errorf("database: open %s: %w", redact(url), err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("database: open %s: %w", redact(url), err)
	}
	sqlDB.SetMaxOpenConns(MaxConns)
	sqlDB.SetMaxIdleConns(MaxConns)
	sqlDB.SetConnMaxIdleTime(MaxIdleTime)
	return db, nil
}

// Close closes the pool behind db. A nil db is already closed.
func Close(db *gorm.DB) error {
	if db == nil {
		return nil
	}
	sqlDB, err := db.DB()
	if err != nil {
		return fmt.Errorf("database: close: %w", err)
	}
	return sqlDB.Close()
}

// OpenSQL opens a database/sql handle on url through pgx, for goose
// (models.Migrate) and statements run as the schema owner. It has no pool
// policy: its users are short-lived and run one statement at a time.
func OpenSQL(url string) (*sql.DB, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("database: open %s: %w", redact(url), err)
	}
	return db, nil
}

// redact hides the password of a URL that goes into an error message; a
// connection string that is not a URL is not shown at all.
func redact(s string) string {
	if u, err := url.Parse(s); err == nil && u.Scheme != "" {
		return u.Redacted()
	}
	return "(connection string)"
}
