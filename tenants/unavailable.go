package tenants

import (
	"database/sql"
	"database/sql/driver"
	"errors"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// Unavailable reports whether err means the database could not be reached
// or is going away: no connection could be opened (refused, unreachable,
// PostgreSQL starting or shutting down), or the connection broke under the
// query. Nothing was decided, so surfaces answer these 503 with
// Retry-After, as they do Interrupted, never as a failure of their own.
func Unavailable(err error) bool {
	var (
		connectErr *pgconn.ConnectError
		opErr      *net.OpError
		pgErr      *pgconn.PgError
	)
	switch {
	case err == nil:
		return false
	case errors.As(err, &connectErr), errors.As(err, &opErr),
		errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone), errors.Is(err, pgconn.ErrConnClosed):
		return true
	case errors.As(err, &pgErr):
		// Class 08 is "connection exception"; 57P01-57P03 are the server
		// shutting down, crashed, or not yet accepting connections.
		return strings.HasPrefix(pgErr.Code, "08") ||
			pgErr.Code == "57P01" || pgErr.Code == "57P02" || pgErr.Code == "57P03"
	}
	return false
}
