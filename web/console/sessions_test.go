package console

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/tandemhq/tandem/tenants"
)

// sessionRows counts the rows of the sessions table.
func sessionRows(t testing.TB) int {
	t.Helper()
	var n int
	if err := env.Owner.Raw(`SELECT count(*) FROM sessions`).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// TestSignedOutPagesStoreNoSession: opening a signed-out page wrote a
// session row for its form's CSRF token, so anyone could fill the table
// (250 GETs, 250 rows). Now the token lives in a cookie, and a row is
// written only when there is something to remember.
func TestSignedOutPagesStoreNoSession(t *testing.T) {
	app := newConsoleApp(t)
	ob := newBrowser(t, app)
	signUp(t, ob)
	ob.get("/team")
	join := joinPath(t, ob.post("/team/invitations", url.Values{"email": {"nosession@console.test"}, "role": {"viewer"}}))

	before := sessionRows(t)
	for _, path := range []string{"/login", "/join/x", join, "/signup"} {
		for range 250 {
			if p := newBrowser(t, app).get(path); p.Status >= 500 {
				t.Fatalf("GET %s: status %d", path, p.Status)
			}
		}
	}
	if after := sessionRows(t); after != before {
		t.Errorf("1,000 signed-out GETs left %d new session rows, want 0", after-before)
	}
	if p := newBrowser(t, app).get("/login"); p.cookie(sessionCookie) != nil {
		t.Errorf("the log-in page sets a session cookie: %v", p.Header.Values("Set-Cookie"))
	}
	// Failed log-ins remember nothing either.
	b := newBrowser(t, app)
	b.get("/login")
	wantStatus(t, b.post("/login", url.Values{"email": {"nobody@console.test"}, "password": {"a wrong guess"}}), http.StatusUnauthorized)
	if after := sessionRows(t); after != before {
		t.Errorf("a failed log-in left %d new session rows, want 0", after-before)
	}
}

// TestSignedOutCSRFCookie: the signed-out forms' CSRF token is a random
// value in an HttpOnly, SameSite=Strict cookie, sent back in the form; a
// form without the cookie's value is refused.
func TestSignedOutCSRFCookie(t *testing.T) {
	app := newConsoleApp(t)
	owner := signUp(t, newBrowser(t, app))
	creds := func() url.Values { return url.Values{"email": {owner.email}, "password": {consolePassword}} }

	b := newBrowser(t, app)
	p := b.get("/login")
	c := p.cookie(csrfCookie)
	if c == nil {
		t.Fatalf("no CSRF cookie: %v", p.Header.Values("Set-Cookie"))
	}
	if !c.HttpOnly || !c.Secure || c.SameSite != http.SameSiteStrictMode || c.Path != "/" || len(c.Value) != csrfTokenLength {
		t.Errorf("CSRF cookie HttpOnly=%v Secure=%v SameSite=%v Path=%q len=%d", c.HttpOnly, c.Secure, c.SameSite, c.Path, len(c.Value))
	}
	if b.csrf != c.Value {
		t.Fatalf("the form's token %q is not the cookie's %q", b.csrf, c.Value)
	}
	// A second page keeps the visitor's token.
	if again := b.get("/signup"); again.cookie(csrfCookie) != nil || b.csrf != c.Value {
		t.Error("the token changed between two signed-out pages")
	}

	other := newBrowser(t, app)
	other.get("/login")
	for name, tc := range map[string]struct {
		cookie, field string
	}{
		"no cookie":                 {"", c.Value},
		"no field":                  {c.Value, ""},
		"another visitor's field":   {c.Value, other.csrf},
		"another visitor's cookie":  {other.csrf, c.Value},
		"a cookie of another shape": {"x", "x"},
	} {
		t.Run(name, func(t *testing.T) {
			v := newBrowser(t, app)
			if tc.cookie != "" {
				v.cookies[csrfCookie] = tc.cookie
			}
			f := creds()
			f.Set("_csrf", tc.field)
			p := v.post("/login", f)
			wantStatus(t, p, http.StatusForbidden)
			if p.text("error-title") != errCSRF.Title || v.session() != "" {
				t.Errorf("title %q, session %q", p.text("error-title"), v.session())
			}
		})
	}
	t.Run("sign-up and join forms too", func(t *testing.T) {
		v := newBrowser(t, app)
		wantStatus(t, v.post("/signup", url.Values{"name": {"No Cookie"}, "email": {"nocookie@console.test"}, "password": {consolePassword}}), http.StatusForbidden)
		wantStatus(t, v.post("/join/x", url.Values{"password": {consolePassword}}), http.StatusForbidden)
	})

	// With the cookie and its value in the form, the log-in works and the
	// session (its first row) gets a token of its own.
	before := sessionRows(t)
	wantRedirect(t, b.post("/login", creds()), "/")
	if sessionRows(t) != before+1 || b.session() == "" {
		t.Fatalf("the log-in stored %d sessions", sessionRows(t)-before)
	}
	home := b.get("/")
	wantStatus(t, home, http.StatusOK)
	if b.csrf == c.Value {
		t.Error("the signed-in session uses the signed-out token")
	}
	// Signed in, the session's token is the one that counts.
	f := url.Values{"email": {"csrf-member@console.test"}, "role": {"viewer"}, "_csrf": {c.Value}}
	wantStatus(t, b.post("/team/invitations", f), http.StatusForbidden)
}

// TestLogInRenewsAnExistingSession: session fixation. A visitor whose
// session already exists (here signed in to another team) logs in: the
// session gets a new token and the old row is deleted.
func TestLogInRenewsAnExistingSession(t *testing.T) {
	app := newConsoleApp(t)
	other := signUp(t, newBrowser(t, app))
	b := newBrowser(t, app)
	signUp(t, b)
	b.get("/team")
	old := b.session()
	wantRedirect(t, b.post("/login", url.Values{"email": {other.email}, "password": {consolePassword}}), "/")
	if b.session() == "" || b.session() == old {
		t.Fatal("logging in kept the session token")
	}
	var n int
	env.Owner.Raw(`SELECT count(*) FROM sessions WHERE token = ?`, old).Scan(&n)
	if n != 0 {
		t.Error("the pre-login session row still exists")
	}
	if home := b.get("/"); home.text("member-email") != other.email {
		t.Errorf("signed in as %q", home.text("member-email"))
	}
}

// TestEmptySessionIsDropped: logging out keeps a session only to carry its
// message; once the message is shown, the row and the cookie go.
func TestEmptySessionIsDropped(t *testing.T) {
	app := newConsoleApp(t)
	b := newBrowser(t, app)
	signUp(t, b)
	b.get("/")
	wantRedirect(t, b.post("/logout", nil), "/login")
	carrier := b.session()
	if carrier == "" {
		t.Fatal("no session carries the log-out message")
	}
	p := b.get("/login")
	if p.text("flash-message") != "You have logged out." {
		t.Errorf("flash %q", p.text("flash-message"))
	}
	if c := p.cookie(sessionCookie); c == nil || c.MaxAge >= 0 || b.session() != "" {
		t.Errorf("the emptied session's cookie was not deleted: %v", p.Header.Values("Set-Cookie"))
	}
	var n int
	env.Owner.Raw(`SELECT count(*) FROM sessions WHERE token = ?`, carrier).Scan(&n)
	if n != 0 {
		t.Error("the emptied session's row is still stored")
	}
}

// TestSweepSessions: expired session rows are deleted, live ones kept, by
// the sweep every serving machine runs (as the application role).
func TestSweepSessions(t *testing.T) {
	expired, live := randomCSRFToken(), randomCSRFToken()
	for token, expiry := range map[string]time.Time{expired: time.Now().Add(-time.Minute), live: time.Now().Add(time.Hour)} {
		if err := env.Owner.Exec(`INSERT INTO sessions (token, data, expiry) VALUES (?, '\x00', ?)`, token, expiry).Error; err != nil {
			t.Fatal(err)
		}
	}
	if err := tenants.SweepSessions(context.Background(), env.App); err != nil {
		t.Fatal(err)
	}
	var left []string
	env.Owner.Raw(`SELECT token FROM sessions WHERE token IN (?, ?)`, expired, live).Scan(&left)
	if len(left) != 1 || left[0] != live {
		t.Errorf("after the sweep: %v; want only the live session", left)
	}
}
