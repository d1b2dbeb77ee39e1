package console

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/tandemhq/tandem/internal/dbtest"
	"github.com/tandemhq/tandem/internal/safehttp"
	"github.com/tandemhq/tandem/internal/webtest"

	"github.com/tandemhq/tandem/internal/secretbox"
	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

// Console test helpers: a browser with a cookie jar that drives the app
// through app.Test, and pages parsed with goquery.

// testClientIPHeader carries each test browser's own client address, so
// that login throttling per address does not leak between tests.
const testClientIPHeader = "X-Test-Client-Ip"

// consolePassword is every test account's password.
const consolePassword = "correct horse battery staple"

var env *dbtest.Env

func TestMain(m *testing.M) { dbtest.Main(m, "console", &env) }

// testConfig is what the console's tests vary in the app they serve.
type testConfig struct {
	DB             *gorm.DB
	PublicURL      string
	ClientIPHeader string
}

// newTestApp serves the console alone, as web.New mounts it last.
func newTestApp(cfg testConfig) *fiber.App {
	app, _ := newTestAppWithHandler(cfg)
	return app
}

// newTestAppWithHandler is newTestApp with the console's handler.
func newTestAppWithHandler(cfg testConfig) (*fiber.App, *handler) {
	app := fiber.New(fiber.Config{DisableStartupMessage: true, Immutable: true, ProxyHeader: cfg.ClientIPHeader})
	h := mount(app, Deps{DB: cfg.DB, PublicURL: cfg.PublicURL, Keys: tenants.NewVerifier(cfg.DB, 30*time.Second),
		Secrets: testBox, WebhookPolicy: safehttp.Policy{AllowPrivateNetworks: true}})
	return app, h
}

// testBox encrypts the tests' webhook secrets.
var testBox = func() *secretbox.Box {
	box, err := secretbox.New(make([]byte, secretbox.KeySize))
	if err != nil {
		panic(err)
	}
	return box
}()

// closedDB is a pool that can no longer reach the database.
func closedDB(t *testing.T) *gorm.DB { return webtest.ClosedDB(t, env.AppURL) }

// newConsoleApp is the app under test, served at an https PublicURL.
func newConsoleApp(t testing.TB) *fiber.App {
	t.Helper()
	return newTestApp(testConfig{DB: env.App, PublicURL: "https://tandem.test", ClientIPHeader: testClientIPHeader})
}

var browserCounter, accountCounter atomic.Int64

// browser is one visitor: its cookies, its client address and the CSRF
// token of the last page it saw, as a real browser would keep them.
type browser struct {
	t       testing.TB
	app     *fiber.App
	addr    string
	cookies map[string]string
	csrf    string
}

func newBrowser(t testing.TB, app *fiber.App) *browser {
	n := browserCounter.Add(1)
	return &browser{t: t, app: app, addr: fmt.Sprintf("198.51.%d.%d", n/250, n%250+1), cookies: map[string]string{}}
}

// page is one response, its HTML parsed.
type page struct {
	Status  int
	Header  http.Header
	Body    string
	Doc     *goquery.Document
	Cookies []*http.Cookie
}

// find returns the elements with data-testid id.
func (p *page) find(id string) *goquery.Selection {
	return p.Doc.Find(`[data-testid="` + id + `"]`)
}

// text is the trimmed text of the elements with data-testid id.
func (p *page) text(id string) string { return strings.TrimSpace(p.find(id).Text()) }

