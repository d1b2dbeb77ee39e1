package tenants

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/gorm"

	"github.com/tandemhq/tandem/internal/metrics"
	"github.com/tandemhq/tandem/models"
)

// IngestEvents stores events in tenantID's data (models.IngestStatement) as
// a transaction of its own, in one round trip to the database instead of
// WithTenant's five (BEGIN, the tenant's settings in two statements, the
// statement, COMMIT): ingestion is the hot path, and on a loaded machine
// each round trip costs both processes a system call and a wake-up.
//
// BEGIN, the settings, the statement and COMMIT go to the server as one
// pipeline ending in a single Sync: one transaction, whose settings end
// with it as they do in WithTenant. A serialization failure or deadlock
// runs it again.
func IngestEvents(ctx context.Context, db *gorm.DB, tenantID uuid.UUID, events []models.EventInput) ([]models.EventResult, error) {
	if tenantID == uuid.Nil {
		return nil, errors.New("ingest events: no tenant id")
	}
	if models.InTx(ctx) {
		return nil, errors.New("ingest events: already inside a tenant transaction")
	}
	if len(events) == 0 {
		return nil, nil
	}
	query, args, err := models.IngestStatement(tenantID, events)
	if err != nil {
		return nil, err
	}
	var results []models.EventResult
	read := func(rows pgx.Rows) error {
		var readErr error
		results, readErr = models.ReadIngestResults(rows, len(events))
		return readErr
	}
	if err := retrying(func() error { return inOneRoundTrip(ctx, db, tenantID, query, args, read) }); err != nil {
		return nil, err
	}
	// One transaction: a grouped commit (EventGroups) shows here as its
	// size, a request's own as its events.
	metrics.EventsIngested.Add(float64(len(events)))
	metrics.IngestTransactions.Observe(float64(len(events)))
	return results, nil
}

// inOneRoundTrip runs query as a transaction of tenantID: the settings of
// enterTenant and query in one pipeline (see IngestEvents), read by read.
func inOneRoundTrip(ctx context.Context, db *gorm.DB, tenantID uuid.UUID, query string, args []any, read func(pgx.Rows) error) error {
	sqlDB, err := db.DB()
	if err != nil {
		return fmt.Errorf("one round trip: %w", err)
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return fmt.Errorf("one round trip: %w", err)
	}
	defer conn.Close()
	return conn.Raw(func(driverConn any) error {
		stdlibConn, ok := driverConn.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("one round trip: the pool's driver is %T, not pgx", driverConn)
		}
		pgxConn := stdlibConn.Conn()
		var batch pgx.Batch
		batch.Queue("BEGIN")
		settings := []string{localSettingsSQL, tenantSettingSQL(tenantID)}
		for _, sql := range settings {
			batch.Queue(sql)
		}
		batch.Queue(query, args...)
		batch.Queue("COMMIT")
		results := pgxConn.SendBatch(ctx, &batch)
		// After a failure the server skips the rest of the pipeline, COMMIT
		// included, and the transaction stays open, aborted: it is rolled
		// back before the connection goes back to the pool.
		defer rollbackAborted(ctx, pgxConn)
		for range 1 + len(settings) {
			if _, err := results.Exec(); err != nil {
				return errors.Join(fmt.Errorf("enter tenant: %w", err), results.Close())
			}
		}
		// A statement's failure is read from rows, where read maps it to
		// models' errors.
		rows, err := results.Query()
		if rows == nil {
			return errors.Join(err, results.Close())
		}
		readErr := read(rows)
		rows.Close()
		if readErr != nil {
			results.Close()
			return readErr // the pipeline failed; Close only repeats it
		}
		// The commit's failure means nothing was stored, whatever rows said.
		_, commitErr := results.Exec()
		return errors.Join(commitErr, results.Close())
	})
}

// rollbackAborted ends the transaction a failed pipeline left open on
// conn, if any; a connection that cannot say so is closed, so that the
// pool never hands out a connection inside a transaction.
func rollbackAborted(ctx context.Context, conn *pgx.Conn) {
	if conn.PgConn().TxStatus() == 'I' {
		return
	}
	if _, err := conn.Exec(context.WithoutCancel(ctx), "ROLLBACK"); err != nil {
		conn.Close(context.WithoutCancel(ctx)) //nolint:errcheck // already failing
	}
}
