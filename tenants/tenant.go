// Package tenants opens the one door into a tenant's data: a transaction
// that runs as the restricted role with app.tenant_id set for that
// transaction only. It also owns what belongs to a tenant as a customer:
// creation, members and passwords, API keys.
package tenants

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"

	"github.com/tandemhq/tandem/internal/reqinfo"
	"github.com/tandemhq/tandem/models"
)

// AppRole is the restricted role every tenant transaction runs as.
const AppRole = "tandem_app"

// schemaSearchPath is the search_path every function of the schema pins
// (migrations/00012_referee.sql).
const schemaSearchPath = "public, pg_temp"

// enterTenant makes tx a transaction of tenantID: the role switched to
// AppRole, app.tenant_id set, and the search_path the schema's functions
// pin, all local to the transaction so that they never leak to the next
// user of the pooled connection. The search_path is the one every function
// pins, so that calling them switches nothing.
//
// Two statements (localSettingsSQL, then tenantSettingSQL): on Citus the
// tenant must reach the workers, where the rows and their policies are, and
// Citus carries only SET commands there (not set_config), each as the whole
// query text it came in, and only after citus.propagate_set_commands says
// so. The role must not travel: Citus connects to a worker as the current
// user, which inside a SECURITY DEFINER function is the function's owner,
// who may not become AppRole.
func enterTenant(tx *gorm.DB, tenantID uuid.UUID) error {
	if err := tx.Exec(localSettingsSQL).Error; err != nil {
		return fmt.Errorf("enter tenant: %w", err)
	}
	if err := tx.Exec(tenantSettingSQL(tenantID)).Error; err != nil {
		return fmt.Errorf("enter tenant: %w", err)
	}
	return nil
}

// localSettingsSQL sets what stays on this node. The citus.* settings are
// unused placeholders on plain PostgreSQL. On Citus: a tenant's rows are on
// one worker, and a statement that reaches several shards all the same (a
// lookup across tenants) then uses one connection per node, after which
// Citus still lets the transaction write a reference table (tenants,
// invite_codes); and the SET that follows travels.
const localSettingsSQL = `SELECT set_config('role', '` + AppRole + `', true), set_config('search_path', '` + schemaSearchPath + `', true),
	set_config('citus.multi_shard_modify_mode', 'sequential', true), set_config('citus.propagate_set_commands', 'local', true)`

// tenantSettingSQL sets app.tenant_id, with SET LOCAL so that Citus carries
// it to the workers. SET takes no parameters: the id is written into the
// text, which is safe because a uuid.UUID prints only hex digits and
// dashes.
func tenantSettingSQL(tenantID uuid.UUID) string {
	return "SET LOCAL app.tenant_id = '" + tenantID.String() + "'"
}

// maxAttempts bounds how often a transaction that lost a serialization
// race or a deadlock is run again.
const maxAttempts = 4

// WithTenant runs fn in a transaction of tenantID (see enterTenant). fn
// finds the transaction in its context. A serialization failure or deadlock
// runs the whole transaction again.
func WithTenant(ctx context.Context, db *gorm.DB, tenantID uuid.UUID, fn func(ctx context.Context) error) error {
	if tenantID == uuid.Nil {
		return errors.New("with tenant: no tenant id")
	}
	if models.InTx(ctx) {
		return errors.New("with tenant: already inside a tenant transaction")
	}
	reqinfo.SetTenant(ctx, tenantID) // for the access log
	return retrying(func() error {
		return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			if err := enterTenant(tx, tenantID); err != nil {
				return err
			}
			return fn(models.WithTx(ctx, tx, tenantID))
		})
	})
}

// retrying runs a whole transaction, attempt, again after a serialization
// failure or deadlock, up to maxAttempts times, waiting a little longer
// each time.
func retrying(attempt func() error) error {
	var err error
	for n := 1; n <= maxAttempts; n++ {
		err = attempt()
		pgErr := retryable(err)
		if pgErr == nil {
			return err
		}
		retries.Add(1)
		// Said, with PostgreSQL's account of which locks met and where
		// (statements' text, no values): the lock order is designed to keep
		// retries at zero, so each one is a lead.
		slog.Warn("tenants: transaction run again", "attempt", n, "code", pgErr.Code, "detail", pgErr.Detail, "where", pgErr.Where)
		time.Sleep(time.Duration(n*n) * 5 * time.Millisecond)
	}
	return err
}

var retries atomic.Int64

// Retries counts the transactions run again after a serialization failure
// or deadlock since the process started: a number to watch, since the lock
// order is designed to keep it at zero.
func Retries() int64 { return retries.Load() }

// retryable returns err's PostgreSQL error when it is a serialization
// failure or deadlock, the two outcomes a fresh attempt can fix, and nil
// otherwise. A unique violation is not one: it means the data already says
// no.
func retryable(err error) *pgconn.PgError {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && (pgErr.Code == "40001" || pgErr.Code == "40P01") {
		return pgErr
	}
	return nil
}
