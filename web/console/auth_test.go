package console

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tandemhq/tandem/tenants"
)

func TestConsoleSignup(t *testing.T) {
	b := newBrowser(t, newConsoleApp(t))
	form := b.get("/signup")
	wantStatus(t, form, http.StatusOK)
	if form.find("signup-form").Length() != 1 {
		t.Fatalf("no sign-up form:\n%s", form.Body)
	}
	// The form's CSRF token is in a cookie: no session before signing up.
	if b.session() != "" || form.cookie(csrfCookie) == nil {
		t.Fatalf("the sign-up form started a session, or set no CSRF cookie: %v", form.Header.Values("Set-Cookie"))
	}

	email := fmt.Sprintf("signup%d@console.test", accountCounter.Add(1))
	p := b.post("/signup", url.Values{"name": {"Acme Bikes"}, "email": {email}, "password": {consolePassword}})
	wantStatus(t, p, http.StatusOK)
	if !strings.HasPrefix(p.text("secret-key"), "sk_") || !strings.HasPrefix(p.text("publishable-key"), "pk_") {
		t.Errorf("welcome page shows keys %q and %q", p.text("secret-key"), p.text("publishable-key"))
	}
	c := p.cookie(sessionCookie)
	if c == nil {
		t.Fatal("sign-up set no session cookie")
	}
	if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || !c.Secure || c.Path != "/" {
		t.Errorf("cookie HttpOnly=%v SameSite=%v Secure=%v Path=%q; want HttpOnly, Lax, Secure, /", c.HttpOnly, c.SameSite, c.Secure, c.Path)
	}
	if c.MaxAge <= 0 || c.MaxAge > int(sessionIdleTimeout.Seconds())+1 {
		t.Errorf("cookie Max-Age %d; want the idle timeout %s", c.MaxAge, sessionIdleTimeout)
	}

	home := b.get("/")
	wantStatus(t, home, http.StatusOK)
	if home.text("tenant-name") != "Acme Bikes" || home.text("member-email") != email || home.text("member-role") != "Owner" {
		t.Errorf("dashboard shows %q, %q, %q", home.text("tenant-name"), home.text("member-email"), home.text("member-role"))
	}
	if home.find("dashboard-placeholder").Length() != 1 {
		t.Error("no dashboard placeholder")
	}
	// A signed-in member has no business on the sign-up or log-in page.
	wantRedirect(t, b.get("/signup"), "/")
	wantRedirect(t, b.get("/login"), "/")
}

func TestConsoleSessionCookieOutsideHTTPS(t *testing.T) {
	for _, tc := range []struct {
		publicURL string
		secure    bool
	}{
		{"http://localhost:8080", false},
		{"http://127.0.0.1:8080", false},
		{"https://tandem.example", true},
		{"http://tandem.example", true},
		{"", true},
	} {
		t.Run(tc.publicURL, func(t *testing.T) {
			b := newBrowser(t, newTestApp(testConfig{DB: env.App, PublicURL: tc.publicURL}))
			// The signed-out CSRF cookie, then the session cookie of a sign-up.
			c := b.get("/signup").cookie(csrfCookie)
			if c == nil {
				t.Fatal("no CSRF cookie")
			}
			if c.Secure != tc.secure || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode {
				t.Errorf("CSRF cookie Secure=%v HttpOnly=%v SameSite=%v; want Secure=%v, HttpOnly, Strict", c.Secure, c.HttpOnly, c.SameSite, tc.secure)
			}
			p := b.post("/signup", url.Values{"name": {"Cookie Co"}, "email": {fmt.Sprintf("cookie%d@console.test", accountCounter.Add(1))},
				"password": {consolePassword}})
			wantStatus(t, p, http.StatusOK)
			c = p.cookie(sessionCookie)
			if c == nil {
				t.Fatal("no session cookie")
			}
			if c.Secure != tc.secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
				t.Errorf("Secure=%v HttpOnly=%v SameSite=%v; want Secure=%v, HttpOnly, Lax", c.Secure, c.HttpOnly, c.SameSite, tc.secure)
			}
		})
	}
}

