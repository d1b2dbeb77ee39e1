package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/tandemhq/tandem/internal/webtest"
)

// consoleCSPPrefix starts the console's Content-Security-Policy, which only
// responses of the console carry.
const consoleCSPPrefix = "default-src 'self'"

// Each path is answered by the surface that owns it: the console (its
// security headers, its HTML pages) for every path no other surface
// claims, and never for the API, invite links, static files or the health
// check. (This replaces the prefix list that used to decide it.)
func TestSurfacesOwnTheirPaths(t *testing.T) {
	app := New(Config{DB: env.App, PublicURL: "https://tandem.test"})
	for path, console := range map[string]bool{
		"/": true, "/team": true, "/login": true, "/index": true, "/images": true, "/docs/api/x": true,
		"/invitations": true, "/nonexistent": true,
		"/v1": false, "/v1/events": false, "/v1/nope": false, "/i/ABCDEFGH": false, "/i/a/b": false,
		"/static/console.css": false, "/static/nope.css": false, "/healthz": false,
		"/widget/v1/me": false, "/widget/v1/nope": false, "/widget.js": false,
	} {
		r := webtest.Do(t, app, http.MethodGet, path, nil)
		got := strings.HasPrefix(r.Header.Get("Content-Security-Policy"), consoleCSPPrefix)
		if got != console {
			t.Errorf("GET %s: answered by the console %v, want %v (%d %s)", path, got, console, r.Status, r.Header.Get("Content-Type"))
		}
	}
}

// Paths no route claims: the console's HTML 404 page, but JSON under /v1,
// and Fiber's 405 (with Allow) where another method has a route, as
// before the surfaces were split.
func TestUnmatchedRoutes(t *testing.T) {
	app := New(Config{DB: env.App, PublicURL: "https://tandem.test"})
	key := webtest.NewTenant(t, env.App).SecretKey
	for _, tc := range []struct {
		method, path string
		key          bool
		status       int
		contentType  string
		body, allow  string
	}{
		{"GET", "/nonexistent", false, 404, "text/html; charset=utf-8", "", ""},
		{"GET", "/v1/nope", true, 404, "application/json", `{"error":{"code":"not_found","message":"Cannot GET /v1/nope.","request_id":"{id}"}}`, ""},
		{"GET", "/v1/nope", false, 401, "application/json", "", ""},
		{"DELETE", "/v1/campaigns", true, 405, "application/json", `{"error":{"code":"method_not_allowed","message":"Method Not Allowed.","request_id":"{id}"}}`, "GET, HEAD"},
		{"POST", "/v1/openapi.json", false, 401, "application/json", "", ""},
		{"POST", "/healthz", false, 405, "application/json", "", "GET, HEAD"},
		{"POST", "/i/ABCDEFGH", false, 405, "application/json", "", "GET, HEAD"},
		{"GET", "/i/a/b", false, 404, "application/json", `{"error":{"code":"not_found","message":"Cannot GET /i/a/b.","request_id":"{id}"}}`, ""},
		{"GET", "/static/nope.css", false, 404, "application/json", `{"error":{"code":"not_found","message":"Cannot GET /static/nope.css.","request_id":"{id}"}}`, ""},
		{"OPTIONS", "/login", false, 405, "text/html; charset=utf-8", "", "GET, HEAD, POST"},
	} {
		var headers []string
		if tc.key {
			headers = []string{"Authorization", "Bearer " + key}
		}
		r := webtest.Do(t, app, tc.method, tc.path, nil, headers...)
		if r.Status != tc.status || !strings.HasPrefix(r.Header.Get("Content-Type"), tc.contentType) ||
			(tc.body != "" && string(r.Body) != strings.ReplaceAll(tc.body, "{id}", r.Header.Get("X-Request-Id"))) || r.Header.Get("Allow") != tc.allow {
			t.Errorf("%s %s (key %v): %d %q Allow %q %s", tc.method, tc.path, tc.key, r.Status, r.Header.Get("Content-Type"),
				r.Header.Get("Allow"), r.Body)
		}
	}
}

// The health check keeps its own headers: none of the console's.
func TestHealthzHasNoConsoleHeaders(t *testing.T) {
	app := New(Config{DB: env.App, PublicURL: "https://tandem.test"})
	resp, err := app.Test(httptest.NewRequest(http.MethodGet, "/healthz", nil))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Header.Get("Content-Security-Policy") != "" || resp.Header.Get("Set-Cookie") != "" {
		t.Errorf("healthz got console headers: %v", resp.Header)
	}
}

// The console's pages load their scripts and stylesheets from /static.
func TestConsoleStaticFiles(t *testing.T) {
	app := New(Config{DB: env.App, PublicURL: "https://tandem.test"})
	r := webtest.Do(t, app, http.MethodGet, "/login", nil)
	home, err := goquery.NewDocumentFromReader(strings.NewReader(string(r.Body)))
	if err != nil {
		t.Fatal(err)
	}
	var srcs []string
	home.Find("script[src], link[rel=stylesheet]").Each(func(_ int, s *goquery.Selection) {
		srcs = append(srcs, s.AttrOr("src", s.AttrOr("href", "")))
	})
	if len(srcs) != 3 {
		t.Fatalf("assets %v", srcs)
	}
	for _, src := range srcs {
		resp, err := app.Test(httptest.NewRequest(http.MethodGet, src, nil))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK || len(body) == 0 {
			t.Errorf("%s: %d, %d bytes", src, resp.StatusCode, len(body))
		}
	}
	if !strings.Contains(strings.Join(srcs, " "), "htmx-2.") {
		t.Errorf("htmx 2 is not loaded: %v", srcs)
	}
}
