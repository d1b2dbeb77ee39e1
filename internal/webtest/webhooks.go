package webtest

import (
	"testing"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/tandemhq/tandem/internal/dbtest"
)

// EndpointsFromBeforeTheCap gives tenant n webhook endpoints as a tenant
// that had them before endpoints were a plan limit: written by owner (a
// superuser) with triggers off for this transaction alone, on every node
// (dbtest.WithoutTriggers), so the cap (webhook_endpoints_within_plan) lets
// them in. Their secrets are filler: nothing delivers to them.
func EndpointsFromBeforeTheCap(t testing.TB, owner *gorm.DB, tenant uuid.UUID, n int) {
	t.Helper()
	dbtest.WithoutTriggers(t, owner, func(tx *gorm.DB) error {
		return tx.Exec(`INSERT INTO webhook_endpoints (tenant_id, url, events, secret)
			SELECT ?, 'https://example.com/legacy/' || g, '{*}', decode(repeat('00', 40), 'hex')
			FROM generate_series(1, ?) g`, tenant, n).Error
	})
}
