package tenants

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
)

// DueForDeletion lists the tenants whose account deletion's grace period
// is over at now, through the narrow tenants_due_for_deletion lookup
// (tenant ids only); the purge job then enters each one.
func DueForDeletion(ctx context.Context, db *gorm.DB, now time.Time) ([]uuid.UUID, error) {
	var ids []uuid.UUID
	if err := db.WithContext(ctx).Raw(`SELECT tenants_due_for_deletion(?)`, now).Scan(&ids).Error; err != nil {
		return nil, fmt.Errorf("tenants: due for deletion: %w", err)
	}
	return ids, nil
}