// cookie returns the response's Set-Cookie of name, or nil.
func (p *page) cookie(name string) *http.Cookie {
	for _, c := range p.Cookies {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// do sends a request with the browser's cookies and address; headers are
// name, value pairs.
func (b *browser) do(method, path string, body io.Reader, headers ...string) *page {
	b.t.Helper()
	req := httptest.NewRequest(method, path, body)
	req.Header.Set(testClientIPHeader, b.addr)
	for name, value := range b.cookies {
		req.AddCookie(&http.Cookie{Name: name, Value: value})
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := b.app.Test(req, -1)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	p := &page{Status: resp.StatusCode, Header: resp.Header, Body: string(raw), Cookies: resp.Cookies()}
	if p.Doc, err = goquery.NewDocumentFromReader(strings.NewReader(p.Body)); err != nil {
		b.t.Fatal(err)
	}
	for _, c := range p.Cookies {
		if c.MaxAge < 0 || c.Value == "" {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c.Value
		}
	}
	// The token htmx would send (hx-headers on <body>), or a form's.
	var hx map[string]string
	if raw, ok := p.Doc.Find("body").Attr("hx-headers"); ok && json.Unmarshal([]byte(raw), &hx) == nil && hx["X-CSRF-Token"] != "" {
		b.csrf = hx["X-CSRF-Token"]
	} else if token, ok := p.Doc.Find(`input[name="_csrf"]`).First().Attr("value"); ok {
		b.csrf = token
	}
	return p
}

func (b *browser) get(path string, headers ...string) *page {
	b.t.Helper()
	return b.do(http.MethodGet, path, nil, headers...)
}

// post sends a form with the browser's CSRF token (unless form has one).
func (b *browser) post(path string, form url.Values, headers ...string) *page {
	b.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if !form.Has("_csrf") {
		form.Set("_csrf", b.csrf)
	}
	return b.do(http.MethodPost, path, strings.NewReader(form.Encode()), headers...)
}

// session is the browser's session token.
func (b *browser) session() string { return b.cookies[sessionCookie] }

// wantStatus fails the test unless p has status.
func wantStatus(t testing.TB, p *page, status int) {
	t.Helper()
	if p.Status != status {
		t.Fatalf("status %d, want %d; body:\n%s", p.Status, status, p.Body)
	}
}

// wantRedirect fails the test unless p is a 303 to location.
func wantRedirect(t testing.TB, p *page, location string) {
	t.Helper()
	if p.Status != http.StatusSeeOther || p.Header.Get("Location") != location {
		t.Fatalf("got %d to %q, want 303 to %q; body:\n%s", p.Status, p.Header.Get("Location"), location, p.Body)
	}
}

// account is a console member and how to reach them.
type account struct {
	email    string
	tenantID uuid.UUID
	memberID string
}

// signUp creates a tenant through the sign-up form and returns its owner,
// signed in on b.
func signUp(t testing.TB, b *browser) account {
	t.Helper()
	n := accountCounter.Add(1)
	email := fmt.Sprintf("owner%d@console.test", n)
	wantStatus(t, b.get("/signup"), http.StatusOK)
	p := b.post("/signup", url.Values{"name": {fmt.Sprintf("Console Co %d", n)}, "email": {email}, "password": {consolePassword}})
	wantStatus(t, p, http.StatusOK)
	return lookupAccount(t, email)
}

// lookupAccount finds a member by e-mail (unique across the test
// database), as the schema owner.
func lookupAccount(t testing.TB, email string) account {
	t.Helper()
	var row struct {
		TenantID uuid.UUID
		ID       string
	}
	if err := env.Owner.Raw(`SELECT tenant_id, id FROM members WHERE email = ?`, email).Take(&row).Error; err != nil {
		t.Fatalf("member %s: %v", email, err)
	}
	return account{email: email, tenantID: row.TenantID, memberID: row.ID}
}

var passwordHash = sync.OnceValue(func() string {
	h, err := tenants.HashSecret(consolePassword)
	if err != nil {
		panic(err)
	}
	return h
})

// addMember adds a member with role to the tenant directly.
func addMember(t testing.TB, tenantID uuid.UUID, role string) account {
	t.Helper()
	email := fmt.Sprintf("%s%d@console.test", role, accountCounter.Add(1))
	err := tenants.WithTenant(context.Background(), env.App, tenantID, func(ctx context.Context) error {
		_, err := models.InsertMember(ctx, email, passwordHash(), role)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return lookupAccount(t, email)
}

// logIn signs a on b through the log-in form.
func logIn(t testing.TB, b *browser, a account) {
	t.Helper()
	wantStatus(t, b.get("/login"), http.StatusOK)
	wantRedirect(t, b.post("/login", url.Values{"email": {a.email}, "password": {consolePassword}}), "/")
}

// memberRole is a member's role in the database, "" when it is gone.
func memberRole(t testing.TB, a account) string {
	t.Helper()
	var roles []string
	if err := env.Owner.Raw(`SELECT role FROM members WHERE tenant_id = ? AND id = ?`, a.tenantID, a.memberID).Scan(&roles).Error; err != nil {
		t.Fatal(err)
	}
	if len(roles) == 0 {
		return ""
	}
	return roles[0]
}
