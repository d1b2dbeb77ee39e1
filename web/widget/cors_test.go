package widget

import (
	"net/http"
	"testing"
)

// CORS is answered only for the tenant's exact origins: the allowed one
// reads the answer, any other gets no Access-Control-Allow-Origin and 403
// origin_not_allowed; every answer varies by Origin and none allows
// credentials.
func TestCORSOnlyForAllowedOrigins(t *testing.T) {
	w := newWidgetTenant(t, shop, "http://localhost:3000")
	w.publish("spring", "referrer_code", "signed_up")
	token := w.mint("host", "spring", 3600e9)

	for _, c := range []struct {
		what, method, origin string
		status               int
		code, acao           string
	}{
		{"preflight from the allowed origin", "OPTIONS", shop, http.StatusNoContent, "", shop},
		{"preflight from a port-exact origin", "OPTIONS", "http://localhost:3000", http.StatusNoContent, "", "http://localhost:3000"},
		{"preflight from another origin", "OPTIONS", evil, http.StatusForbidden, "origin_not_allowed", ""},
		{"preflight from the allowed host on another scheme", "OPTIONS", "http://shop.example", http.StatusForbidden, "origin_not_allowed", ""},
		{"preflight from another port", "OPTIONS", "http://localhost:3001", http.StatusForbidden, "origin_not_allowed", ""},
		{"preflight with a trailing slash", "OPTIONS", shop + "/", http.StatusForbidden, "origin_not_allowed", ""},
		{"preflight from a sandboxed frame", "OPTIONS", "null", http.StatusForbidden, "origin_not_allowed", ""},
		{"preflight without an origin", "OPTIONS", "", http.StatusForbidden, "origin_not_allowed", ""},
		{"read from the allowed origin", "GET", shop, http.StatusOK, "", shop},
		{"read from another origin", "GET", evil, http.StatusForbidden, "origin_not_allowed", ""},
		{"read from the server's own origin (the console's preview)", "GET", tandemAt, http.StatusOK, "", tandemAt},
		{"read from no browser", "GET", "", http.StatusOK, "", ""},
	} {
		r := w.do(c.method, "/widget/v1/me", nil, token, c.origin)
		if r.Status != c.status || r.ErrorCode() != c.code || r.Header.Get("Access-Control-Allow-Origin") != c.acao {
			t.Errorf("%s: %d %s, ACAO %q; want %d %s, ACAO %q", c.what, r.Status, r.Body, r.Header.Get("Access-Control-Allow-Origin"), c.status, c.code, c.acao)
		}
		if r.Header.Get("Vary") == "" || r.Header.Get("Access-Control-Allow-Credentials") != "" {
			t.Errorf("%s: Vary %q, Allow-Credentials %q", c.what, r.Header.Get("Vary"), r.Header.Get("Access-Control-Allow-Credentials"))
		}
	}
	pre := w.do("OPTIONS", "/widget/v1/invitations", nil, "", shop)
	if pre.Header.Get("Access-Control-Allow-Headers") != "Authorization, Content-Type" || pre.Header.Get("Access-Control-Allow-Methods") != "GET, POST" {
		t.Errorf("preflight headers: %v", pre.Header)
	}

	// Another tenant's origin is not this tenant's: its preflight passes
	// (some tenant allows it), its request does not.
	newWidgetTenant(t, "https://other.example")
	want(t, "another tenant's origin", w.get("/widget/v1/me", token, "https://other.example"), http.StatusForbidden, "origin_not_allowed")
	if r := w.do("OPTIONS", "/widget/v1/me", nil, "", "https://other.example"); r.Status != http.StatusNoContent {
		t.Errorf("preflight from a known origin: %d", r.Status)
	}

	// Errors before the tenant is known are readable from a known origin,
	// so the widget can say why.
	r := w.get("/widget/v1/me", "", shop)
	want(t, "no token", r, http.StatusUnauthorized, "token_missing")
	if r.Header.Get("Access-Control-Allow-Origin") != shop {
		t.Errorf("no token: ACAO %q", r.Header.Get("Access-Control-Allow-Origin"))
	}
	want(t, "unknown token", w.get("/widget/v1/me", "wt_"+"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", shop), http.StatusUnauthorized, "token_invalid")
	want(t, "malformed token", w.get("/widget/v1/me", "sk_nope", shop), http.StatusUnauthorized, "token_invalid")
	if r := w.get("/widget/v1/me", "", evil); r.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("no token from an unknown origin: ACAO %q", r.Header.Get("Access-Control-Allow-Origin"))
	}
}
