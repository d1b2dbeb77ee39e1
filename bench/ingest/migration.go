package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

// migratingSlug is the campaign whose in-flight invitations -migration
// moves: version 1's quest is the cycle's two steps, version 2's the first
// alone.
const migratingSlug = "migrating"

// migrationSegment is how long each stretch of load runs while the
// migration does: the load goes on, stretch after stretch, until it has
// finished.
const migrationSegment = 5 * time.Second

// migrationResult is what -migration measured.
type migrationResult struct {
	invitations int
	published   time.Duration // the publish's answer, as the client saw it
	moved       time.Duration // from the publish's answer to the migration's end
	before      result        // the load before the publish
	during      result        // the load while the migration ran
}

// setUpMigrating creates the campaign "migrating" with n claimed, open
// invitations (guests of cohort c, whose names the load then uses) and a
// saved draft of version 2. The invitations are written by the owner with
// the triggers off, as storeEvents writes events: through models they
// would take most of the run; the migration reads them as any claimed
// invitation (version 1, no progress, no events).
func setUpMigrating(ctx context.Context, pool *gorm.DB, owner *sql.DB, tenantID uuid.UUID, c cohort) error {
	var campaignID string
	err := tenants.WithTenant(ctx, pool, tenantID, func(ctx context.Context) error {
		in := models.CampaignInput{Name: "Migrating", Mode: models.ModeInvitation, Rules: models.Rules{Steps: questSteps}}
		if _, _, err := models.SaveCampaignDraft(ctx, migratingSlug, in); err != nil {
			return err
		}
		pub, err := models.PublishCampaign(ctx, migratingSlug, models.InflightKeep)
		campaignID = pub.Campaign.ID
		return err
	})
	if err != nil {
		return fmt.Errorf("migrating campaign: %w", err)
	}
	tx, err := owner.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, stmt := range []struct {
		sql  string
		args []any
	}{
		{`SET LOCAL session_replication_role = replica`, nil},
		{`INSERT INTO participants (tenant_id, id, external_id)
			SELECT $1::uuid, 'par_' || md5('mig/' || x), x
			FROM (SELECT $2 || '-h-' || h FROM generate_series(0, $3::integer - 1) h
			      UNION ALL SELECT $2 || '-g-' || g FROM generate_series(0, $4::integer - 1) g) AS p(x)`,
			[]any{tenantID, c.prefix, c.hosts, c.guests()}},
		{`INSERT INTO invitations (tenant_id, id, campaign_id, kind, host_id, code, expires_at, guest_id, claimed_at, version)
			SELECT $1::uuid, 'inv_' || md5('mig/' || g), $2, 'invitation',
			       'par_' || md5('mig/' || $3 || '-h-' || (g / $4::integer)), 'MIG' || g, now() + interval '30 days',
			       'par_' || md5('mig/' || $3 || '-g-' || g), now(), 1
			FROM generate_series(0, $5::integer - 1) g`,
			[]any{tenantID, campaignID, c.prefix, c.perHost, c.guests()}},
	} {
		if _, err := tx.ExecContext(ctx, stmt.sql, stmt.args...); err != nil {
			return fmt.Errorf("migrating invitations: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	return tenants.WithTenant(ctx, pool, tenantID, func(ctx context.Context) error {
		in := models.CampaignInput{Name: "Migrating", Mode: models.ModeInvitation, Rules: models.Rules{Steps: questSteps[:1]}}
		_, _, err := models.SaveCampaignDraft(ctx, migratingSlug, in)
		return err
	})
}

// measureMigration sends figure 1's load to the migrating campaign's
// guests for a stretch, publishes its draft with "migrate" through the
// API, and goes on sending until the migration has finished (read by the
// owner), stretch after stretch, each going on through the guests' events
// where the last left off.
func measureMigration(ctx context.Context, load *apiLoad, owner *sql.DB, tenantID uuid.UUID, c cohort) (migrationResult, error) {
	m := migrationResult{invitations: c.guests()}
	sent := 0
	stretch := func() (result, error) {
		res, err := load.run(ctx, job{cohort: c, clients: clients, perRequest: 1, first: sent, duration: migrationSegment})
		sent += res.events
		return res, err
	}
	var err error
	if m.before, err = stretch(); err != nil {
		return m, err
	}
	start := time.Now()
	resp, err := load.call(http.MethodPost, "/v1/campaigns/"+migratingSlug+"/publish", `{"inflight": "migrate"}`)
	if err != nil {
		return m, fmt.Errorf("publish with migrate: %w", err)
	}
	if resp != http.StatusOK {
		return m, fmt.Errorf("publish with migrate: %d", resp)
	}
	m.published = time.Since(start)
	start = time.Now()
	for {
		res, err := stretch()
		if err != nil {
			return m, err
		}
		m.during.events += res.events
		m.during.elapsed += res.elapsed
		m.during.latencies = append(m.during.latencies, res.latencies...)
		var finished bool
		err = owner.QueryRowContext(ctx, `SELECT finished_at IS NOT NULL FROM campaign_migrations WHERE tenant_id = $1`, tenantID).Scan(&finished)
		if err != nil {
			return m, fmt.Errorf("read the migration: %w", err)
		}
		if finished {
			m.moved = time.Since(start)
			return m, nil
		}
	}
}

// printMigration prints the migration's line below the table.
func printMigration(out io.Writer, m migrationResult) {
	fmt.Fprintf(out, "\nmigration: %s in-flight invitations moved by the job in %.0f s (%s/s); the publish answered in %s.\n",
		thousands(int64(m.invitations)), m.moved.Seconds(), thousands(int64(float64(m.invitations)/m.moved.Seconds())), millis(m.published))
	fmt.Fprintf(out, "  the tenant's single events to those guests, %d clients: before the publish p99 %s (p50 %s, %s);\n",
		clients, millis(m.before.percentile(99)), millis(m.before.percentile(50)), rate(m.before.rate(), "events"))
	fmt.Fprintf(out, "  while the migration ran p99 %s (p50 %s, max %s, %s over %s requests); goal p99 < 100 ms: %s\n",
		millis(m.during.percentile(99)), millis(m.during.percentile(50)), millis(m.during.percentile(100)),
		rate(m.during.rate(), "events"), thousands(int64(len(m.during.latencies))),
		map[bool]string{true: "pass", false: "FAIL"}[m.during.percentile(99) < 100*time.Millisecond])
}

// call sends one request with the tenant's key and a JSON body, and
// returns its status.
func (l *apiLoad) call(method, path, body string) (int, error) {
	var answer bytes.Buffer
	return l.do(method, path, []byte(body), &answer)
}
