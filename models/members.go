package models

import (
	"context"
	"fmt"
)

// Errors of the team: members and their roles.
var (
	ErrMemberNotFound = &Error{NotFound, "member_not_found", "no such member"}
	// ErrLastOwner is the schema's members_keep_an_owner trigger saying no:
	// a tenant always keeps at least one owner.
	ErrLastOwner = &Error{Conflict, "last_owner", "the team must keep at least one owner"}
	// ErrAlreadyMember reports an e-mail address that is already a member.
	ErrAlreadyMember = &Error{Conflict, "already_member", "someone with this e-mail address is already a member"}
)

func validateEmail(field, email string) error {
	if !emailPattern.MatchString(email) || len(email) > 254 {
		return invalid(field, "invalid_email", "not an e-mail address")
	}
	return nil
}

// GetMember returns a member of the current tenant, or ErrMemberNotFound.
func GetMember(ctx context.Context, id string) (Member, error) {
	tx, err := db(ctx)
	if err != nil {
		return Member{}, err
	}
	var m Member
	err = tx.Raw(`SELECT id, email, role, display_name, created_at FROM members WHERE id = ?`, id).Take(&m).Error
	return m, dbError("get member", err, ErrMemberNotFound)
}

// ListMembers returns the tenant's members, owners first, then by e-mail.
func ListMembers(ctx context.Context) ([]Member, error) {
	tx, err := db(ctx)
	if err != nil {
		return nil, err
	}
	members := []Member{}
	err = tx.Raw(`SELECT id, email, role, display_name, created_at FROM members
		ORDER BY array_position(ARRAY['owner', 'admin', 'marketer', 'viewer'], role), email`).Scan(&members).Error
	if err != nil {
		return nil, fmt.Errorf("list members: %w", err)
	}
	return members, nil
}

// ChangeMemberRole gives a member a new role and returns the member as it
// now is. Demoting the last owner fails with ErrLastOwner (the schema
// decides). Giving a member the role it has changes nothing.
func ChangeMemberRole(ctx context.Context, id, role string) (Member, error) {
	if !ValidRole(role) {
		return Member{}, invalid("role", "invalid_role", "roles are owner, admin, marketer and viewer")
	}
	tx, err := db(ctx)
	if err != nil {
		return Member{}, err
	}
	var before Member
	err = tx.Raw(`SELECT id, email, role, display_name, created_at FROM members WHERE id = ? FOR UPDATE`, id).Take(&before).Error
	if err != nil {
		return Member{}, dbError("change member role", err, ErrMemberNotFound)
	}
	if before.Role == role {
		return before, nil
	}
	var after Member
	err = tx.Raw(`UPDATE members SET role = ? WHERE id = ? RETURNING id, email, role, display_name, created_at`, role, id).Take(&after).Error
	if err != nil {
		return Member{}, dbError("change member role", err, ErrMemberNotFound)
	}
	return after, Audit(ctx, "member.role_changed", id, before, after)
}

// RemoveMember takes a member off the team; their sessions stop working at
// their next request. Removing the last owner fails with ErrLastOwner.
func RemoveMember(ctx context.Context, id string) error {
	tx, err := db(ctx)
	if err != nil {
		return err
	}
	var before Member
	err = tx.Raw(`DELETE FROM members WHERE id = ? RETURNING id, email, role, display_name, created_at`, id).Take(&before).Error
	if err != nil {
		return dbError("remove member", err, ErrMemberNotFound)
	}
	return Audit(ctx, "member.removed", id, before, nil)
}
