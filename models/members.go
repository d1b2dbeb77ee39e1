package models

import (
	"context"
	"fmt"
	"time"
)

// Member is a console user of the tenant.
type Member struct {
	ID          string    `json:"id"`
	Email       string    `json:"email"`
	Role        string    `json:"role"`
	DisplayName string    `json:"display_name"`
	CreatedAt   time.Time `json:"created_at"`
}

// Member roles, from most to least powerful.
const (
	RoleOwner    = "owner"
	RoleAdmin    = "admin"
	RoleMarketer = "marketer"
	RoleViewer   = "viewer"
)

// Roles lists the member roles from most to least powerful.
var Roles = []string{RoleOwner, RoleAdmin, RoleMarketer, RoleViewer}

// ValidRole reports whether role is one of Roles.
func ValidRole(role string) bool {
	for _, r := range Roles {
		if r == role {
			return true
		}
	}
	return false
}

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

// InsertMember adds a console member with an already hashed password.
func InsertMember(ctx context.Context, email, passwordHash, role string) (Member, error) {
	m, err := insertMember(ctx, email, passwordHash, role)
	if err != nil {
		return Member{}, err
	}
	return m, Audit(ctx, "member.added", m.ID, nil, m)
}

// insertMember adds a member without auditing it, for callers that audit
// the addition in their own words.
func insertMember(ctx context.Context, email, passwordHash, role string) (Member, error) {
	if err := validateEmail("email", email); err != nil {
		return Member{}, err
	}
	if !ValidRole(role) {
		return Member{}, invalid("role", "invalid_role", "roles are owner, admin, marketer and viewer")
	}
	tx, err := db(ctx)
	if err != nil {
		return Member{}, err
	}
	var m Member
	err = tx.Raw(`INSERT INTO members (tenant_id, email, password_hash, role) VALUES (?, lower(?), ?, ?)
		RETURNING id, email, role, display_name, created_at`, tenantOf(ctx), email, passwordHash, role).Scan(&m).Error
	if err != nil {
		return Member{}, dbError("add member", err, nil)
	}
	return m, nil
}

// GetMember returns a member of the current tenant, or ErrMemberNotFound.
func GetMember(ctx context.Context, id string) (Member, error) {
	tx, err := db(ctx)
	if err != nil {
		return Member{}, err
	}
	var m Member
	err = tx.Raw(`SELECT id, email, role, display_name, created_at FROM members WHERE tenant_id = ? AND id = ?`, tenantOf(ctx), id).Take(&m).Error
	return m, dbError("get member", err, ErrMemberNotFound)
}

// ListMembers returns the tenant's members, owners first, then by e-mail.
func ListMembers(ctx context.Context) ([]Member, error) {
	tx, err := db(ctx)
	if err != nil {
		return nil, err
	}
	members := []Member{}
	err = tx.Raw(`SELECT id, email, role, display_name, created_at FROM members WHERE tenant_id = ?
		ORDER BY array_position(ARRAY['owner', 'admin', 'marketer', 'viewer'], role), email`, tenantOf(ctx)).Scan(&members).Error
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
	err = tx.Raw(`SELECT id, email, role, display_name, created_at FROM members WHERE tenant_id = ? AND id = ? FOR UPDATE`,
		tenantOf(ctx), id).Take(&before).Error
	if err != nil {
		return Member{}, dbError("change member role", err, ErrMemberNotFound)
	}
	if before.Role == role {
		return before, nil
	}
	var after Member
	err = tx.Raw(`UPDATE members SET role = ? WHERE tenant_id = ? AND id = ? RETURNING id, email, role, display_name, created_at`,
		role, tenantOf(ctx), id).Take(&after).Error
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
	err = tx.Raw(`DELETE FROM members WHERE tenant_id = ? AND id = ? RETURNING id, email, role, display_name, created_at`,
		tenantOf(ctx), id).Take(&before).Error
	if err != nil {
		return dbError("remove member", err, ErrMemberNotFound)
	}
	return Audit(ctx, "member.removed", id, before, nil)
}
