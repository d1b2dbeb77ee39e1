package api

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/tenants"
)

// Every API request runs with a deadline in its user context (queries
// and the key check are cancelled by it), and it is released once the
// request is answered.
func TestAPIRequestsHaveADeadline(t *testing.T) {
	a := newAPITenant(t)
	app := fiber.New(fiber.Config{DisableStartupMessage: true, ErrorHandler: RenderError})
	var seen context.Context
	app.Use("/v1", func(c *fiber.Ctx) error {
		err := c.Next()
		seen = c.UserContext() // what the API's chain ran with
		return err
	})
	mount(app, Deps{DB: env.App, Keys: tenants.NewVerifier(env.App, time.Minute)}, time.Now)
	for _, path := range []string{"/v1/campaigns", "/v1/nope"} {
		seen = nil
		start := time.Now()
		doRequest(t, app, "GET", path, nil, "Authorization", "Bearer "+a.secretKey)
		if seen == nil {
			t.Fatalf("%s: the outer middleware did not run", path)
		}
		deadline, ok := seen.Deadline()
		if !ok || deadline.Before(start.Add(apiTimeout)) || deadline.After(time.Now().Add(apiTimeout)) {
			t.Errorf("%s: deadline %v (set: %v), want %s after the request began", path, deadline, ok, apiTimeout)
		}
		if !errors.Is(seen.Err(), context.Canceled) {
			t.Errorf("%s: the request's context is not released after it: %v", path, seen.Err())
		}
	}
}

// Found in the hardening review: /docs/api had no CSP, frame-ancestors,
// X-Frame-Options, nosniff or referrer policy. The page needs no script
// and no inline style, so its policy allows none.
func TestAPIReferencePageSecurityHeaders(t *testing.T) {
	r := doRequest(t, newTestApp(testConfig{DB: env.App}), "GET", "/docs/api", nil)
	if r.Status != http.StatusOK {
		t.Fatalf("got %d", r.Status)
	}
	csp := r.Header.Get("Content-Security-Policy")
	for _, directive := range []string{"default-src 'none'", "style-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'none'"} {
		if !strings.Contains(csp, directive) {
			t.Errorf("CSP %q lacks %s", csp, directive)
		}
	}
	if strings.Contains(csp, "unsafe") || strings.Contains(csp, "script-src") {
		t.Errorf("CSP %q allows scripts or inline code", csp)
	}
	for name, want := range map[string]string{"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"} {
		if got := r.Header.Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	// The policy holds for this markup: no script, no inline style, and
	// every resource it loads is same-origin.
	page, err := goquery.NewDocumentFromReader(bytes.NewReader(r.Body))
	if err != nil {
		t.Fatal(err)
	}
	if n := page.Find("script, style, [style], iframe, object, embed, form").Length(); n > 0 {
		t.Errorf("%d elements the policy would block", n)
	}
	page.Find("link[href], img[src]").Each(func(_ int, s *goquery.Selection) {
		url := s.AttrOr("href", s.AttrOr("src", ""))
		if !strings.HasPrefix(url, "/") || strings.HasPrefix(url, "//") {
			t.Errorf("the page loads %q, not a same-origin path", url)
		}
	})
	page.Find("*").Each(func(_ int, s *goquery.Selection) {
		for _, attr := range s.Nodes[0].Attr {
			if strings.HasPrefix(attr.Key, "on") {
				t.Errorf("<%s> has an inline handler %s", s.Nodes[0].Data, attr.Key)
			}
		}
	})
}

// JSON answers are never sniffed: successes, errors, the document, and
// the errors web's fallback answers in the API's shape.
func TestAPIResponsesAreNosniff(t *testing.T) {
	a := newAPITenant(t)
	app := newTestApp(testConfig{DB: env.App})
	app.Get("/outside", func(*fiber.Ctx) error { return fiber.ErrNotFound })
	for _, req := range []struct {
		path string
		key  bool
	}{{"/v1/campaigns", true}, {"/v1/campaigns/nope", true}, {"/v1/campaigns", false}, {"/v1/openapi.json", false}, {"/v1/nope", true}, {"/outside", false}} {
		var headers []string
		if req.key {
			headers = []string{"Authorization", "Bearer " + a.secretKey}
		}
		r := doRequest(t, app, "GET", req.path, nil, headers...)
		if got := r.Header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("GET %s (%d): X-Content-Type-Options %q, want nosniff", req.path, r.Status, got)
		}
	}
}
