package api

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

// A widget token is minted by a secret key for a participant and a campaign,
// lives an hour unless told otherwise (at most a day), and is found by the
// widget's lookup until it is past its expiry or its key is revoked.
func TestMintWidgetToken(t *testing.T) {
	a := newAPITenant(t)
	publishManualCampaign(t, a, "spring")
	before := time.Now()
	r := mustCall(t, a, "POST", "/v1/widget/tokens", map[string]any{"participant": "host-1", "campaign": "spring"}, http.StatusCreated)
	token, _ := r.JSON["token"].(string)
	expires, err := time.Parse(time.RFC3339, r.JSON["expires_at"].(string))
	if err != nil || expires.Before(before.Add(time.Hour-time.Minute)) || expires.After(time.Now().Add(time.Hour+time.Minute)) {
		t.Fatalf("expires_at %v (%v), want an hour from now", r.JSON["expires_at"], err)
	}
	s, err := tenants.FindWidgetToken(context.Background(), env.App, token)
	if err != nil || s.TenantID != a.created.TenantID || !s.ExpiresAt.Equal(expires) {
		t.Fatalf("lookup: %+v, %v", s, err)
	}
	short := mustCall(t, a, "POST", "/v1/widget/tokens", map[string]any{"participant": "host-1", "campaign": "spring", "expires_in": 60}, http.StatusCreated)
	if e, _ := time.Parse(time.RFC3339, short.JSON["expires_at"].(string)); e.After(time.Now().Add(61 * time.Second)) {
		t.Errorf("expires_in 60: expires at %v", e)
	}

	for _, c := range []struct {
		name   string
		body   any
		status int
		code   string
	}{
		{"no participant", map[string]any{"campaign": "spring"}, 422, "missing_field"},
		{"no campaign", map[string]any{"participant": "host-1"}, 422, "missing_field"},
		{"unknown campaign", map[string]any{"participant": "host-1", "campaign": "nope"}, 404, "campaign_not_found"},
		{"bad participant", map[string]any{"participant": "a b", "campaign": "spring"}, 422, "invalid_external_id"},
		{"zero seconds", map[string]any{"participant": "host-1", "campaign": "spring", "expires_in": 0}, 422, "invalid_expires_in"},
		{"over a day", map[string]any{"participant": "host-1", "campaign": "spring", "expires_in": 86401}, 422, "invalid_expires_in"},
	} {
		if r := a.call(t, "POST", "/v1/widget/tokens", c.body); r.Status != c.status || r.ErrorCode() != c.code {
			t.Errorf("%s: %d %s, want %d %s", c.name, r.Status, r.Body, c.status, c.code)
		}
	}
	if r := doRequest(t, a.app, "POST", "/v1/widget/tokens", map[string]any{"participant": "host-1", "campaign": "spring"},
		"Authorization", "Bearer "+a.publishableKey); r.Status != http.StatusForbidden || r.ErrorCode() != "secret_key_required" {
		t.Errorf("publishable key: %d %s", r.Status, r.Body)
	}

	// Revoking the key that minted it ends the token at once.
	err = tenants.WithTenant(context.Background(), env.App, a.created.TenantID, func(ctx context.Context) error {
		keys, err := models.ListAPIKeys(ctx)
		if err != nil {
			return err
		}
		for _, k := range keys {
			if k.Kind == models.APIKeySecret {
				_, err = models.RevokeAPIKey(ctx, k.ID)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tenants.FindWidgetToken(context.Background(), env.App, token); err != tenants.ErrInvalidWidgetToken {
		t.Errorf("after revocation: %v, want ErrInvalidWidgetToken", err)
	}
}

// Allowed origins are exact browser origins, stored as a browser sends them.
func TestSaveWidgetSettings(t *testing.T) {
	a := newAPITenant(t)
	r := mustCall(t, a, "PUT", "/v1/widget/settings", map[string]any{"allowed_origins": []string{
		"HTTPS://Shop.Example:443/", "http://localhost:3000", " ", "https://shop.example"}}, http.StatusOK)
	got, _ := r.JSON["allowed_origins"].([]any)
	if len(got) != 2 || got[0] != "https://shop.example" || got[1] != "http://localhost:3000" {
		t.Errorf("stored %v", got)
	}
	for _, bad := range []string{"https://shop.example/app", "ftp://shop.example", "shop.example", "https://user@shop.example",
		"https://shop.example?x=1", "https://[::1]", "https://shop_example.com", "https://shop.example\x00"} {
		r := a.call(t, "PUT", "/v1/widget/settings", map[string]any{"allowed_origins": []string{bad}})
		if r.Status != http.StatusUnprocessableEntity || r.ErrorCode() != "invalid_origin" {
			t.Errorf("%q: %d %s", bad, r.Status, r.Body)
		}
	}
	many := make([]string, models.MaxAllowedOrigins+1)
	for i := range many {
		many[i] = "https://s" + string(rune('a'+i)) + ".example"
	}
	if r := a.call(t, "PUT", "/v1/widget/settings", map[string]any{"allowed_origins": many}); r.ErrorCode() != "too_many_origins" {
		t.Errorf("too many: %d %s", r.Status, r.Body)
	}
	if r := a.call(t, "PUT", "/v1/widget/settings", map[string]any{}); r.ErrorCode() != "missing_field" {
		t.Errorf("no origins: %d %s", r.Status, r.Body)
	}
}
