package tenants

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/tandemhq/tandem/models"
)

// FindInviteLanding reads the public landing page of an invite or referrer
// code (any case). A public link carries no key, so the code's tenant is
// found first through the narrow find_invite_code_tenant lookup; the page
// is then read inside that tenant's transaction. A malformed or unknown
// code is models.ErrCodeNotFound.
func FindInviteLanding(ctx context.Context, db *gorm.DB, raw string) (models.Landing, error) {
	code, err := models.NormalizeCode(raw)
	if err != nil {
		return models.Landing{}, models.ErrCodeNotFound
	}
	var tenantID uuid.NullUUID
	if err := db.WithContext(ctx).Raw(`SELECT find_invite_code_tenant(?)`, code).Row().Scan(&tenantID); err != nil {
		return models.Landing{}, fmt.Errorf("tenants: find invite code tenant: %w", err)
	}
	if !tenantID.Valid {
		return models.Landing{}, models.ErrCodeNotFound
	}
	var landing models.Landing
	err = WithTenant(ctx, db, tenantID.UUID, func(ctx context.Context) error {
		landing, err = models.InviteLanding(ctx, code)
		return err
	})
	return landing, err
}
