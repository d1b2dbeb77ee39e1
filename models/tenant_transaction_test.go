package models_test

import (
	"context"
	"testing"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

// A tenant transaction runs as the restricted role, for its tenant, on the
// search_path the schema's functions pin (so that calling them switches
// nothing), and none of it outlives the transaction.
func TestTenantTransactionSettings(t *testing.T) {
	created := env.NewTenant(t, "")
	var role, tenant, path string
	err := tenants.WithTenant(context.Background(), env.App, created.TenantID, func(ctx context.Context) error {
		return models.TxOf(ctx).Raw(`SELECT current_user::text, current_setting('app.tenant_id'), current_setting('search_path')`).
			Row().Scan(&role, &tenant, &path)
	})
	if err != nil {
		t.Fatal(err)
	}
	if role != tenants.AppRole || tenant != created.TenantID.String() || path != "public, pg_temp" {
		t.Errorf("inside: role %s, tenant %s, search_path %q", role, tenant, path)
	}
	// The pool has one idle connection per earlier request at most; each
	// shows the defaults again.
	var after string
	if err := env.App.Raw(`SELECT coalesce(current_setting('app.tenant_id', true), '') || '|' || current_setting('search_path')`).
		Row().Scan(&after); err != nil {
		t.Fatal(err)
	}
	if after != `|"$user", public` {
		t.Errorf("after the transaction: %q", after)
	}
}
