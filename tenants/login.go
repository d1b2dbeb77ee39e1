package tenants

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"gorm.io/gorm"
)

// ErrBadLogin covers every way a console login can fail: unknown e-mail or
// wrong password. Callers cannot tell which, on purpose.
var ErrBadLogin = errors.New("tenants: wrong e-mail or password")

// Login is a member who proved their password.
type Login struct {
	TenantID uuid.UUID
	MemberID string
}

// Authenticate finds the member with email whose password is password,
// before the tenant is known, through the narrow find_members_by_email
// lookup. An e-mail may belong to several tenants: the first membership
// (by tenant id) whose password matches wins. With no membership at all,
// a check against a dummy hash still runs, so timing tells an unknown
// e-mail from a wrong password only by a hash per extra membership.
func Authenticate(ctx context.Context, db *gorm.DB, email, password string) (Login, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if email == "" || password == "" || len(password) > 1024 || len(email) > 254 {
		_, _ = CheckSecret("tandem: no password", dummyHash)
		return Login{}, ErrBadLogin
	}
	var rows []struct {
		TenantID     uuid.UUID
		MemberID     string
		PasswordHash string
	}
	err := db.WithContext(ctx).Raw(`SELECT tenant_id, member_id, password_hash
		FROM find_members_by_email(?) ORDER BY tenant_id`, email).Scan(&rows).Error
	if err != nil {
		return Login{}, fmt.Errorf("authenticate: %w", err)
	}
	if len(rows) == 0 {
		_, _ = CheckSecret(password, dummyHash)
		return Login{}, ErrBadLogin
	}
	for _, r := range rows {
		match, err := CheckSecret(password, r.PasswordHash)
		if err != nil {
			return Login{}, fmt.Errorf("authenticate member %s: %w", r.MemberID, err)
		}
		if match {
			return Login{TenantID: r.TenantID, MemberID: r.MemberID}, nil
		}
	}
	return Login{}, ErrBadLogin
}

// ValidatePassword says why a new password is not acceptable, or nil.
func ValidatePassword(password string) error {
	if len(password) < MinPasswordLength || len(password) > 1024 {
		return fmt.Errorf("passwords are %d to 1024 characters", MinPasswordLength)
	}
	return nil
}
