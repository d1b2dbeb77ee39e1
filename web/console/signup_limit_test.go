package console

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// TestSignupRateLimit: sign-ups from one client address are limited to
// signupsPerWindow an hour, answered 429 with Retry-After and the sign-up
// page saying so; another address is not affected. Sign-up had no limit:
// anyone could create tenants in a loop.
func TestSignupRateLimit(t *testing.T) {
	if signupsPerWindow != 10 || signupWindow.Hours() != 1 {
		t.Errorf("limit %d per %s, want 10 an hour", signupsPerWindow, signupWindow)
	}
	app := newConsoleApp(t)
	b := newBrowser(t, app)
	b.get("/signup")
	for i := range signupsPerWindow {
		// Attempts count whether or not they create a tenant.
		p := b.post("/signup", url.Values{"name": {"Looping Ltd"}, "email": {fmt.Sprintf("loop%d@console.test", i)}, "password": {"short"}})
		wantStatus(t, p, http.StatusUnprocessableEntity)
	}
	email := fmt.Sprintf("limited%d@console.test", accountCounter.Add(1))
	p := b.post("/signup", url.Values{"name": {"Looping Ltd"}, "email": {email}, "password": {consolePassword}})
	wantStatus(t, p, http.StatusTooManyRequests)
	if s, err := strconv.Atoi(p.Header.Get("Retry-After")); err != nil || s < 1 || s > 3600 {
		t.Errorf("Retry-After %q, want at most an hour", p.Header.Get("Retry-After"))
	}
	if msg := p.text("error-form"); !strings.Contains(msg, "Too many sign-ups") || !strings.Contains(msg, "minutes") {
		t.Errorf("message %q", msg)
	}
	if p.find("signup-form").Length() != 1 || p.Header.Get("Content-Security-Policy") != consoleCSP {
		t.Error("the 429 is not the sign-up page with the console's headers")
	}
	if v, _ := p.Doc.Find(`input[name="email"]`).Attr("value"); v != email {
		t.Errorf("the form lost the e-mail: %q", v)
	}
	var n int
	env.Owner.Raw(`SELECT count(*) FROM members WHERE email = ?`, email).Scan(&n)
	if n != 0 || b.session() != "" {
		t.Errorf("a refused sign-up created %d members, session %q", n, b.session())
	}
	// Another address signs up as usual.
	signUp(t, newBrowser(t, app))
}
