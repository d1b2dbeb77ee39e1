package models_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/uuid"

	"github.com/tandemhq/tandem/models"
)

// asPurger is the setup of an attack run as tandem_purger, the role the
// purge runs as (the owner's connection may switch to it).
var asPurger = []sqlStmt{q(`SET LOCAL ROLE tandem_purger`)}

// The purge is one narrow path: tandem_app may call purge_tenant, which
// refuses before the grace period ends and for any tenant but the
// transaction's; nobody may shorten the grace period; the guards of the
// rows never deleted otherwise let a delete through as tandem_purger only,
// and only once the tenant is due.
func TestSchemaPurgePath(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	due := env.NewTenant(t, "").TenantID
	for _, id := range []uuid.UUID{tenant, due} {
		env.InTenant(t, id, func(ctx context.Context) error {
			publish(t, ctx, campaignSpec{slug: "purge", mode: models.ModeInvitation, steps: []string{"signup_complete"}, milestones: []int64{500}})
			inv := mustInvite(t, ctx, "purge", "host")
			mustClaim(t, ctx, inv.Code, "guest")
			return event(ctx, "guest", "signup_complete")
		})
		scheduleDeletion(t, id)
	}
	endGracePeriod(t, due)
	r := newRawDB(t)
	rows := func(table string, id uuid.UUID) int64 {
		return r.int(id, fmt.Sprintf(`SELECT count(*) FROM %s WHERE tenant_id = $1`, table), id.String())
	}

	r.run(t, tenant, []attack{
		{name: "purge during the grace period", stmt: q(`SELECT purge_tenant(app_tenant_id(), 1000, true)`),
			code: checkViolation, constraint: "tenant_deletion_not_due"},
		{name: "purge another tenant, due", stmt: q(`SELECT purge_tenant($1, 1000, true)`, due.String()),
			code: insufficientPriv, msg: "its tenant's transaction"},
		{name: "bring the date forward as tandem_app",
			stmt: q(`UPDATE tenants SET deletion_requested_at = now() - interval '8 days', deletion_due_at = now()`), code: insufficientPriv},
		{name: "become the purger as tandem_app", stmt: q(`SET LOCAL ROLE tandem_purger`), code: insufficientPriv},
		{name: "move where the purge resumes as tandem_app", stmt: q(`UPDATE tenants SET purge_from = 'audit_log'`), code: insufficientPriv},
		{name: "delete events as tandem_app", stmt: q(`DELETE FROM events`), code: insufficientPriv},
		{name: "schedule without the name", stmt: q(`SELECT schedule_tenant_deletion(app_tenant_id(), 'yes')`),
			code: checkViolation, constraint: "tenant_deletion_confirmation"},
		{name: "undo another tenant's deletion", stmt: q(`SELECT cancel_tenant_deletion($1)`, due.String()),
			code: insufficientPriv, msg: "its tenant's transaction"},
		// The owner, a superuser, meets the CHECK and the guards.
		{name: "a grace period of a day", owner: true,
			stmt: q(`UPDATE tenants SET deletion_requested_at = now(), deletion_due_at = now() + interval '1 day' WHERE id = $1`, tenant.String()),
			code: checkViolation, constraint: "tenant_deletion_grace"},
		{name: "a request without a date", owner: true,
			stmt: q(`UPDATE tenants SET deletion_due_at = NULL WHERE id = $1`, tenant.String()),
			code: checkViolation, constraint: "tenant_deletion_grace"},
		{name: "delete events as the purger before the date", owner: true, setup: asPurger,
			stmt: q(`DELETE FROM events WHERE tenant_id = $1`, tenant.String()), code: checkViolation, constraint: "append_only"},
		{name: "delete the audit log as the purger before the date", owner: true, setup: asPurger,
			stmt: q(`DELETE FROM audit_log WHERE tenant_id = $1`, tenant.String()), code: checkViolation, constraint: "append_only"},
		{name: "delete rewards as the purger before the date", owner: true, setup: asPurger,
			stmt: q(`DELETE FROM reward_tokens WHERE tenant_id = $1`, tenant.String()), code: checkViolation, constraint: "reward_never_revoked"},
	})
	r.run(t, due, []attack{
		{name: "delete a due tenant's events as owner", owner: true,
			stmt: q(`DELETE FROM events WHERE tenant_id = $1`, due.String()), code: checkViolation, constraint: "append_only"},
		{name: "delete a due tenant's audit log as owner", owner: true,
			stmt: q(`DELETE FROM audit_log WHERE tenant_id = $1`, due.String()), code: checkViolation, constraint: "append_only"},
		{name: "delete a due tenant's events as the referee", owner: true, setup: asReferee,
			stmt: q(`DELETE FROM events WHERE tenant_id = $1`, due.String()), code: insufficientPriv},
		{name: "rewrite a due tenant's event as the purger", owner: true, setup: asPurger,
			stmt: q(`UPDATE events SET name = 'x' WHERE tenant_id = $1`, due.String()), code: insufficientPriv},
		// The one path: the purger, once due.
		{name: "delete a due tenant's events as the purger", owner: true, setup: asPurger,
			stmt: q(`DELETE FROM events WHERE tenant_id = $1`, due.String()), rows: rows("events", due)},
		{name: "delete a due tenant's audit log as the purger", owner: true, setup: asPurger,
			stmt: q(`DELETE FROM audit_log WHERE tenant_id = $1`, due.String()), rows: rows("audit_log", due)},
		{name: "the purger sees no other tenant's rows", owner: true, setup: asPurger,
			stmt: q(`DELETE FROM events WHERE tenant_id = $1`, tenant.String()), rows: 0},
	})
}

