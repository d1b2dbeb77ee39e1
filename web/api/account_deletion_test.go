package api

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

// While the account's deletion is scheduled its keys are refused with
// 403 account_deletion_scheduled (a key already verified on a machine is
// trusted for the key cache's 30 s, so a new app checks it afresh), and
// its widget tokens and invite codes find no tenant; undone, all work
// again.
func TestAccountDeletionRefusesKeys(t *testing.T) {
	a := newAPITenant(t)
	mustCall(t, a, "POST", "/v1/event-definitions", map[string]any{"name": "signup_complete"}, http.StatusCreated)
	mustCall(t, a, "PUT", "/v1/campaigns/deletion", map[string]any{"name": "Deletion", "mode": "invitation",
		"quest": map[string]any{"steps": []string{"signup_complete"}}}, http.StatusOK)
	mustCall(t, a, "POST", "/v1/campaigns/deletion/publish", map[string]any{"inflight": "keep"}, http.StatusOK)
	inv := mustCall(t, a, "POST", "/v1/campaigns/deletion/invitations", map[string]any{"host": "ada"}, http.StatusCreated)
	code, _ := inv.JSON["code"].(string)
	minted := mustCall(t, a, "POST", "/v1/widget/tokens", map[string]any{"participant": "ada", "campaign": "deletion"}, http.StatusCreated)
	token, _ := minted.JSON["token"].(string)
	tokenWorks := func() bool {
		_, err := tenants.FindWidgetToken(context.Background(), env.App, token)
		if err != nil && !errors.Is(err, tenants.ErrInvalidWidgetToken) {
			t.Fatal(err)
		}
		return err == nil
	}
	codeTenant := func() string {
		var tenant string
		if err := env.App.Raw(`SELECT coalesce(find_invite_code_tenant(?)::text, '')`, code).Scan(&tenant).Error; err != nil {
			t.Fatal(err)
		}
		return tenant
	}
	inTenant := func(fn func(ctx context.Context) error) {
		if err := tenants.WithTenant(context.Background(), env.App, a.created.TenantID, fn); err != nil {
			t.Fatal(err)
		}
	}

	inTenant(func(ctx context.Context) error {
		_, err := models.ScheduleAccountDeletion(ctx, a.created.Slug)
		return err
	})
	fresh := newAPITenantApp(a)
	for _, key := range []string{a.secretKey, a.publishableKey} {
		r := doRequest(t, fresh.app, "GET", "/v1/campaigns", nil, "Authorization", "Bearer "+key)
		wantError(t, "a key of an account scheduled for deletion", r, http.StatusForbidden, "account_deletion_scheduled", "")
	}
	if got := codeTenant(); got != "" {
		t.Errorf("an invite code of an account scheduled for deletion finds %s", got)
	}
	if tokenWorks() {
		t.Error("a widget token of an account scheduled for deletion still works")
	}

	inTenant(models.CancelAccountDeletion)
	mustCall(t, newAPITenantApp(a), "GET", "/v1/campaigns", nil, http.StatusOK)
	if got := codeTenant(); got != a.created.TenantID.String() {
		t.Errorf("after undo the invite code finds %q", got)
	}
	if !tokenWorks() {
		t.Error("after undo the widget token is refused")
	}
}

// newAPITenantApp is a's tenant and keys on a new app, whose key cache is
// empty.
func newAPITenantApp(a *apiTenant) *apiTenant {
	b := *a
	b.app = newTestApp(testConfig{DB: env.App, PublicURL: "https://tandem.test"})
	return &b
}
