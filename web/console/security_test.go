package console

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/gofiber/fiber/v2"
)

func TestConsoleCSRF(t *testing.T) {
	app := newConsoleApp(t)
	b := newBrowser(t, app)
	signUp(t, b)
	b.get("/team")
	other := newBrowser(t, app)
	signUp(t, other)
	other.get("/team")
	if b.csrf == "" || other.csrf == "" || b.csrf == other.csrf {
		t.Fatalf("CSRF tokens %q and %q", b.csrf, other.csrf)
	}
	invite := func(email string) url.Values { return url.Values{"email": {email}, "role": {"viewer"}} }

	for _, tc := range []struct {
		name    string
		form    url.Values
		headers []string
		title   string
	}{
		{"no token", url.Values{"_csrf": {""}, "email": {"a@console.test"}, "role": {"viewer"}}, nil, errCSRF.Title},
		{"another session's token", url.Values{"_csrf": {other.csrf}, "email": {"b@console.test"}, "role": {"viewer"}}, nil, errCSRF.Title},
		{"another session's token in the header", url.Values{"_csrf": {""}, "email": {"c@console.test"}, "role": {"viewer"}},
			[]string{"X-CSRF-Token", other.csrf, "HX-Request", "true"}, errCSRF.Title},
		{"cross-site Origin", invite("d@console.test"), []string{"Origin", "https://evil.example"}, errCrossSite.Title},
		{"cross-site fetch", invite("e@console.test"), []string{"Sec-Fetch-Site", "cross-site"}, errCrossSite.Title},
		{"same-site but not same-origin", invite("f@console.test"), []string{"Sec-Fetch-Site", "same-site"}, errCrossSite.Title},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := b.post("/team/invitations", tc.form, tc.headers...)
			wantStatus(t, p, http.StatusForbidden)
			if p.text("error-title") != tc.title {
				t.Errorf("title %q, want %q", p.text("error-title"), tc.title)
			}
		})
	}
	var n int
	env.Owner.Raw(`SELECT count(*) FROM member_invitations WHERE email LIKE '_@console.test'`).Scan(&n)
	if n != 0 {
		t.Errorf("%d refused requests created invitations", n)
	}

	t.Run("accepted: the form field, or the header htmx sends, from this origin", func(t *testing.T) {
		wantStatus(t, b.post("/team/invitations", invite("ok1@console.test"), "Origin", "http://example.com"), http.StatusCreated)
		wantStatus(t, b.post("/team/invitations", invite("ok2@console.test"), "Sec-Fetch-Site", "same-origin"), http.StatusCreated)
		wantStatus(t, b.post("/team/invitations", url.Values{"_csrf": {""}, "email": {"ok3@console.test"}, "role": {"viewer"}},
			"X-CSRF-Token", b.csrf, "HX-Request", "true"), http.StatusCreated)
		// The PublicURL's origin counts as this site too (a proxy may rewrite Host).
		wantStatus(t, b.post("/team/invitations", invite("ok4@console.test"), "Origin", "https://tandem.test"), http.StatusCreated)
	})

	t.Run("log-in and log-out forms need the token too", func(t *testing.T) {
		fresh := newBrowser(t, app)
		p := fresh.post("/login", url.Values{"email": {"x@console.test"}, "password": {"whatever password"}})
		wantStatus(t, p, http.StatusForbidden)
		wantStatus(t, b.post("/logout", url.Values{"_csrf": {other.csrf}}), http.StatusForbidden)
		wantStatus(t, b.get("/"), http.StatusOK) // still signed in
	})
}

func TestConsoleSecurityHeaders(t *testing.T) {
	app := newConsoleApp(t)
	b := newBrowser(t, app)
	signUp(t, b)
	for _, path := range []string{"/", "/team", "/no-such-page"} {
		t.Run(path, func(t *testing.T) {
			p := b.get(path)
			csp := p.Header.Get("Content-Security-Policy")
			if csp != consoleCSP {
				t.Errorf("CSP %q", csp)
			}
			for _, bad := range []string{"unsafe-inline", "unsafe-eval", "*"} {
				if strings.Contains(csp, bad) {
					t.Errorf("CSP allows %s", bad)
				}
			}
			for _, want := range []string{"frame-ancestors 'none'", "script-src 'self'", "style-src 'self'", "base-uri 'none'", "form-action 'self'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("CSP lacks %s", want)
				}
			}
			if p.Header.Get("X-Content-Type-Options") != "nosniff" || p.Header.Get("Referrer-Policy") != "same-origin" {
				t.Errorf("X-Content-Type-Options %q, Referrer-Policy %q", p.Header.Get("X-Content-Type-Options"), p.Header.Get("Referrer-Policy"))
			}
			if !strings.Contains(p.Header.Get("Cache-Control"), "no-store") {
				t.Errorf("Cache-Control %q", p.Header.Get("Cache-Control"))
			}
			// Nothing the CSP would block: no inline script, style or handler.
			if n := p.Doc.Find("script:not([src]), style, [style]").Length(); n > 0 {
				t.Errorf("%d inline scripts or styles", n)
			}
			p.Doc.Find("*").Each(func(_ int, s *goquery.Selection) {
				for _, a := range s.Nodes[0].Attr {
					if strings.HasPrefix(a.Key, "on") || strings.HasPrefix(a.Key, "hx-on") {
						t.Errorf("inline handler %s=%q", a.Key, a.Val)
					}
				}
			})
			var config map[string]any
			raw, _ := p.Doc.Find(`meta[name="htmx-config"]`).Attr("content")
			if err := json.Unmarshal([]byte(raw), &config); err != nil {
				t.Fatalf("htmx-config %q: %v", raw, err)
			}
			if config["allowEval"] != false || config["allowScriptTags"] != false || config["includeIndicatorStyles"] != false {
				t.Errorf("htmx-config %v", config)
			}
			var headers map[string]string
			hx, _ := p.Doc.Find("body").Attr("hx-headers")
			if err := json.Unmarshal([]byte(hx), &headers); err != nil || (path != "/no-such-page" && headers["X-CSRF-Token"] != b.csrf) {
				t.Errorf("hx-headers %q (csrf %q)", hx, b.csrf)
			}
		})
	}
}

