package models

import (
	"context"
	"fmt"
	"time"
)

// ExpireDueInvitations marks expired at most limit of the tenant's pending
// invitations whose expires_at is at or before now (and before the
// database's clock, which the schema judges by: invitation_expiry_marked_once),
// oldest expiry first, and says how many, and whether more may be due (the
// batch was full). Each is marked once: the due rows are locked first
// (SKIP LOCKED: a row another transaction holds, a claim or another run,
// waits for the next run rather than holding this one), and the update
// takes only rows still pending and unmarked. The mark's trigger records
// invitation.expired.
func ExpireDueInvitations(ctx context.Context, now time.Time, limit int) (expired int, more bool, err error) {
	tx, err := db(ctx)
	if err != nil {
		return 0, false, err
	}
	var due []string
	err = tx.Raw(`SELECT i.id FROM invitations i
		WHERE i.tenant_id = ? AND i.guest_id IS NULL AND i.expired_at IS NULL AND i.expires_at <= least(?::timestamptz, now())
		ORDER BY i.expires_at, i.id LIMIT ? FOR UPDATE OF i SKIP LOCKED`, tenantOf(ctx), now, limit).Scan(&due).Error
	if err != nil {
		return 0, false, fmt.Errorf("lock due invitations: %w", err)
	}
	res := tx.Exec(`UPDATE invitations i SET expired_at = now()
		WHERE i.tenant_id = ? AND i.id IN (SELECT unnest(?::text[])) AND i.guest_id IS NULL AND i.expired_at IS NULL`,
		tenantOf(ctx), array(due))
	if res.Error != nil {
		return 0, false, dbError("expire due invitations", res.Error, nil)
	}
	return int(res.RowsAffected), len(due) == limit, nil
}
