package jobs

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// Reward expiry is work per tenant, so that no tenant's volume holds up
// another's: River's leader runs a sweep on a schedule (expiryArgs), which
// only queues one job per tenant with due rewards (tenantExpiryArgs); each
// of those expires its tenant's tokens in batches of expiryBatch, one
// transaction a batch, at most expiryBatchesPerRun batches a run, and
// snoozes for the rest. A batch's transaction queues at most expiryBatch
// reward.expired messages, each fanned out to the tenant's endpoints
// (at most the plan's webhook endpoints).
const (
	expiryBatch         = 200
	expiryBatchesPerRun = 10
)

// expiryArgs are the arguments of the periodic sweep (none).
type expiryArgs struct{}

func (expiryArgs) Kind() string { return "reward_expiry" }

// tenantExpiryArgs are the arguments of one tenant's expiry.
type tenantExpiryArgs struct {
	TenantID uuid.UUID `json:"tenant_id"`
}

func (tenantExpiryArgs) Kind() string { return "reward_expiry_tenant" }

// InsertOpts keeps one tenant's expiry queued once: a sweep that finds the
// tenant still due while its job waits or runs adds nothing.
func (tenantExpiryArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: waitingOrRunning}}
}

// waitingOrRunning are the states in which a job of a kind queued once at
// a time keeps another from being queued.
var waitingOrRunning = []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStatePending,
	rivertype.JobStateRetryable, rivertype.JobStateRunning, rivertype.JobStateScheduled}

// expiryWorker is the sweep: it lists the tenants with issued reward
// tokens past their expiry and queues each one's expiry.
type expiryWorker struct {
	river.WorkerDefaults[expiryArgs]
	cfg Config
}

func (w *expiryWorker) Work(ctx context.Context, _ *river.Job[expiryArgs]) error {
	return rewardExpiry.queue(ctx, w.cfg, func(tenant uuid.UUID) river.JobArgs { return tenantExpiryArgs{TenantID: tenant} })
}

// tenantExpiryWorker expires one tenant's due tokens. Two runs at once (a
// sweep's job beside a retry) still expire each token once: the update
// takes only tokens still issued, under their row locks, and the
// reward.expired message is the status change's own trigger.
type tenantExpiryWorker struct {
	river.WorkerDefaults[tenantExpiryArgs]
	cfg Config
}

// expirySnooze is the pause before a tenant with more due tokens than one
// run takes goes on: the other tenants' jobs get the workers meanwhile.
const expirySnooze = time.Second

func (w *tenantExpiryWorker) Work(ctx context.Context, job *river.Job[tenantExpiryArgs]) error {
	return rewardExpiry.work(ctx, w.cfg, job.Args.TenantID)
}

// ExpireRewards expires every issued token due at cfg.Now(), tenant by
// tenant, and says how many it expired: what the sweep and its jobs do,
// run to the end in the caller. Tests call it with their clock.
func ExpireRewards(ctx context.Context, cfg Config) (int, error) {
	return rewardExpiry.all(ctx, cfg)
}
