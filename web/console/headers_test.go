package console

import (
	"net/http"
	"net/url"
	"testing"
)

// TestConsoleHeadersOnEveryPage: the signed-out pages and every kind of
// error page send the same security headers as the signed-in pages
// (TestConsoleSecurityHeaders): the CSP with frame-ancestors 'none',
// X-Frame-Options, nosniff, the referrer policy and no-store.
func TestConsoleHeadersOnEveryPage(t *testing.T) {
	app := newConsoleApp(t)
	ob := newBrowser(t, app)
	signUp(t, ob)
	ob.get("/team")
	join := joinPath(t, ob.post("/team/invitations", url.Values{"email": {"headers@console.test"}, "role": {"viewer"}}))

	limited := newBrowser(t, app)
	limited.get("/signup")
	for range signupsPerWindow {
		limited.post("/signup", url.Values{"password": {"short"}})
	}
	for _, tc := range []struct {
		name   string
		status int
		send   func(b *browser) *page
	}{
		{"log-in page", http.StatusOK, func(b *browser) *page { return b.get("/login") }},
		{"sign-up page", http.StatusOK, func(b *browser) *page { return b.get("/signup") }},
		{"join page", http.StatusOK, func(b *browser) *page { return b.get(join) }},
		{"unknown join link", http.StatusNotFound, func(b *browser) *page { return b.get("/join/x") }},
		{"404 page", http.StatusNotFound, func(b *browser) *page { return b.get("/no-such-page") }},
		{"400 page", http.StatusBadRequest, func(b *browser) *page { return b.get("/campaigns?after=%00") }},
		{"403 page", http.StatusForbidden, func(b *browser) *page { return b.post("/login", url.Values{"_csrf": {"forged"}}) }},
		{"failed log-in", http.StatusUnauthorized, func(b *browser) *page {
			b.get("/login")
			return b.post("/login", url.Values{"email": {"nobody@console.test"}, "password": {"a wrong guess"}})
		}},
		{"429 sign-up page", http.StatusTooManyRequests, func(*browser) *page { return limited.post("/signup", url.Values{"password": {"short"}}) }},
		{"signed-in 404", http.StatusNotFound, func(*browser) *page { return ob.get("/campaigns/no-such-campaign") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.send(newBrowser(t, app))
			wantStatus(t, p, tc.status)
			for name, want := range map[string]string{
				"Content-Security-Policy": consoleCSP, "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff",
				"Referrer-Policy": "same-origin", "Cache-Control": "no-store", "Content-Type": "text/html; charset=utf-8",
			} {
				if got := p.Header.Get(name); got != want {
					t.Errorf("%s: %q, want %q", name, got, want)
				}
			}
		})
	}
}
