package invite_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/tandemhq/tandem/internal/webtest"
	"github.com/tandemhq/tandem/models"
)

// Every invite page, open or not, sends a CSP that forbids framing, scripts
// and foreign styles, X-Frame-Options, nosniff and a referrer policy.
func TestInvitePagesSecurityHeaders(t *testing.T) {
	ic := newInviteCampaign(t, models.ModeInvitation, "https://shop.example/join")
	code := ic.invite(t, "host-1", "Maya")
	for _, path := range []string{"/i/" + code, "/i/ABCD2345"} {
		r := webtest.Do(t, ic.app, "GET", path, nil)
		csp := r.Header.Get("Content-Security-Policy")
		for _, directive := range []string{"default-src 'none'", "style-src 'self'", "frame-ancestors 'none'", "base-uri 'none'"} {
			if !strings.Contains(csp, directive) {
				t.Errorf("%s: CSP %q lacks %q", path, csp, directive)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "script-src") {
			t.Errorf("%s: CSP %q allows scripts or inline code", path, csp)
		}
		for name, want := range map[string]string{
			"X-Frame-Options":        "DENY",
			"X-Content-Type-Options": "nosniff",
			"Referrer-Policy":        "no-referrer",
		} {
			if got := r.Header.Get(name); got != want {
				t.Errorf("%s: %s %q, want %q", path, name, got, want)
			}
		}
	}
}

// The page works under its CSP: no script, no inline style, and only
// same-origin files in its <head>.
func TestInvitePageNeedsNothingTheCSPForbids(t *testing.T) {
	ic := newInviteCampaign(t, models.ModeInvitation, "https://shop.example/join")
	code := ic.invite(t, "host-1", "Maya")
	for _, path := range []string{"/i/" + code, "/i/ABCD2345"} {
		r := webtest.Do(t, ic.app, "GET", path, nil)
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader(r.Body))
		if err != nil {
			t.Fatal(err)
		}
		if n := doc.Find("script, style, [style], iframe, object, embed, form").Length(); n > 0 {
			t.Errorf("%s: %d elements the CSP blocks", path, n)
		}
		doc.Find("link[href], img[src]").Each(func(_ int, s *goquery.Selection) {
			ref := s.AttrOr("href", s.AttrOr("src", ""))
			if !strings.HasPrefix(ref, "/static/") {
				t.Errorf("%s: %s not from /static/", path, ref)
			}
			if resp := webtest.Do(t, ic.app, "GET", ref, nil); resp.Status != http.StatusOK {
				t.Errorf("%s: %s: %d", path, ref, resp.Status)
			}
		})
	}
}
