package models

import (
	"context"
	"fmt"
	"time"
)

// MigrationBatch is how many in-flight invitations one batch of a
// migration moves, in a transaction of its own: each holds its
// invitations' locks until it commits, so a guest's event waits at most
// one batch (tens of milliseconds), never the whole migration.
const MigrationBatch = 100

// ErrMigrationRunning refuses what would disturb a running migration of a
// campaign's in-flight invitations: publishing another version, ending it.
var ErrMigrationRunning = &Error{Conflict, "campaign_migration_running",
	"the campaign is still migrating its in-flight invitations to its current version; try again when it has finished"}

// CampaignMigration is a migration of a campaign's in-flight invitations to
// the version published with "migrate": how many were in flight then, how
// many the batches have moved, and when it finished (nil while it runs).
type CampaignMigration struct {
	Version    int        `json:"version"`
	InFlight   int        `json:"in_flight"`
	Migrated   int        `json:"migrated"`
	StartedAt  time.Time  `json:"started_at"`
	FinishedAt *time.Time `json:"finished_at"`
}

// startMigration records the migration of campaignID's in-flight
// invitations to version, the campaign's current one; the schema queues its
// job (campaign_migrations_queue), which moves them in batches.
func startMigration(ctx context.Context, campaignID string, version, inFlight int) error {
	tx, err := db(ctx)
	if err != nil {
		return err
	}
	err = tx.Exec(`INSERT INTO campaign_migrations (tenant_id, campaign_id, version, in_flight) VALUES (?, ?, ?, ?)`,
		tenantOf(ctx), campaignID, version, inFlight).Error
	return dbError("start migration", err, nil)
}

// MigrateBatch moves the next batch of at most limit in-flight invitations
// of campaignID to version, each judged again from its stored events
// (migrate_inflight_batch), in the context's transaction, which should end
// right after: its locks are the batch's. finished says the migration has
// no invitation left to move.
func MigrateBatch(ctx context.Context, campaignID string, version, limit int) (moved int, finished bool, err error) {
	tx, err := db(ctx)
	if err != nil {
		return 0, false, err
	}
	var out struct {
		Moved    int
		Finished bool
	}
	err = tx.Raw(`SELECT moved, finished FROM migrate_inflight_batch(?, ?, ?, ?)`, tenantOf(ctx), campaignID, version, limit).
		Scan(&out).Error
	if err != nil {
		return 0, false, dbError("migrate batch", err, nil)
	}
	return out.Moved, out.Finished, nil
}

// LatestMigration is the campaign's most recent migration, running or
// finished, or nil when it never had one.
func LatestMigration(ctx context.Context, campaignID string) (*CampaignMigration, error) {
	tx, err := db(ctx)
	if err != nil {
		return nil, err
	}
	var m []CampaignMigration
	err = tx.Raw(`SELECT version, in_flight, migrated, started_at, finished_at FROM campaign_migrations
		WHERE tenant_id = ? AND campaign_id = ? ORDER BY version DESC LIMIT 1`, tenantOf(ctx), campaignID).Scan(&m).Error
	if err != nil {
		return nil, fmt.Errorf("latest migration: %w", err)
	}
	if len(m) == 0 {
		return nil, nil
	}
	return &m[0], nil
}
