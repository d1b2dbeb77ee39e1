package tenants

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
)

// WithDueInvitations lists the tenants that have pending invitations past
// their expiry at now and not yet marked expired, through the narrow
// tenants_with_due_invitations lookup (tenant ids only); the invitation
// expiry job then enters each one.
func WithDueInvitations(ctx context.Context, db *gorm.DB, now time.Time) ([]uuid.UUID, error) {
	var ids []uuid.UUID
	if err := db.WithContext(ctx).Raw(`SELECT tenants_with_due_invitations(?)`, now).Scan(&ids).Error; err != nil {
		return nil, fmt.Errorf("tenants: with due invitations: %w", err)
	}
	return ids, nil
}
