package webtest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/tandemhq/tandem/internal/dbtest"
)

// EndpointsFromBeforeTheCap gives tenant n webhook endpoints as a tenant
// that had them before endpoints were a plan limit: written by owner (a
// superuser) with triggers off for this transaction alone, so the cap
// (webhook_endpoints_within_plan) lets them in. Their secrets are filler:
// nothing delivers to them. The rows are listed as VALUES: Citus runs an
// INSERT … SELECT from generate_series as a COPY, which row-level security
// refuses.
func EndpointsFromBeforeTheCap(t testing.TB, owner *gorm.DB, tenant uuid.UUID, n int) {
	t.Helper()
	rows := make([]string, n)
	args := make([]any, 0, 2*n)
	for i := range rows {
		rows[i] = `(?, ?, '{*}', decode(repeat('00', 40), 'hex'))`
		args = append(args, tenant, fmt.Sprintf("https://example.com/legacy/%d", i+1))
	}
	dbtest.WithoutTriggers(t, owner, func(tx *gorm.DB) error {
		return tx.Exec(`INSERT INTO webhook_endpoints (tenant_id, url, events, secret) VALUES `+strings.Join(rows, ", "), args...).Error
	})
}
