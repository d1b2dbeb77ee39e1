package models

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// MemberInvitation is an invitation to join the team with a role. Its join
// link's token is known only to the inviter; the table keeps its SHA-256.
type MemberInvitation struct {
	ID         string     `json:"id"`
	Email      string     `json:"email"`
	Role       string     `json:"role"`
	InvitedBy  *string    `json:"invited_by"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  time.Time  `json:"expires_at"`
	AcceptedAt *time.Time `json:"accepted_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
}

// Member invitation statuses, as Status reports them.
const (
	InvitationPending  = "pending"
	InvitationAccepted = "accepted"
	InvitationRevoked  = "revoked"
	InvitationExpired  = "expired"
)

// Status says whether the invitation can still be accepted at now.
func (i MemberInvitation) Status(now time.Time) string {
	switch {
	case i.AcceptedAt != nil:
		return InvitationAccepted
	case i.RevokedAt != nil:
		return InvitationRevoked
	case !now.Before(i.ExpiresAt):
		return InvitationExpired
	}
	return InvitationPending
}

// Errors of member invitations. The schema's member_invitations_guard
// raises the last two, so no code path can use an invitation twice or late.
var (
	ErrMemberInvitationNotFound = &Error{NotFound, "member_invitation_not_found", "no such invitation"}
	ErrMemberInvitationUsed     = &Error{Conflict, "member_invitation_used", "this invitation has already been used or withdrawn"}
	ErrMemberInvitationExpired  = &Error{Gone, "member_invitation_expired", "this invitation has expired"}
)

const memberInvitationColumns = `id, email, role, invited_by, created_at, expires_at, accepted_at, revoked_at`

// InsertMemberInvitation invites email to the team with role, on behalf of
// the member invitedBy. tokenHash is the SHA-256 of the join link's token.
// Pending invitations of the same address are revoked: the newest link is
// the only one that works.
func InsertMemberInvitation(ctx context.Context, email, role, invitedBy string, tokenHash []byte, expiresAt time.Time) (MemberInvitation, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if err := validateEmail("email", email); err != nil {
		return MemberInvitation{}, err
	}
	if !ValidRole(role) {
		return MemberInvitation{}, invalid("role", "invalid_role", "roles are owner, admin, marketer and viewer")
	}
	tx, err := db(ctx)
	if err != nil {
		return MemberInvitation{}, err
	}
	var taken bool
	if err := tx.Raw(`SELECT EXISTS (SELECT 1 FROM members WHERE tenant_id = ? AND email = ?)`, tenantOf(ctx), email).Scan(&taken).Error; err != nil {
		return MemberInvitation{}, fmt.Errorf("invite member: %w", err)
	}
	if taken {
		return MemberInvitation{}, invalid("email", "already_member", "this address is already on the team")
	}
	var replaced []MemberInvitation
	err = tx.Raw(`UPDATE member_invitations SET revoked_at = now()
		WHERE tenant_id = ? AND email = ? AND accepted_at IS NULL AND revoked_at IS NULL
		RETURNING `+memberInvitationColumns, tenantOf(ctx), email).Scan(&replaced).Error
	if err != nil {
		return MemberInvitation{}, dbError("invite member", err, nil)
	}
	for _, r := range replaced {
		if err := Audit(ctx, "member_invitation.revoked", r.ID, nil, r); err != nil {
			return MemberInvitation{}, err
		}
	}
	var inv MemberInvitation
	err = tx.Raw(`INSERT INTO member_invitations (tenant_id, email, role, invited_by, token_hash, expires_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING `+memberInvitationColumns,
		tenantOf(ctx), email, role, invitedBy, tokenHash, expiresAt).Take(&inv).Error
	if err != nil {
		return MemberInvitation{}, dbError("invite member", err, nil)
	}
	return inv, Audit(ctx, "member_invitation.created", inv.ID, nil, inv)
}

// ListPendingMemberInvitations returns the invitations that can still be
// accepted, newest first.
func ListPendingMemberInvitations(ctx context.Context) ([]MemberInvitation, error) {
	tx, err := db(ctx)
	if err != nil {
		return nil, err
	}
	invs := []MemberInvitation{}
	err = tx.Raw(`SELECT `+memberInvitationColumns+` FROM member_invitations
		WHERE tenant_id = ? AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()
		ORDER BY created_at DESC, id`, tenantOf(ctx)).Scan(&invs).Error
	if err != nil {
		return nil, fmt.Errorf("list member invitations: %w", err)
	}
	return invs, nil
}

// GetMemberInvitation returns an invitation of the current tenant.
func GetMemberInvitation(ctx context.Context, id string) (MemberInvitation, error) {
	tx, err := db(ctx)
	if err != nil {
		return MemberInvitation{}, err
	}
	var inv MemberInvitation
	err = tx.Raw(`SELECT `+memberInvitationColumns+` FROM member_invitations WHERE tenant_id = ? AND id = ?`,
		tenantOf(ctx), id).Take(&inv).Error
	return inv, dbError("get member invitation", err, ErrMemberInvitationNotFound)
}

// RevokeMemberInvitation withdraws a pending invitation: its link stops
// working. A used one cannot be revoked (ErrMemberInvitationUsed).
func RevokeMemberInvitation(ctx context.Context, id string) error {
	tx, err := db(ctx)
	if err != nil {
		return err
	}
	var inv MemberInvitation
	err = tx.Raw(`UPDATE member_invitations SET revoked_at = now() WHERE tenant_id = ? AND id = ? RETURNING `+memberInvitationColumns,
		tenantOf(ctx), id).Take(&inv).Error
	if err != nil {
		return dbError("revoke member invitation", err, ErrMemberInvitationNotFound)
	}
	return Audit(ctx, "member_invitation.revoked", id, nil, inv)
}

// AcceptMemberInvitation turns a pending invitation into a member with the
// invitation's e-mail and role and the given password hash. The new member
// is the audit actor of the join. An invitation is accepted once
// (ErrMemberInvitationUsed) and not after it expires
// (ErrMemberInvitationExpired); the schema enforces both.
func AcceptMemberInvitation(ctx context.Context, id, passwordHash string) (Member, error) {
	tx, err := db(ctx)
	if err != nil {
		return Member{}, err
	}
	var inv MemberInvitation
	err = tx.Raw(`SELECT `+memberInvitationColumns+` FROM member_invitations WHERE tenant_id = ? AND id = ? FOR UPDATE`,
		tenantOf(ctx), id).Take(&inv).Error
	if err != nil {
		return Member{}, dbError("accept member invitation", err, ErrMemberInvitationNotFound)
	}
	switch inv.Status(time.Now()) {
	case InvitationAccepted, InvitationRevoked:
		return Member{}, fmt.Errorf("accept member invitation: %w", ErrMemberInvitationUsed)
	case InvitationExpired:
		return Member{}, fmt.Errorf("accept member invitation: %w", ErrMemberInvitationExpired)
	}
	m, err := insertMember(ctx, inv.Email, passwordHash, inv.Role)
	if err != nil {
		return Member{}, err
	}
	if err := tx.Exec(`UPDATE member_invitations SET accepted_at = now() WHERE tenant_id = ? AND id = ?`, tenantOf(ctx), id).Error; err != nil {
		return Member{}, dbError("accept member invitation", err, nil)
	}
	ctx = WithActor(ctx, "member:"+m.ID)
	return m, Audit(ctx, "member.joined", m.ID, nil, map[string]any{"member": m, "invitation_id": inv.ID})
}
