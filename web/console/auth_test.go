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
	anonymous := b.session()
	if anonymous == "" {
		t.Fatal("the sign-up form started no session for its CSRF token")
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
	if c.Value == anonymous {
		t.Error("signing up kept the anonymous session token")
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
			p := b.get("/login")
			c := p.cookie(sessionCookie)
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
	app := newConsoleApp(t)
	victim := signUp(t, newBrowser(t, app))

	t.Run("per account", func(t *testing.T) {
		// Five failures, each from a different address.
		for i := 0; i < 5; i++ {
			b := newBrowser(t, app)
			b.get("/login")
			wantStatus(t, b.post("/login", url.Values{"email": {victim.email}, "password": {"guess " + strconv.Itoa(i)}}), http.StatusUnauthorized)
		}
		b := newBrowser(t, app)
		b.get("/login")
		p := b.post("/login", url.Values{"email": {victim.email}, "password": {consolePassword}})
		wantStatus(t, p, http.StatusTooManyRequests)
		if !strings.Contains(p.text("login-error"), "try again in 15 minutes") {
			t.Errorf("throttled message %q", p.text("login-error"))
		}
		if s, _ := strconv.Atoi(p.Header.Get("Retry-After")); s < 14*60 || s > 15*60 {
			t.Errorf("Retry-After %q", p.Header.Get("Retry-After"))
		}
		// Once the window has passed, the right password works again.
		env.Owner.Exec(`UPDATE login_attempts SET window_start = now() - interval '16 minutes'`)
		wantRedirect(t, b.post("/login", url.Values{"email": {victim.email}, "password": {consolePassword}}), "/")
	})

	t.Run("per address", func(t *testing.T) {
		// The default is 20 per address; 6 keeps argon2id's cost down
		// under -race and tests the same code.
		if d := tenants.NewLoginThrottle(env.App); d.PerAccount != 5 || d.PerAddress != 20 || d.Window != 15*time.Minute {
			t.Errorf("defaults %d per account, %d per address, per %s", d.PerAccount, d.PerAddress, d.Window)
		}
		app, h := newTestAppWithHandler(testConfig{DB: env.App, PublicURL: "https://tandem.test", ClientIPHeader: testClientIPHeader})
		h.throttle.PerAddress = 6
		other := signUp(t, newBrowser(t, app))
		b := newBrowser(t, app)
		b.get("/login")
		for i := 0; i < 6; i++ {
			email := fmt.Sprintf("guess%d-%d@console.test", i, time.Now().UnixNano())
			wantStatus(t, b.post("/login", url.Values{"email": {email}, "password": {"nope nope nope"}}), http.StatusUnauthorized)
		}
		wantStatus(t, b.post("/login", url.Values{"email": {other.email}, "password": {consolePassword}}), http.StatusTooManyRequests)
		// Another address is not affected.
		logIn(t, newBrowser(t, app), other)
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
