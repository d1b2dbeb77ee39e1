package jobs

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

// A campaign's migration of its in-flight invitations to the version
// published with "migrate" (models/campaign_migrations.go): the publishing
// transaction records it and its trigger queues this job
// (campaign_migrations_queue), which moves the invitations a batch a
// transaction until none is left.

// campaignMigrationArgs name the migration: its tenant, campaign and
// version (the arguments campaign_migrations_queue writes).
type campaignMigrationArgs struct {
	TenantID   uuid.UUID `json:"tenant_id"`
	CampaignID string    `json:"campaign_id"`
	Version    int       `json:"version"`
}

func (campaignMigrationArgs) Kind() string { return "campaign_migration" }

// migrationRun is how long one run moves batches before it gives its
// worker back (snoozed, it is taken again at once): well within River's
// job timeout, and other jobs of the queue get their turn.
const migrationRun = 10 * time.Second

// campaignMigrationWorker runs a migration's batches. Two runs at once
// take turns on the migration's row, and each batch moves only what is
// still below the version, so a retried or duplicated run moves nothing
// twice.
type campaignMigrationWorker struct {
	river.WorkerDefaults[campaignMigrationArgs]
	cfg Config
}

func (w *campaignMigrationWorker) Work(ctx context.Context, job *river.Job[campaignMigrationArgs]) error {
	finished, err := runMigration(ctx, w.cfg, job.Args, w.cfg.Now().Add(migrationRun))
	if err != nil || finished {
		return err
	}
	return river.JobSnooze(0)
}

// runMigration runs a's batches, each in a transaction of its tenant, until
// the migration is finished or until is past.
func runMigration(ctx context.Context, cfg Config, a campaignMigrationArgs, until time.Time) (finished bool, err error) {
	for !finished && cfg.Now().Before(until) {
		err = tenants.WithTenant(ctx, cfg.DB, a.TenantID, func(ctx context.Context) error {
			_, finished, err = models.MigrateBatch(ctx, a.CampaignID, a.Version, models.MigrationBatch)
			return err
		})
		if err != nil {
			return false, err
		}
	}
	return finished, nil
}
