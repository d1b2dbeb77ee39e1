package models_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/tandemhq/tandem/models"
)

// A removed member's team invitations stay open, with no sender: the
// foreign key on invited_by has no ON DELETE action (Citus refuses one that
// sets a column of a key holding the distribution column), and the trigger
// members_forget_inviter clears the column first.
func TestRemovedMemberLeavesInvitationsStanding(t *testing.T) {
	tenant := env.NewTenant(t, "").TenantID
	var inviter models.Member
	var inv models.MemberInvitation
	env.InTenant(t, tenant, func(ctx context.Context) error {
		var err error
		if inviter, err = models.InsertMember(ctx, "inviter@team.test", "$argon2id$not-checked-here", "admin"); err != nil {
			return err
		}
		inv, err = models.InsertMemberInvitation(ctx, "newcomer@team.test", "viewer", inviter.ID, bytes.Repeat([]byte{7}, 32), time.Now().Add(time.Hour))
		if err != nil {
			return err
		}
		return models.RemoveMember(ctx, inviter.ID)
	})
	r := newRawDB(t)
	if got := r.str(tenant, `SELECT coalesce(invited_by, 'none') || ' ' || (accepted_at IS NULL AND revoked_at IS NULL)::text
		FROM member_invitations WHERE id = $1`, inv.ID); got != "none true" {
		t.Errorf("after the inviter's removal the invitation reads %q, want no sender and still open", got)
	}
	r.run(t, tenant, []attack{
		{name: "an invitation naming a removed member", owner: true,
			stmt: q(`UPDATE member_invitations SET invited_by = $1 WHERE id = $2`, inviter.ID, inv.ID),
			code: foreignKeyViolation, constraint: "member_invitations_tenant_id_invited_by_fkey"},
	})
}
