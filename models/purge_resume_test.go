package models_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"

	"github.com/tandemhq/tandem/models"
)

// purgeFrom is where the tenant's purge resumes (tenants.purge_from).
func purgeFrom(t *testing.T, tenant uuid.UUID) string {
	t.Helper()
	var at *string
	must(t, env.Owner.Raw(`SELECT purge_from FROM tenants WHERE id = ?`, tenant).Scan(&at).Error)
	if at == nil {
		return ""
	}
	return *at
}

// A batch resumes at the table where the last one found rows, and rows
// written behind it are still taken: a late event, pointing at a
// participant the purge has yet to delete, makes a batch fail at its
// foreign key, and the next starts from the first table; a late
// participant, written once the purge is at the audit log (the last table),
// is found when the tables before are probed once more before the tenant
// goes.
func TestPurgeAccountResumes(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	env.InTenant(t, tenant, func(ctx context.Context) error {
		publish(t, ctx, campaignSpec{slug: "purge", mode: models.ModeInvitation, steps: []string{"signup_complete"}, milestones: []int64{500}})
		for _, host := range []string{"amy", "bea", "cy", "dan"} {
			mustClaim(t, ctx, mustInvite(t, ctx, "purge", host).Code, "guest-"+host)
			must(t, event(ctx, "guest-"+host, "signup_complete"))
		}
		return nil
	})
	scheduleDeletion(t, tenant)
	endGracePeriod(t, tenant)
	purgeUntil := func(table string) {
		t.Helper()
		raced := false
		for i := 0; purgeFrom(t, tenant) != table; i++ {
			if i == 1000 {
				t.Fatalf("the purge never resumes at %s", table)
			}
			err := env.TryInTenant(tenant, func(ctx context.Context) error {
				_, err := models.PurgeAccountBatch(ctx, 2, raced)
				return err
			})
			if raced = errors.Is(err, models.ErrPurgeRaced); !raced {
				must(t, err)
			}
		}
	}
	purgeUntil("participants")
	var participant string
	must(t, env.Owner.Raw(`SELECT id FROM participants WHERE tenant_id = ? ORDER BY id LIMIT 1`, tenant).Scan(&participant).Error)
	must(t, env.Owner.Exec(`INSERT INTO events (tenant_id, participant_id, name) VALUES (?, ?, 'signup_complete')`, tenant, participant).Error)
	purgeUntil("audit_log")
	must(t, env.Owner.Exec(`INSERT INTO participants (tenant_id, external_id) VALUES (?, 'late')`, tenant).Error)
	purgeBatches(t, tenant, 2)
	if got := tenantRows(t, tenant); len(got) > 0 {
		t.Errorf("after the purge the tenant still has rows in %v", got)
	}
}
