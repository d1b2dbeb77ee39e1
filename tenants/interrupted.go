package tenants

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5/pgconn"
)

// Interrupted reports whether err means the work was cut short rather than
// wrong: its context ended (the request's deadline, a shutdown) while a
// query ran, or PostgreSQL cancelled the statement. Surfaces answer these
// as "try again" (503), never as their own fault.
func Interrupted(err error) bool {
	var pgErr *pgconn.PgError
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || pgconn.Timeout(err) ||
		(errors.As(err, &pgErr) && pgErr.Code == "57014") // query_canceled
}
