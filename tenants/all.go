package tenants

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
)

// All lists every tenant's id (but those whose account deletion is
// scheduled) through the narrow list_tenant_ids lookup,
// for work every tenant is due for on a schedule (retention); the job then
// enters each one. It has the shape of the expiry lookups and ignores now:
// whether anything is due is each tenant's own question, asked inside its
// transaction.
func All(ctx context.Context, db *gorm.DB, _ time.Time) ([]uuid.UUID, error) {
	var ids []uuid.UUID
	if err := db.WithContext(ctx).Raw(`SELECT list_tenant_ids()`).Scan(&ids).Error; err != nil {
		return nil, fmt.Errorf("tenants: all: %w", err)
	}
	return ids, nil
}
