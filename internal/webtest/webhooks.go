package webtest

import (
	"testing"

	"github.com/google/uuid"
	"gorm.io/gorm"
)

// EndpointsFromBeforeTheCap gives tenant n webhook endpoints as a tenant
// that had them before endpoints were a plan limit: written by owner (a
// superuser) with triggers off for this transaction alone, so the cap
// (webhook_endpoints_within_plan) lets them in. Their secrets are filler:
// nothing delivers to them.
func EndpointsFromBeforeTheCap(t testing.TB, owner *gorm.DB, tenant uuid.UUID, n int) {
	t.Helper()
	err := owner.Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`SET LOCAL session_replication_role = replica`).Error; err != nil {
			return err
		}
		return tx.Exec(`INSERT INTO webhook_endpoints (tenant_id, url, events, secret)
			SELECT ?, 'https://example.com/legacy/' || g, '{*}', decode(repeat('00', 40), 'hex')
			FROM generate_series(1, ?) g`, tenant, n).Error
	})
	if err != nil {
		t.Fatal(err)
	}
}
