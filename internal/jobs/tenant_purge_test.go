package jobs_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/tandemhq/tandem/internal/dbtest"
	"github.com/tandemhq/tandem/internal/jobs"
	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

// purgeTenant is a tenant with a participant and webhook messages queued
// to an endpoint (River's jobs name it), whose deletion is scheduled; due
// moves it 8 days back, past its grace period.
func purgeTenant(t *testing.T, due bool) uuid.UUID {
	t.Helper()
	api := newAPIClient(t)
	api.call("POST", "/v1/webhook-endpoints", map[string]any{"url": "https://example.invalid/hook", "events": []string{"*"}}, 201)
	api.call("POST", "/v1/participants", map[string]any{"external_id": "ada", "email": "ada@example.com"}, 201)
	tenant := api.created.TenantID
	err := tenants.WithTenant(context.Background(), env.App, tenant, func(ctx context.Context) error {
		_, err := models.ScheduleAccountDeletion(ctx, api.created.Slug)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if due {
		asked := time.Now().Add(-8 * 24 * time.Hour)
		if err := env.Owner.Exec(`UPDATE tenants SET deletion_requested_at = ?, deletion_due_at = ? WHERE id = ?`,
			asked, asked.Add(7*24*time.Hour), tenant).Error; err != nil {
			t.Fatal(err)
		}
	}
	return tenant
}

// tenantRowCount counts the tenant's rows everywhere, its own included.
func tenantRowCount(t *testing.T, tenant uuid.UUID) int64 {
	t.Helper()
	var n int64
	for _, c := range env.RowsHolding(t, tenant, []string{tenant.String()}) {
		n += c
	}
	var own int64
	if err := env.Owner.Raw(`SELECT count(*) FROM tenants WHERE id = ?`, tenant).Scan(&own).Error; err != nil {
		t.Fatal(err)
	}
	return n + own
}

// The purge removes the account whose grace period is over, River's jobs
// that name it included, and leaves the one still in its grace period even
// with a clock a month ahead (the schema judges by the database's); the
// periodic job (River's leader queues it) does the same, and no other
// sweep queues a job naming the tenant after it.
func TestTenantPurgeRunsPeriodically(t *testing.T) {
	due, waiting := purgeTenant(t, true), purgeTenant(t, false)
	waitingRows := tenantRowCount(t, waiting)
	ahead := jobs.Config{DB: env.App, Now: func() time.Time { return time.Now().Add(30 * 24 * time.Hour) }}
	n, err := jobs.PurgeDeletedAccounts(context.Background(), ahead)
	if err != nil {
		t.Fatal(err)
	}
	if got := tenantRowCount(t, due); got != 0 || n == 0 {
		t.Errorf("the due tenant: %d rows left, %d removed", got, n)
	}
	if got := tenantRowCount(t, waiting); got != waitingRows {
		t.Fatalf("a clock a month ahead purged the tenant still in its grace period: %d rows, before %d", got, waitingRows)
	}

	due = purgeTenant(t, true)
	startServer(t, time.Now, func(cfg *jobs.Config) { cfg.RetentionInterval = 200 * time.Millisecond })
	dbtest.WaitFor(t, func() bool { return tenantRowCount(t, due) == 0 }, "the due tenant's rows to go")
	// No sweep queues a job for it afterwards (retention's runs as often):
	// its deletion took it out of their lookups a week before.
	time.Sleep(time.Second)
	if left := env.RowsHolding(t, due, []string{due.String()}); len(left) > 0 {
		t.Errorf("after the purge the tenant has rows again in %v", left)
	}
	if got := tenantRowCount(t, waiting); got < waitingRows {
		t.Errorf("the tenant in its grace period: %d rows, before %d", got, waitingRows)
	}
}
