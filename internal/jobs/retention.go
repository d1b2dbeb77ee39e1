package jobs

import (
	"context"

	"github.com/google/uuid"
	"github.com/riverqueue/river"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

// Retention works as expiry does, per tenant (expiry_sweep.go): the
// periodic sweep (retentionArgs, every RetentionInterval, inserted by
// River's leader only, so once per cluster) queues one job per tenant
// (tenantRetentionArgs); each removes what its tenant's periods let go of
// through the schema's retention functions, a batch of expiryBatch rows of
// each kind a transaction: a batch holds its rows' locks for a few
// milliseconds, and takes none that ingestion holds or waits for (it skips
// locked rows, and touches no row an event's insert locks).
//
// Event properties are a kind of their own, in transactions of their own:
// they are blanked as erasure's role, the rest as the referee, and on Citus
// a transaction reaches a tenant's shards as one user only.
var retentionKinds = []expiry{
	{due: tenants.All, batch: models.EnforceRetention},
	{due: tenants.All, batch: models.BlankOldEventProperties},
}

// retentionArgs are the arguments of the periodic sweep (none).
type retentionArgs struct{}

func (retentionArgs) Kind() string { return "retention" }

// tenantRetentionArgs are the arguments of one tenant's retention.
type tenantRetentionArgs struct {
	TenantID uuid.UUID `json:"tenant_id"`
}

func (tenantRetentionArgs) Kind() string { return "retention_tenant" }

// InsertOpts keeps one tenant's retention queued once, as for expiry.
func (tenantRetentionArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: waitingOrRunning}}
}

// retentionWorker is the sweep: it queues every tenant's retention.
type retentionWorker struct {
	river.WorkerDefaults[retentionArgs]
	cfg Config
}

func (w *retentionWorker) Work(ctx context.Context, _ *river.Job[retentionArgs]) error {
	return retentionKinds[0].queue(ctx, w.cfg, func(tenant uuid.UUID) river.JobArgs { return tenantRetentionArgs{TenantID: tenant} })
}

// tenantRetentionWorker enforces one tenant's retention.
type tenantRetentionWorker struct {
	river.WorkerDefaults[tenantRetentionArgs]
	cfg Config
}

// Work does each kind's batches in turn, and snoozes as expiry does when
// one may have more.
func (w *tenantRetentionWorker) Work(ctx context.Context, job *river.Job[tenantRetentionArgs]) error {
	more := false
	for _, kind := range retentionKinds {
		_, kindMore, err := kind.tenant(ctx, w.cfg, job.Args.TenantID, expiryBatchesPerRun)
		if err != nil {
			return err
		}
		more = more || kindMore
	}
	if more {
		return river.JobSnooze(expirySnooze)
	}
	return nil
}

// EnforceRetention does every tenant's retention at cfg.Now(), run to the
// end in the caller, and says how many rows it removed or blanked: what
// the sweep and its jobs do. Tests call it with their clock.
func EnforceRetention(ctx context.Context, cfg Config) (int, error) {
	total := 0
	for _, kind := range retentionKinds {
		n, err := kind.all(ctx, cfg)
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}
