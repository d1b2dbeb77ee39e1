package models_test

import (
	"context"
	"crypto/sha256"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tandemhq/tandem/models"
)

// The widget's rules (migrations/00017_widget.sql), attacked in SQL: a token
// lives at most a day, only a live secret key mints one, tokens never
// change, origins are exact, and another tenant's token or settings are out
// of reach.
func TestSchemaWidget(t *testing.T) {
	ctx := context.Background()
	r := newRawDB(t)
	a, b := env.NewTenant(t, "Widget A"), env.NewTenant(t, "Widget B")
	env.InTenant(t, a.TenantID, func(ctx context.Context) error {
		publish(t, ctx, campaignSpec{slug: "spring", mode: models.ModeReferrerCode, steps: []string{"signed_up"}})
		_, err := models.SaveWidgetSettings(ctx, []string{"https://shop.example"})
		return err
	})
	addParticipants(t, a.TenantID, "host")
	secret := r.str(a.TenantID, `SELECT id FROM api_keys WHERE kind = 'secret'`)
	publishable := r.str(a.TenantID, `SELECT id FROM api_keys WHERE kind = 'publishable'`)
	host, campaign := r.participant(a.TenantID, "host"), r.campaign(a.TenantID, "spring")
	hash := sha256.Sum256([]byte("a token"))
	bSecret := r.str(b.TenantID, `SELECT id FROM api_keys WHERE kind = 'secret'`)
	env.InTenant(t, b.TenantID, func(ctx context.Context) error {
		publish(t, ctx, campaignSpec{slug: "spring", mode: models.ModeReferrerCode, steps: []string{"signed_up"}})
		return nil
	})
	addParticipants(t, b.TenantID, "host")
	bHost, bCampaign := r.participant(b.TenantID, "host"), r.campaign(b.TenantID, "spring")
	mint := func(key, participant, campaign, lifetime string) sqlStmt {
		return q(`INSERT INTO widget_tokens (token_hash, key_id, participant_id, campaign_id, expires_at)
			VALUES ($1, $2, $3, $4, now() + $5::interval)`, hash[:], key, participant, campaign, lifetime)
	}
	insert := func(key, lifetime string) sqlStmt { return mint(key, host, campaign, lifetime) }
	r.run(t, a.TenantID, []attack{
		{name: "a token of a live secret key for a day", stmt: insert(secret, "24 hours"), rows: 1},
		{name: "longer than a day", stmt: insert(secret, "24 hours 1 second"), code: checkViolation, constraint: "widget_token_lifetime"},
		{name: "already expired", stmt: insert(secret, "-1 second"), code: checkViolation, constraint: "widget_token_lifetime"},
		{name: "minted by a publishable key", stmt: insert(publishable, "1 hour"), code: checkViolation, constraint: "widget_token_key"},
		{name: "minted by a revoked key", owner: true,
			setup: []sqlStmt{q(`UPDATE api_keys SET revoked_at = now() WHERE id = $1`, secret)},
			stmt:  insert(secret, "1 hour"), code: checkViolation, constraint: "widget_token_key"},
		// A new expiry as a value: Citus calls no STABLE function (timestamptz
		// arithmetic) with column references in an UPDATE, and says so
		// before the privilege is asked.
		{name: "a token never changes", setup: []sqlStmt{insert(secret, "1 hour")},
			stmt: q(`UPDATE widget_tokens SET expires_at = $1`, time.Now().Add(2*time.Hour)), code: insufficientPriv},
		{name: "an origin with a path", stmt: q(`UPDATE widget_settings SET allowed_origins = '{https://shop.example/app}'`),
			code: checkViolation, constraint: "widget_origins"},
		{name: "an origin in upper case", stmt: q(`UPDATE widget_settings SET allowed_origins = '{https://Shop.example}'`),
			code: checkViolation, constraint: "widget_origins"},
		{name: "an origin twice", stmt: q(`UPDATE widget_settings SET allowed_origins = '{https://a.example,https://a.example}'`),
			code: checkViolation, constraint: "widget_origins"},
		{name: "origins with ports", stmt: q(`UPDATE widget_settings SET allowed_origins = '{http://localhost:3000,https://a.example}'`), rows: 1},
	})
	// Tenant B reaches none of A's rows, and cannot point at them.
	r.run(t, b.TenantID, []attack{
		{name: "B's token with A's key", stmt: insert(secret, "1 hour"), code: checkViolation, constraint: "widget_token_key"},
		// One of A's rows at a time: which of two broken foreign keys
		// PostgreSQL names first is the order they were made in, which on
		// Citus (its migration re-creates them) is not the schema's.
		{name: "B's key, A's participant", stmt: mint(bSecret, host, bCampaign, "1 hour"), code: foreignKeyViolation,
			constraint: "widget_tokens_tenant_id_participant_id_fkey"},
		{name: "B's key, A's campaign", stmt: mint(bSecret, bHost, campaign, "1 hour"), code: foreignKeyViolation,
			constraint: "widget_tokens_tenant_id_campaign_id_fkey"},
		{name: "control: B's key, participant and campaign", stmt: mint(bSecret, bHost, bCampaign, "1 hour"), rows: 1},
		{name: "B changes A's origins", stmt: q(`UPDATE widget_settings SET allowed_origins = '{https://evil.example}'`), rows: 0},
	})

	// The token and the revocation are committed, each before the lookup,
	// as the widget meets them: on Citus the lookup (SECURITY DEFINER, over
	// its owner's connections) may not read a placement the owner's
	// connection wrote in the same transaction (25001).
	t.Run("the lookup refuses tokens of revoked keys", func(t *testing.T) {
		found := func() (n int64) {
			must(t, rolledBack(ctx, r.owner, a.TenantID, func(tx pgx.Tx) error {
				return tx.QueryRow(ctx, `SELECT count(*) FROM find_widget_token($1)`, hash[:]).Scan(&n)
			}))
			return n
		}
		token := insert(secret, "1 hour")
		must(t, rolledBackOrCommit(ctx, r.owner, a.TenantID, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, token.sql, token.args...)
			return err
		}))
		if n := found(); n != 1 {
			t.Errorf("live key: %d tokens found, want 1", n)
		}
		must(t, rolledBackOrCommit(ctx, r.owner, a.TenantID, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, `UPDATE api_keys SET revoked_at = now() WHERE id = $1`, secret)
			return err
		}))
		if n := found(); n != 0 {
			t.Errorf("revoked key: %d tokens found, want 0", n)
		}
	})
}
