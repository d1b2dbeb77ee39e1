package console

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

func TestConsoleAPIKeys(t *testing.T) {
	app := newConsoleApp(t)
	b := newBrowser(t, app)
	owner := signUp(t, b)
	p := b.get("/api-keys")
	wantStatus(t, p, http.StatusOK)
	if p.find("api-key").Length() != 2 {
		t.Fatalf("%d keys listed for a new tenant, want its 2", p.find("api-key").Length())
	}

	// Create: the key is shown once, in the answer.
	p = b.post("/api-keys", url.Values{"kind": {"secret"}, "name": {"CI pipeline"}}, "HX-Request", "true")
	wantStatus(t, p, http.StatusCreated)
	key := p.find("new-key").AttrOr("value", "")
	if !strings.HasPrefix(key, "sk_") || p.Doc.Find(`#api-keys[hx-swap-oob]`).Length() != 1 {
		t.Fatalf("create answer: %s", p.Body)
	}
	list := b.get("/api-keys")
	if strings.Contains(list.Body, key) || list.find("new-key").Length() != 0 {
		t.Fatal("the key is shown again")
	}
	var keyID string
	env.Owner.Raw(`SELECT id FROM api_keys WHERE tenant_id = ? AND name = 'CI pipeline'`, owner.tenantID).Scan(&keyID)
	created := list.Doc.Find(`[data-testid="api-key"][data-key-id="` + keyID + `"]`)
	if strings.TrimSpace(created.Find(`[data-testid="api-key-last-used"]`).Text()) != "Never" {
		t.Errorf("a new key's last use: %q", created.Find(`[data-testid="api-key-last-used"]`).Text())
	}

	// It works, and its use is recorded (once a minute at most).
	got, err := tenants.NewVerifier(env.App, time.Minute).Verify(context.Background(), key)
	if err != nil || got.ID != keyID || got.TenantID != owner.tenantID {
		t.Fatalf("verify the new key: %+v %v", got, err)
	}
	var stamps []time.Time
	env.Owner.Raw(`SELECT last_used_at FROM api_keys WHERE id = ?`, keyID).Scan(&stamps)
	if len(stamps) != 1 || time.Since(stamps[0]) > time.Minute {
		t.Fatalf("last_used_at %v", stamps)
	}
	if _, err := tenants.NewVerifier(env.App, 0).Verify(context.Background(), key); err != nil {
		t.Fatal(err)
	}
	var again time.Time
	env.Owner.Raw(`SELECT last_used_at FROM api_keys WHERE id = ?`, keyID).Scan(&again)
	if !again.Equal(stamps[0]) {
		t.Error("last_used_at was written twice within a minute")
	}
	used := b.get("/api-keys").Doc.Find(`[data-key-id="` + keyID + `"] [data-testid="api-key-last-used"]`)
	if strings.TrimSpace(used.Text()) == "Never" {
		t.Error("the page does not show the key's last use")
	}

	// Publishable keys need origins, which are checked.
	p = b.post("/api-keys", url.Values{"kind": {"publishable"}, "name": {"Widget"}}, "HX-Request", "true")
	wantStatus(t, p, http.StatusUnprocessableEntity)
	if p.text("error-allowed_origins") == "" || p.Doc.Find(`input[name="name"]`).AttrOr("value", "") != "Widget" {
		t.Errorf("missing origins: %q", p.text("error-allowed_origins"))
	}
	p = b.post("/api-keys", url.Values{"kind": {"publishable"}, "name": {"Widget"}, "allowed_origins": {"https://shop.example.com/path"}}, "HX-Request", "true")
	wantStatus(t, p, http.StatusUnprocessableEntity)
	p = b.post("/api-keys", url.Values{"kind": {"publishable"}, "name": {"Widget"}, "allowed_origins": {"https://Shop.example.com/\nhttp://localhost:3000"}})
	wantStatus(t, p, http.StatusCreated)
	if pk := p.find("new-key").AttrOr("value", ""); !strings.HasPrefix(pk, "pk_") || !strings.Contains(p.text("api-keys"), "https://shop.example.com, http://localhost:3000") {
		t.Errorf("publishable key %q, origins %q", pk, p.text("api-keys"))
	}
	wantStatus(t, b.post("/api-keys", url.Values{"kind": {"secret"}, "name": {" "}}), http.StatusUnprocessableEntity)

	// Revoke: a fresh verifier refuses it; it stays listed, revoked.
	wantRedirect(t, b.post("/api-keys/"+keyID+"/revoke", nil), "/api-keys")
	if _, err := tenants.NewVerifier(env.App, time.Minute).Verify(context.Background(), key); !errors.Is(err, tenants.ErrInvalidKey) {
		t.Fatalf("a revoked key verifies: %v", err)
	}
	revoked := b.get("/api-keys").Doc.Find(`[data-key-id="` + keyID + `"]`)
	if revoked.AttrOr("data-revoked", "") != "true" || revoked.Find(`[data-testid="revoke-key"]`).Length() != 0 {
		t.Error("the revoked key is not listed as revoked")
	}
	wantRedirect(t, b.post("/api-keys/"+keyID+"/revoke", nil), "/api-keys") // again: no change
	if opsAuditCount(t, owner, "api_key.created", keyID) != 1 || opsAuditCount(t, owner, "api_key.revoked", keyID) != 1 {
		t.Error("creation and revocation are not audited once each by the member")
	}
	wantStatus(t, b.post("/api-keys/key_00000000000000000000000000000000/revoke", nil), http.StatusNotFound)

	// Marketers and viewers never see keys.
	mb := newBrowser(t, app)
	logIn(t, mb, addMember(t, owner.tenantID, models.RoleMarketer))
	wantStatus(t, mb.get("/api-keys"), http.StatusForbidden)
	wantStatus(t, mb.post("/api-keys", url.Values{"kind": {"secret"}, "name": {"x"}}), http.StatusForbidden)
}
