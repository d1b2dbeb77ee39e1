package tenants

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
)

// WithDueRewards lists the tenants that have issued reward tokens past
// their expiry at now, through the narrow tenants_with_due_rewards lookup
// (tenant ids only); the expiry job then enters each one.
func WithDueRewards(ctx context.Context, db *gorm.DB, now time.Time) ([]uuid.UUID, error) {
	var ids []uuid.UUID
	if err := db.WithContext(ctx).Raw(`SELECT tenants_with_due_rewards(?)`, now).Scan(&ids).Error; err != nil {
		return nil, fmt.Errorf("tenants: with due rewards: %w", err)
	}
	return ids, nil
}
