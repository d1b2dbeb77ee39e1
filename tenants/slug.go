package tenants

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"
)

// FindTenantBySlug returns the id of the tenant whose slug is slug, before
// any tenant is known, through the narrow find_tenant_by_slug lookup; ok is
// false when no tenant has it.
func FindTenantBySlug(ctx context.Context, db *gorm.DB, slug string) (id uuid.UUID, ok bool, err error) {
	var raw *string
	if err := db.WithContext(ctx).Raw(`SELECT find_tenant_by_slug(?)`, slug).Scan(&raw).Error; err != nil {
		return uuid.Nil, false, fmt.Errorf("find tenant by slug: %w", err)
	}
	if raw == nil {
		return uuid.Nil, false, nil
	}
	if id, err = uuid.Parse(*raw); err != nil {
		return uuid.Nil, false, fmt.Errorf("find tenant by slug: %w", err)
	}
	return id, true, nil
}
