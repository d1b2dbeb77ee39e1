package models_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/tandemhq/tandem/models"
)

// An invitation's expiry mark (expired_at, which sends invitation.expired)
// is set once, by the sweep, on a pending manual invitation past its
// expiry, to a time between expires_at and now; nothing else sets, moves
// or clears it, as tandem_app or as the owner with the triggers on. Past
// invitations are made by back-dating fresh ones with the triggers off
// (now() cannot be faked), as TestSchemaRule1ExpiredInvitation does.
func TestSchemaInvitationExpiryMarkedOnce(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	var past, marked, claimed, live models.Invitation
	env.InTenant(t, tenant, func(ctx context.Context) error {
		publish(t, ctx, campaignSpec{slug: "expiry", mode: models.ModeInvitation, steps: []string{"signup_complete"}})
		past, marked = mustInvite(t, ctx, "expiry", "alice"), mustInvite(t, ctx, "expiry", "alice")
		claimed, live = mustInvite(t, ctx, "expiry", "alice"), mustInvite(t, ctx, "expiry", "alice")
		mustClaim(t, ctx, claimed.Code, "carol")
		addParticipants(t, tenant, "bob")
		return nil
	})
	ownerWithoutTriggers(t, `UPDATE invitations SET created_at = now() - interval '2 hours', expires_at = now() - interval '1 hour'
		WHERE tenant_id = ? AND id IN (?, ?, ?)`, tenant.String(), past.ID, marked.ID, claimed.ID)
	// The sweep's own step marks the two pending past ones; past is then
	// un-marked behind the triggers to serve as the control below.
	env.InTenant(t, tenant, func(ctx context.Context) error {
		n, more, err := models.ExpireDueInvitations(ctx, time.Now(), 10)
		if err != nil || n != 2 || more {
			t.Fatalf("ExpireDueInvitations: %d marked (more %v), %v; want the 2 pending past ones", n, more, err)
		}
		n, _, err = models.ExpireDueInvitations(ctx, time.Now(), 10)
		if err != nil || n != 0 {
			t.Fatalf("ExpireDueInvitations again: %d marked, %v", n, err)
		}
		return nil
	})
	ownerWithoutTriggers(t, `UPDATE invitations SET expired_at = NULL WHERE tenant_id = ? AND id = ?`, tenant.String(), past.ID)

	r := newRawDB(t)
	bob := r.participant(tenant, "bob")
	mark := func(id, at string) sqlStmt {
		return q(`UPDATE invitations SET expired_at = `+at+` WHERE id = $1`, id)
	}
	attacks := []attack{
		{name: "mark a live invitation", stmt: mark(live.ID, "now()")},
		{name: "mark a claimed invitation past its expiry", stmt: mark(claimed.ID, "now()")},
		// A value, not arithmetic on the column, which Citus refuses in an
		// UPDATE before the rule could.
		{name: "mark a past invitation before its expiry",
			stmt: mark(past.ID, "'"+r.str(tenant, `SELECT (expires_at - interval '1 second')::text FROM invitations WHERE id = $1`, past.ID)+"'")},
		{name: "mark a past invitation in the future", stmt: mark(past.ID, "now() + interval '1 hour'")},
		{name: "mark and claim a past invitation at once",
			stmt: q(`UPDATE invitations SET expired_at = now(), guest_id = $1 WHERE id = $2`, bob, past.ID)},
		{name: "move the mark", stmt: mark(marked.ID, "expires_at")},
		{name: "clear the mark", stmt: mark(marked.ID, "NULL")},
		{name: "mark twice in one transaction", setup: []sqlStmt{mark(past.ID, "now()")}, stmt: mark(past.ID, "expires_at")},
	}
	for i := range attacks {
		attacks[i].code, attacks[i].constraint = checkViolation, "invitation_expiry_marked_once"
	}
	var asOwner []attack
	for _, a := range attacks {
		a.name, a.owner = a.name+" (as the owner)", true
		asOwner = append(asOwner, a)
	}
	r.run(t, tenant, append(attacks, append(asOwner,
		attack{name: "insert a marked invitation",
			stmt: q(`INSERT INTO invitations (campaign_id, kind, host_id, code, expired_at)
				VALUES ($1, 'invitation', $2, register_code('invitation'), now())`,
				r.str(tenant, `SELECT campaign_id FROM invitations WHERE id = $1`, live.ID),
				r.str(tenant, `SELECT host_id FROM invitations WHERE id = $1`, live.ID)),
			code: checkViolation, constraint: "invitation_expiry_marked_once"},
		attack{name: "claim a marked invitation",
			stmt: q(`UPDATE invitations SET guest_id = $1 WHERE id = $2`, bob, marked.ID),
			code: checkViolation, constraint: "invitation_expired"},
		attack{name: "control: mark a pending invitation past its expiry", stmt: mark(past.ID, "now()"), rows: 1},
		attack{name: "control: as the owner", owner: true, stmt: mark(past.ID, "expires_at"), rows: 1},
	)...))
	err := env.TryInTenant(tenant, func(ctx context.Context) error { _, err := models.Claim(ctx, marked.Code, "bob"); return err })
	if !errors.Is(err, models.ErrInvitationExpired) {
		t.Fatalf("models.Claim of a marked invitation: %v", err)
	}
}

// ownerWithoutTriggers runs one fixture statement as the owner with the
// triggers off (session_replication_role = replica, which on Citus reaches
// the shards once propagate_set_commands says so), committed.
func ownerWithoutTriggers(t *testing.T, sql string, args ...any) {
	t.Helper()
	err := env.Owner.Transaction(func(tx *gorm.DB) error {
		for _, set := range []string{`SET LOCAL citus.propagate_set_commands = 'local'`, `SET LOCAL session_replication_role = replica`} {
			if err := tx.Exec(set).Error; err != nil {
				return err
			}
		}
		return tx.Exec(sql, args...).Error
	})
	if err != nil {
		t.Fatalf("with triggers off: %v", err)
	}
}