// Events and claims sent while the purge runs (requests already past the
// key check, which refuses the account's keys from the day its deletion is
// scheduled) either succeed and are purged, or are refused with an error
// of models, which the surfaces answer with a 4xx, never a 500; none
// survives the purge, and after it they are refused.
func TestPurgeWithConcurrentWrites(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	var codes []string
	env.InTenant(t, tenant, func(ctx context.Context) error {
		publish(t, ctx, campaignSpec{slug: "race", mode: models.ModeInvitation, steps: []string{"signup_complete"}, milestones: []int64{500}})
		for i := range 200 {
			codes = append(codes, mustInvite(t, ctx, "race", fmt.Sprintf("host-%d", i%20)).Code)
		}
		return nil
	})
	scheduleDeletion(t, tenant)
	endGracePeriod(t, tenant)

	write := func(w, i int) error {
		return env.TryInTenant(tenant, func(ctx context.Context) error {
			guest := fmt.Sprintf("guest-%d-%d", w, i)
			if w%2 == 0 {
				_, err := models.Claim(ctx, codes[(w*1000+i)%len(codes)], guest)
				return err
			}
			return event(ctx, guest, "signup_complete")
		})
	}
	// A write is refused with one of models' errors, or it succeeds.
	refused := func(err error) bool {
		var me *models.Error
		var ve *models.ValidationError
		return errors.As(err, &me) || errors.As(err, &ve)
	}
	var wg sync.WaitGroup
	var succeeded, failed atomic.Int64
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 40 {
				switch err := write(w, i); {
				case err == nil:
					succeeded.Add(1)
				case refused(err):
					failed.Add(1)
				default:
					t.Errorf("a write during the purge failed unmapped: %v", err)
					return
				}
			}
		}()
	}
	purgeBatches(t, tenant, 20)
	wg.Wait()
	t.Logf("writes during the purge: %d succeeded, %d refused", succeeded.Load(), failed.Load())
	// What the writers left after the purge's end is taken by another run.
	purgeBatches(t, tenant, 20)
	if got := tenantRows(t, tenant); len(got) > 0 {
		t.Errorf("after the purge the tenant still has rows in %v", got)
	}
	for w := range 2 {
		if err := write(w, 1000); !refused(err) {
			t.Errorf("a write after the purge: %v", err)
		}
	}
	// A write that needs nothing of the account but the account itself
	// meets its foreign key to tenants.
	err := env.TryInTenant(tenant, func(ctx context.Context) error {
		_, _, err := models.UpsertParticipant(ctx, models.ParticipantInput{ExternalID: "late"})
		return err
	})
	if !errors.Is(err, models.ErrAccountDeleted) {
		t.Errorf("a participant written after the purge: %v", err)
	}
}
