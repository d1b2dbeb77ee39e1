package jobs

import (
	"context"

	"github.com/google/uuid"
	"github.com/riverqueue/river"
)

// Invitation expiry works as reward expiry does, per tenant: the periodic
// sweep (invitationExpiryArgs, on the reward sweep's schedule) only queues
// one job per tenant with due invitations (tenantInvitationExpiryArgs);
// each marks its tenant's invitations expired in batches (expiry_sweep.go).
// Marking is what lets invitation.expired be sent: an invitation's status
// is otherwise derived from the clock, which changes no row.

// invitationExpiryArgs are the arguments of the periodic sweep (none).
type invitationExpiryArgs struct{}

func (invitationExpiryArgs) Kind() string { return "invitation_expiry" }

// tenantInvitationExpiryArgs are the arguments of one tenant's expiry.
type tenantInvitationExpiryArgs struct {
	TenantID uuid.UUID `json:"tenant_id"`
}

func (tenantInvitationExpiryArgs) Kind() string { return "invitation_expiry_tenant" }

// InsertOpts keeps one tenant's expiry queued once, as for rewards.
func (tenantInvitationExpiryArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: waitingOrRunning}}
}

// invitationExpiryWorker is the sweep: it lists the tenants with pending
// invitations past their expiry and queues each one's expiry.
type invitationExpiryWorker struct {
	river.WorkerDefaults[invitationExpiryArgs]
	cfg Config
}

func (w *invitationExpiryWorker) Work(ctx context.Context, _ *river.Job[invitationExpiryArgs]) error {
	return invitationExpiry.queue(ctx, w.cfg, func(tenant uuid.UUID) river.JobArgs {
		return tenantInvitationExpiryArgs{TenantID: tenant}
	})
}

// tenantInvitationExpiryWorker marks one tenant's due invitations expired.
// Two runs at once mark each invitation once (models.ExpireDueInvitations
// skips rows another run holds and takes only unmarked ones).
type tenantInvitationExpiryWorker struct {
	river.WorkerDefaults[tenantInvitationExpiryArgs]
	cfg Config
}

func (w *tenantInvitationExpiryWorker) Work(ctx context.Context, job *river.Job[tenantInvitationExpiryArgs]) error {
	return invitationExpiry.work(ctx, w.cfg, job.Args.TenantID)
}
