package jobs_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/tandemhq/tandem/internal/dbtest"
	"github.com/tandemhq/tandem/internal/jobs"
	"github.com/tandemhq/tandem/internal/webtest"
)

// replays are a tenant's stored Idempotency-Key responses, by key.
func replays(t *testing.T, tenant uuid.UUID) []string {
	t.Helper()
	var keys []string
	if err := env.Owner.Raw(`SELECT key FROM api_idempotency WHERE tenant_id = ? ORDER BY key`, tenant).Scan(&keys).Error; err != nil {
		t.Fatal(err)
	}
	return keys
}

// retentionTenant is a tenant with a replay 25 hours old ("old") and a
// fresh one ("new"), made through the API; keepHours, if not zero, is its
// idempotency period.
func retentionTenant(t *testing.T, keepHours int) *apiClient {
	api := newAPIClient(t)
	if keepHours != 0 {
		api.call("PUT", "/v1/settings/retention", map[string]any{"event_properties_days": 365, "idempotency_hours": keepHours, "webhook_days": 30}, 200)
	}
	for _, key := range []string{"old", "new"} {
		r := webtest.Do(t, api.app, "POST", "/v1/event-definitions", map[string]any{"name": "signup_" + key},
			"Authorization", "Bearer "+api.created.SecretKey, "Idempotency-Key", key)
		if r.Status != 201 {
			t.Fatalf("POST with Idempotency-Key %s: %d %s", key, r.Status, r.Body)
		}
	}
	dbtest.WithoutTriggers(t, env.Owner, func(tx *gorm.DB) error {
		return tx.Exec(`UPDATE api_idempotency SET created_at = now() - interval '25 hours' WHERE tenant_id = ? AND key = 'old'`,
			api.created.TenantID).Error
	})
	return api
}

// Retention follows the job's clock, within the database's: two hours back
// the old replay is not yet due, at the present it goes, and the fresh one
// stays even with a clock a week ahead.
func TestRetentionFollowsTheClock(t *testing.T) {
	api := retentionTenant(t, 0)
	at := func(now time.Time) jobs.Config {
		return jobs.Config{DB: env.App, Now: func() time.Time { return now }}
	}
	if _, err := jobs.EnforceRetention(context.Background(), at(time.Now().Add(-2*time.Hour))); err != nil {
		t.Fatal(err)
	}
	if got := replays(t, api.created.TenantID); len(got) != 2 {
		t.Errorf("two hours back: replays %v, want both", got)
	}
	for _, now := range []time.Time{time.Now(), time.Now().Add(7 * 24 * time.Hour)} {
		if _, err := jobs.EnforceRetention(context.Background(), at(now)); err != nil {
			t.Fatal(err)
		}
		if got := replays(t, api.created.TenantID); len(got) != 1 || got[0] != "new" {
			t.Errorf("at %v: replays %v, want only the fresh one", now, got)
		}
	}
}

// The periodic job (River's leader queues one run per tenant) removes one
// tenant's old replay and leaves another's, kept for two days.
func TestRetentionRunsPeriodicallyPerTenant(t *testing.T) {
	short, long := retentionTenant(t, 0), retentionTenant(t, 48)
	startServer(t, time.Now, func(cfg *jobs.Config) { cfg.RetentionInterval = 200 * time.Millisecond })
	dbtest.WaitFor(t, func() bool { return len(replays(t, short.created.TenantID)) == 1 }, "the short tenant's old replay to go")
	time.Sleep(500 * time.Millisecond) // a few more runs
	if got := replays(t, long.created.TenantID); len(got) != 2 {
		t.Errorf("the tenant keeping replays two days: %v, want both", got)
	}
}
