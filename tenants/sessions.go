package tenants

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// SweepSessions deletes the console sessions that have expired. Sessions
// belong to no tenant (a visitor has one before logging in), so this runs
// on the pool, outside any tenant transaction; it is idempotent, and every
// serving machine may run it.
func SweepSessions(ctx context.Context, db *gorm.DB) error {
	if err := db.WithContext(ctx).Exec(`DELETE FROM sessions WHERE expiry < now()`).Error; err != nil {
		return fmt.Errorf("tenants: sweep sessions: %w", err)
	}
	return nil
}
