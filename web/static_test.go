package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/static"
)

func staticApp() *fiber.App {
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Use(compression()...)
	app.Get("/favicon.ico", serveFavicon)
	app.Get("/widget.js", serveWidgetScript)
	app.Get("/static/*", serveStatic)
	return app
}

func TestStaticCacheLifetimes(t *testing.T) {
	app := staticApp()
	css, _ := static.Lookup("console.css")
	for _, tc := range []struct {
		path, acceptEncoding   string
		wantCache, wantType    string
		wantEncoding, wantBody string
	}{
		{static.Path("console.css"), "", cacheHashed, "text/css; charset=utf-8", "", string(css.Content)},
		{static.Path("console.css"), "gzip, br", cacheHashed, "text/css; charset=utf-8", "gzip", string(css.Content)},
		{"/static/console.css", "", cachePlain, "text/css; charset=utf-8", "", string(css.Content)},
		{static.Path("console.js"), "gzip", cacheHashed, "text/javascript; charset=utf-8", "gzip", ""},
		{static.Path("favicon.svg"), "gzip", cacheHashed, "image/svg+xml", "", ""},
		{"/favicon.ico", "", cachePlain, "image/svg+xml", "", ""},
		// The snippet's stable URL, and the same bundle by its hashed name.
		{"/widget.js", "gzip", cachePlain, "text/javascript; charset=utf-8", "gzip", ""},
		{static.Path("widget.js"), "gzip", cacheHashed, "text/javascript; charset=utf-8", "gzip", ""},
	} {
		resp, body := fetchEncoded(t, app, tc.path, tc.acceptEncoding)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d", tc.path, resp.StatusCode)
			continue
		}
		h := resp.Header
		if h.Get("Cache-Control") != tc.wantCache || h.Get("Content-Type") != tc.wantType ||
			h.Get("Content-Encoding") != tc.wantEncoding || !strings.Contains(h.Get("Vary"), "Accept-Encoding") {
			t.Errorf("%s (Accept-Encoding %q): Cache-Control %q, Content-Type %q, Content-Encoding %q, Vary %q",
				tc.path, tc.acceptEncoding, h.Get("Cache-Control"), h.Get("Content-Type"), h.Get("Content-Encoding"), h.Get("Vary"))
		}
		if tc.wantBody != "" {
			got := string(body)
			if tc.wantEncoding == "gzip" {
				got = gunzip(t, body)
			}
			if got != tc.wantBody {
				t.Errorf("%s: body differs from the file", tc.path)
			}
		}
	}
}

func TestStaticRevalidatesPlainNames(t *testing.T) {
	app := staticApp()
	resp, _ := fetchEncoded(t, app, "/static/invite.css", "")
	etag := resp.Header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag on a plain name")
	}
	req := httptest.NewRequest(http.MethodGet, "/static/invite.css", nil)
	req.Header.Set("If-None-Match", etag)
	resp, err := app.Test(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match with the ETag: status %d, want 304", resp.StatusCode)
	}
}

func TestStaticUnknownNames(t *testing.T) {
	app := staticApp()
	for _, path := range []string{"/static/nope.css", "/static/console.00000000.css", "/static/", "/static/embed.go", "/static/../go.mod"} {
		if resp, _ := fetchEncoded(t, app, path, ""); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", path, resp.StatusCode)
		}
	}
}