func TestConsoleSignupValidation(t *testing.T) {
	b := newBrowser(t, newConsoleApp(t))
	b.get("/signup")
	p := b.post("/signup", url.Values{"name": {"Short Password Ltd"}, "email": {"short@console.test"}, "password": {"short"}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	if p.text("error-password") == "" {
		t.Errorf("no password error:\n%s", p.Body)
	}
	if v, _ := p.Doc.Find(`input[name="name"]`).Attr("value"); v != "Short Password Ltd" {
		t.Errorf("the form lost the name: %q", v)
	}
	if p.Doc.Find(`input[name="password"]`).AttrOr("value", "") != "" {
		t.Error("the form sends the password back")
	}
	p = b.post("/signup", url.Values{"name": {"Bad Mail"}, "email": {"not-an-email"}, "password": {consolePassword}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	if p.text("error-email") == "" {
		t.Errorf("no e-mail error:\n%s", p.Body)
	}
}

func TestConsoleLogin(t *testing.T) {
	app := newConsoleApp(t)
	owner := signUp(t, newBrowser(t, app))

	b := newBrowser(t, app)
	wantStatus(t, b.get("/login"), http.StatusOK)
	p := b.post("/login", url.Values{"email": {owner.email}, "password": {"wrong password!"}})
	wantStatus(t, p, http.StatusUnauthorized)
	if !strings.Contains(p.text("login-error"), "don't match") {
		t.Errorf("login error %q", p.text("login-error"))
	}
	if v, _ := p.Doc.Find(`input[name="email"]`).Attr("value"); v != owner.email {
		t.Errorf("the form lost the e-mail: %q", v)
	}
	unknown := b.post("/login", url.Values{"email": {"nobody@console.test"}, "password": {consolePassword}})
	wantStatus(t, unknown, http.StatusUnauthorized)
	if unknown.text("login-error") != p.text("login-error") {
		t.Error("an unknown e-mail reads differently from a wrong password")
	}

	before := b.session()
	p = b.post("/login", url.Values{"email": {strings.ToUpper(owner.email)}, "password": {consolePassword}})
	wantRedirect(t, p, "/")
	if b.session() == "" || b.session() == before {
		t.Error("logging in did not renew the session token")
	}
	// The old token is gone from the store.
	var n int
	env.Owner.Raw(`SELECT count(*) FROM sessions WHERE token = ?`, before).Scan(&n)
	if n != 0 {
		t.Error("the pre-login session still exists")
	}
	if home := b.get("/"); home.Status != http.StatusOK || home.text("member-email") != owner.email {
		t.Fatalf("after logging in: %d %q", home.Status, home.text("member-email"))
	}
}

func TestConsoleLoginNext(t *testing.T) {
	app := newConsoleApp(t)
	owner := signUp(t, newBrowser(t, app))
	b := newBrowser(t, app)
	wantRedirect(t, b.get("/team"), "/login?next=%2Fteam")
	wantRedirect(t, b.get("/"), "/login")
	p := b.get("/login?next=%2Fteam")
	if v, _ := p.Doc.Find(`input[name="next"]`).Attr("value"); v != "/team" {
		t.Fatalf("next field %q", v)
	}
	wantRedirect(t, b.post("/login", url.Values{"email": {owner.email}, "password": {consolePassword}, "next": {"/team"}}), "/team")

	for _, next := range []string{"//evil.example/x", "https://evil.example", `/\evil.example`, "javascript:alert(1)"} {
		b := newBrowser(t, app)
		b.get("/login")
		wantRedirect(t, b.post("/login", url.Values{"email": {owner.email}, "password": {consolePassword}, "next": {next}}), "/")
	}
}

func TestConsoleLogout(t *testing.T) {
	app := newConsoleApp(t)
	b := newBrowser(t, app)
	signUp(t, b)
	home := b.get("/")
	wantStatus(t, home, http.StatusOK)
	if home.find("logout").Length() != 1 {
		t.Fatal("no log-out button")
	}
	old := b.session()
	p := b.post("/logout", nil)
	wantRedirect(t, p, "/login")
	if b.session() == old {
		t.Error("logging out kept the session token")
	}
	if login := b.get("/login"); login.text("flash-message") != "You have logged out." {
		t.Errorf("flash %q", login.text("flash-message"))
	}
	wantRedirect(t, b.get("/"), "/login")

	// The old token is worthless: it was deleted from the store.
	thief := newBrowser(t, app)
	thief.cookies[sessionCookie] = old
	wantRedirect(t, thief.get("/"), "/login")
}

func TestConsoleLoginThrottle(t *testing.T) {
	if d := tenants.NewLoginThrottle(env.App); d.Pair.Free != 5 || d.Address.Free != 20 || d.Account.Free != 20 ||
		d.Account.Max != time.Minute || d.Pair.Max != 15*time.Minute || d.Window != 15*time.Minute {
		t.Errorf("defaults %+v", d)
	}
	// Lower limits than the defaults keep argon2id's cost down under -race
	// and test the same code.
	app, h := newTestAppWithHandler(testConfig{DB: env.App, PublicURL: "https://tandem.test", ClientIPHeader: testClientIPHeader})
	h.throttle.Pair.Free, h.throttle.Address.Free, h.throttle.Account.Free = 3, 6, 5
	fail := func(b *browser, email string) {
		t.Helper()
		wantStatus(t, b.post("/login", url.Values{"email": {email}, "password": {"a wrong guess"}}), http.StatusUnauthorized)
	}
	unblock := func() { env.Owner.Exec(`UPDATE login_attempts SET blocked_until = '-infinity'`) }

	t.Run("per e-mail at one address", func(t *testing.T) {
		victim := signUp(t, newBrowser(t, app))
		attacker := newBrowser(t, app)
		attacker.get("/login")
		for range 3 {
			fail(attacker, victim.email)
		}
		p := attacker.post("/login", url.Values{"email": {victim.email}, "password": {consolePassword}})
		wantStatus(t, p, http.StatusTooManyRequests)
		if !strings.Contains(p.text("login-error"), "try again in 1 minute") {
			t.Errorf("throttled message %q", p.text("login-error"))
		}
		if s, _ := strconv.Atoi(p.Header.Get("Retry-After")); s < 1 || s > 30 {
			t.Errorf("Retry-After %q, want the first wait of 30 seconds", p.Header.Get("Retry-After"))
		}
		// The owner, at their own address, is not locked out by the guesser.
		logIn(t, newBrowser(t, app), victim)
		// Once the wait is over, the guesser's next try counts again; the
		// right password at that address works too.
		unblock()
		wantRedirect(t, attacker.post("/login", url.Values{"email": {victim.email}, "password": {consolePassword}}), "/")
	})

	t.Run("per address", func(t *testing.T) {
		other := signUp(t, newBrowser(t, app))
		b := newBrowser(t, app)
		b.get("/login")
		for i := range 6 {
			fail(b, fmt.Sprintf("guess%d-%d@console.test", i, time.Now().UnixNano()))
		}
		wantStatus(t, b.post("/login", url.Values{"email": {other.email}, "password": {consolePassword}}), http.StatusTooManyRequests)
		// Another address is not affected.
		logIn(t, newBrowser(t, app), other)
	})

	t.Run("per e-mail from anywhere, with a short cap", func(t *testing.T) {
		victim := signUp(t, newBrowser(t, app))
		for range 5 {
			b := newBrowser(t, app)
			b.get("/login")
			fail(b, victim.email)
		}
		b := newBrowser(t, app)
		b.get("/login")
		p := b.post("/login", url.Values{"email": {victim.email}, "password": {consolePassword}})
		wantStatus(t, p, http.StatusTooManyRequests)
		if s, _ := strconv.Atoi(p.Header.Get("Retry-After")); s < 1 || s > 60 {
			t.Errorf("Retry-After %q, want at most the account's cap of a minute", p.Header.Get("Retry-After"))
		}
		unblock()
		wantRedirect(t, b.post("/login", url.Values{"email": {victim.email}, "password": {consolePassword}}), "/")
	})

	t.Run("stores digests only", func(t *testing.T) {
		var n int
		env.Owner.Raw(`SELECT count(*) FROM login_attempts WHERE key LIKE '%@%' OR key LIKE '%198.51.%'`).Scan(&n)
		if n != 0 {
			t.Errorf("%d login_attempts keys hold a raw e-mail or address", n)
		}
		env.Owner.Raw(`SELECT count(*) FROM login_attempts`).Scan(&n)
		if n == 0 {
			t.Error("no login attempts stored at all")
		}
	})
}
