package jobs

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Role is the role River's client works as (migrations/00037_jobs_are_tenant_data.sql):
// it alone holds River's tables, and only outside a tenant's transaction.
// tandem_app may become it but holds none of its privileges.
const Role = "tandem_jobs"

// OpenPool opens River's own pool on url (tandem_app's login, or the
// owner's on a one-URL deployment), at most maxConns connections, each of
// which becomes Role as soon as it connects. serve and every test open
// River's pool here, so that none works jobs with another role's rights.
func OpenPool(ctx context.Context, url string, maxConns int32) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("jobs: pool: %w", err)
	}
	cfg.MaxConns = maxConns
	// For the whole session: River's listener keeps its connection, and a
	// connection that ever lost the role (RESET ROLE) would be refused
	// River's tables rather than see anything more.
	cfg.AfterConnect = func(ctx context.Context, conn *pgx.Conn) error {
		if _, err := conn.Exec(ctx, "SET ROLE "+pgx.Identifier{Role}.Sanitize()); err != nil {
			return fmt.Errorf("jobs: become %s: %w", Role, err)
		}
		return nil
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("jobs: pool: %w", err)
	}
	return pool, nil
}
