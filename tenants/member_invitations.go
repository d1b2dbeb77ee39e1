package tenants

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/tandemhq/tandem/models"
)

// MemberInvitationTTL is how long a join link works.
const MemberInvitationTTL = 7 * 24 * time.Hour

// ErrUnknownJoinToken covers a join token that is malformed or names no
// invitation.
var ErrUnknownJoinToken = errors.New("tenants: unknown join token")

// joinTokenBytes is the randomness of a join token: 256 bits, written as
// 43 URL-safe base64 characters.
const joinTokenBytes = 32

// InviteMember invites email to the current tenant's team with role, on
// behalf of the member invitedBy, and returns the invitation with the
// token of its join link. The token is shown to the inviter once and
// stored only as its SHA-256. Runs inside the tenant transaction.
func InviteMember(ctx context.Context, email, role, invitedBy string) (models.MemberInvitation, string, error) {
	raw := make([]byte, joinTokenBytes)
	if _, err := rand.Read(raw); err != nil {
		return models.MemberInvitation{}, "", fmt.Errorf("invite member: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	sum := sha256.Sum256([]byte(token))
	inv, err := models.InsertMemberInvitation(ctx, email, role, invitedBy, sum[:], time.Now().Add(MemberInvitationTTL))
	if err != nil {
		return models.MemberInvitation{}, "", err
	}
	return inv, token, nil
}

// FindMemberInvitation returns the tenant and id of the invitation a join
// token names, before the tenant is known, through the narrow
// find_member_invitation lookup. Whether the invitation can still be
// accepted is read inside the tenant's transaction.
func FindMemberInvitation(ctx context.Context, db *gorm.DB, token string) (uuid.UUID, string, error) {
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(raw) != joinTokenBytes {
		return uuid.Nil, "", ErrUnknownJoinToken
	}
	sum := sha256.Sum256([]byte(token))
	var rows []struct {
		TenantID     uuid.UUID
		InvitationID string
	}
	// Hex, not []byte: gorm spreads a slice right after "(" into a list.
	err = db.WithContext(ctx).Raw(`SELECT tenant_id, invitation_id FROM find_member_invitation(decode(?, 'hex'))`,
		hex.EncodeToString(sum[:])).Scan(&rows).Error
	if err != nil {
		return uuid.Nil, "", fmt.Errorf("find member invitation: %w", err)
	}
	if len(rows) != 1 {
		return uuid.Nil, "", ErrUnknownJoinToken
	}
	return rows[0].TenantID, rows[0].InvitationID, nil
}
