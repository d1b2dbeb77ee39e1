package tenants

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/tandemhq/tandem/models"
)

// Joining is the invitation a join link names, as its page shows it.
type Joining struct {
	TenantID     uuid.UUID
	InvitationID string
	TenantName   string
	Email        string
	Role         string
	ExpiresAt    time.Time
	// Status is the invitation's status when it was read
	// (models.InvitationPending, …Accepted, …Revoked, …Expired).
	Status string
}

// ErrWeakPassword wraps the reason a joining member's password is refused
// (ValidatePassword's message).
var ErrWeakPassword = errors.New("tenants: password not acceptable")

// FindJoining reads the invitation of a join token, before the tenant is
// known: the token finds its tenant through the narrow
// find_member_invitation lookup (ErrUnknownJoinToken when it names none),
// and the rest is read inside that tenant's transaction.
func FindJoining(ctx context.Context, db *gorm.DB, token string) (Joining, error) {
	tenantID, invID, err := FindMemberInvitation(ctx, db, token)
	if err != nil {
		return Joining{}, err
	}
	j := Joining{TenantID: tenantID, InvitationID: invID}
	err = WithTenant(ctx, db, tenantID, func(ctx context.Context) error {
		inv, err := models.GetMemberInvitation(ctx, invID)
		if err != nil {
			return err
		}
		t, err := models.CurrentTenant(ctx)
		if err != nil {
			return err
		}
		j.TenantName, j.Email, j.Role, j.ExpiresAt = t.Name, inv.Email, inv.Role, inv.ExpiresAt
		j.Status = inv.Status(time.Now())
		return nil
	})
	if err != nil {
		return Joining{}, err
	}
	return j, nil
}

// Join accepts the invitation j with password: the invitee becomes a member
// with the invitation's e-mail and role. A password ValidatePassword refuses
// is ErrWeakPassword (wrapping the reason), checked before any hashing; the
// schema makes the invitation single-use and refuses it once expired,
// whatever races it (models.ErrMemberInvitationUsed, …Expired,
// models.ErrAlreadyMember).
func Join(ctx context.Context, db *gorm.DB, j Joining, password string) (models.Member, error) {
	if err := ValidatePassword(password); err != nil {
		return models.Member{}, &weakPasswordError{reason: err}
	}
	hash, err := HashSecret(password)
	if err != nil {
		return models.Member{}, err
	}
	var member models.Member
	err = WithTenant(ctx, db, j.TenantID, func(ctx context.Context) error {
		member, err = models.AcceptMemberInvitation(ctx, j.InvitationID, hash)
		return err
	})
	return member, err
}

// weakPasswordError is ErrWeakPassword with its reason as its message.
type weakPasswordError struct{ reason error }

func (e *weakPasswordError) Error() string        { return e.reason.Error() }
func (e *weakPasswordError) Is(target error) bool { return target == ErrWeakPassword }
func (e *weakPasswordError) Unwrap() error        { return e.reason }