func TestConsoleErrorPages(t *testing.T) {
	app := newConsoleApp(t)
	b := newBrowser(t, app)
	p := b.get("/no-such-page")
	wantStatus(t, p, http.StatusNotFound)
	if p.text("error-title") != "Page not found" || p.Header.Get("Content-Type") != fiber.MIMETextHTMLCharsetUTF8 {
		t.Errorf("404 page %q, %q", p.text("error-title"), p.Header.Get("Content-Type"))
	}
	if strings.Contains(p.Body, "Cannot GET") {
		t.Error("the 404 page shows Fiber's raw message")
	}

	t.Run("500 shows no raw error", func(t *testing.T) {
		b := newBrowser(t, newTestApp(testConfig{DB: closedDB(t), PublicURL: "https://tandem.test"}))
		b.cookies[sessionCookie] = "some-token"
		p := b.get("/team")
		wantStatus(t, p, http.StatusInternalServerError)
		if p.text("error-title") != "Something went wrong" {
			t.Errorf("500 page %q", p.text("error-title"))
		}
		for _, leak := range []string{"sql", "database", "closed", "session"} {
			if strings.Contains(strings.ToLower(p.text("error-message")), leak) {
				t.Errorf("500 page leaks %q: %s", leak, p.text("error-message"))
			}
		}
		if p.Header.Get("Content-Security-Policy") != consoleCSP {
			t.Error("the 500 page has no CSP")
		}
	})
}

// TestConsoleSessionMiddleware checks the middleware on its own: it
// appends the session cookie next to other cookies and returns the
// handler's error after committing.
func TestConsoleSessionMiddleware(t *testing.T) {
	_, h := newTestAppWithHandler(testConfig{DB: env.App, PublicURL: "https://tandem.test"})
	app := fiber.New(fiber.Config{ErrorHandler: func(c *fiber.Ctx, err error) error {
		var fe *fiber.Error
		if errors.As(err, &fe) {
			return c.Status(fe.Code).SendString(fe.Message)
		}
		return c.Status(http.StatusInternalServerError).SendString(err.Error())
	}})
	app.Use(h.loadSession)
	app.Get("/put", func(c *fiber.Ctx) error {
		c.Cookie(&fiber.Cookie{Name: "other", Value: "kept"})
		h.sessions.Put(c.UserContext(), "k", "v")
		return c.SendString("ok")
	})
	app.Get("/fail", func(c *fiber.Ctx) error {
		h.sessions.Put(c.UserContext(), "k", "v")
		return fiber.ErrTeapot
	})
	app.Get("/read", func(c *fiber.Ctx) error { return c.SendString(h.sessions.GetString(c.UserContext(), "k")) })

	resp, err := app.Test(httptest.NewRequest(http.MethodGet, "/put", nil))
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]*http.Cookie{}
	for _, c := range resp.Cookies() {
		names[c.Name] = c
	}
	if names["other"] == nil || names["other"].Value != "kept" || names[sessionCookie] == nil {
		t.Fatalf("cookies %v", resp.Header.Values("Set-Cookie"))
	}
	req := httptest.NewRequest(http.MethodGet, "/read", nil)
	req.AddCookie(names[sessionCookie])
	resp, err = app.Test(req)
	if err != nil {
		t.Fatal(err)
	}
	if body, _ := io.ReadAll(resp.Body); string(body) != "v" {
		t.Errorf("the session read back %q", body)
	}

	resp, err = app.Test(httptest.NewRequest(http.MethodGet, "/fail", nil))
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusTeapot {
		t.Errorf("status %d: the handler's error was lost", resp.StatusCode)
	}
	if len(resp.Cookies()) != 1 || resp.Cookies()[0].Name != sessionCookie {
		t.Errorf("a failed request did not commit its session: %v", resp.Header.Values("Set-Cookie"))
	}
}

func TestLocalPath(t *testing.T) {
	for next, want := range map[string]string{
		"/team": "/team", "/team?x=1": "/team?x=1", "": "/", "team": "/", "//evil.example": "/",
		"https://evil.example/": "/", `/\evil.example`: "/", "javascript:alert(1)": "/",
	} {
		if got := localPath(next); got != want {
			t.Errorf("localPath(%q) = %q, want %q", next, got, want)
		}
	}
}
