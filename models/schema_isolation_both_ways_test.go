package models_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

// txRecorder is a connection pool that remembers the transaction gorm last
// began on it, so that a test can run its own SQL inside tenants.WithTenant.
type txRecorder struct {
	*sql.DB
	mu   sync.Mutex
	last *sql.Tx
}

func (r *txRecorder) BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error) {
	tx, err := r.DB.BeginTx(ctx, opts)
	r.mu.Lock()
	r.last = tx
	r.mu.Unlock()
	return tx, err
}

func (r *txRecorder) tx() *sql.Tx {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.last
}

// Both ways into a tenant: logging in as tandem_app, and the one-URL
// deployment where the owner switches to it inside WithTenant.
func TestSchemaIsolationBothWaysIn(t *testing.T) {
	r := newRawDB(t)
	a, b := populateTenant(t, r), populateTenant(t, r)
	tables := append(tenantTables(t, r.owner), "tenants")
	ctx := context.Background()
	for _, way := range []struct{ name, url string }{{"login as tandem_app", env.AppURL}, {"owner with WithTenant", env.OwnerURL}} {
		t.Run(way.name, func(t *testing.T) {
			pool, err := sql.Open("pgx", way.url)
			must(t, err)
			t.Cleanup(func() { pool.Close() })
			pool.SetMaxOpenConns(1) // one connection: what a transaction leaves behind, the next one meets
			rec := &txRecorder{DB: pool}
			db, err := gorm.Open(postgres.New(postgres.Config{Conn: rec}), &gorm.Config{Logger: logger.Default.LogMode(logger.Silent)})
			must(t, err)
			var sessionUser string
			must(t, pool.QueryRow(`SELECT session_user`).Scan(&sessionUser))

			err = tenants.WithTenant(ctx, db, b.id, func(ctx context.Context) error {
				tx := rec.tx()
				var user, tenant string
				if err := tx.QueryRowContext(ctx, `SELECT current_user, current_setting('app.tenant_id')`).Scan(&user, &tenant); err != nil {
					return err
				}
				if user != "tandem_app" || tenant != b.id.String() {
					t.Errorf("inside WithTenant: current_user %s, app.tenant_id %s; want tandem_app, %s", user, tenant, b.id)
				}
				for _, table := range tables {
					column := "tenant_id"
					if table == "tenants" {
						column = "id"
					}
					var seen, foreign int64
					err := tx.QueryRowContext(ctx, fmt.Sprintf(`SELECT count(*), count(*) FILTER (WHERE %s <> $1) FROM %s`,
						column, pgx.Identifier{table}.Sanitize()), b.id.String()).Scan(&seen, &foreign)
					if err != nil {
						return fmt.Errorf("%s: %w", table, err)
					}
					if foreign != 0 || seen == 0 {
						t.Errorf("%s: B sees %d rows, %d of them another tenant's", table, seen, foreign)
					}
				}
				current, err := models.CurrentTenant(ctx)
				if err != nil {
					return err
				}
				campaigns, _, err := models.ListCampaigns(ctx, models.Page{})
				if err != nil {
					return err
				}
				for _, c := range campaigns {
					if c.ID == a.campaign || c.ID == a.codesCampaign {
						t.Errorf("B lists A's campaign %s", c.ID)
					}
				}
				if current.ID != b.id || len(campaigns) != 2 {
					t.Errorf("CurrentTenant %s, %d campaigns; want %s and 2", current.ID, len(campaigns), b.id)
				}
				return nil
			})
			must(t, err)
			afterwards := func(when string) {
				var user, tenant string
				must(t, pool.QueryRow(`SELECT current_user, coalesce(current_setting('app.tenant_id', true), '')`).Scan(&user, &tenant))
				if user != sessionUser || tenant != "" {
					t.Errorf("%s: the connection is left as %s with tenant %q; want %s and none", when, user, tenant, sessionUser)
				}
			}
			afterwards("after a committed tenant transaction")

			// RLS binds the owner too once WithTenant has switched role.
			err = tenants.WithTenant(ctx, db, b.id, func(ctx context.Context) error {
				_, err := rec.tx().ExecContext(ctx, `INSERT INTO participants (tenant_id, external_id) VALUES ($1, 'intruder')`, a.id.String())
				return err
			})
			var pgErr *pgconn.PgError
			if !errors.As(err, &pgErr) || pgErr.Code != insufficientPriv {
				t.Fatalf("inserting a row of A as B: %v; want SQLSTATE %s", err, insufficientPriv)
			}
			afterwards("after a failed tenant transaction")
		})
	}
}
