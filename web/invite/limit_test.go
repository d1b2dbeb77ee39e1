package invite_test

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/tandemhq/tandem/internal/webtest"
	"github.com/tandemhq/tandem/web"
)

// The limit the invite pages promise each client address (pagesPerMinute).
const pagesPerMinute = 60

// One address may open pagesPerMinute invite pages a minute, known codes or
// not; past that it gets a friendly HTML 429 with Retry-After, and other
// addresses are served as before.
func TestInvitePagesRateLimitedPerAddress(t *testing.T) {
	ic := newInviteCampaign(t, "invitation", "https://shop.example/join")
	code := ic.invite(t, "host-1", "Maya")
	app := web.New(web.Config{DB: env.App, PublicURL: "https://tandem.test", ClientIPHeader: "X-Client-IP"})
	get := func(path, addr string) webtest.Response {
		return webtest.Do(t, app, "GET", path, nil, "X-Client-IP", addr)
	}

	for i := range pagesPerMinute {
		path := fmt.Sprintf("/i/ZZZZ%04d", i) // unknown codes, as a guesser sends
		if r := get(path, "198.51.100.7"); r.Status != http.StatusNotFound {
			t.Fatalf("request %d: %d, want 404 within the limit", i+1, r.Status)
		}
	}
	for _, path := range []string{"/i/ZZZZ9999", "/i/" + code} {
		r := get(path, "198.51.100.7")
		if r.Status != http.StatusTooManyRequests {
			t.Fatalf("%s past the limit: %d, want 429", path, r.Status)
		}
		retry, err := strconv.Atoi(r.Header.Get("Retry-After"))
		if err != nil || retry < 1 || retry > 60 {
			t.Errorf("Retry-After %q, want 1 to 60 seconds", r.Header.Get("Retry-After"))
		}
		if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
			t.Errorf("Content-Type %q, want the HTML page", r.Header.Get("Content-Type"))
		}
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader(r.Body))
		if err != nil {
			t.Fatal(err)
		}
		if title := strings.TrimSpace(doc.Find(`[data-testid="unavailable-title"]`).Text()); title != "Please wait a moment" {
			t.Errorf("429 page title %q", title)
		}
		if doc.Find(`link[rel="stylesheet"]`).Length() != 1 || bytes.Contains(r.Body, []byte(code)) {
			t.Error("the 429 page is not the invite pages' frame, or it reveals the code")
		}
		if r.Header.Get("Content-Security-Policy") == "" || r.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("429 page headers: %v", r.Header)
		}
	}
	if r := get("/i/"+code, "198.51.100.8"); r.Status != http.StatusOK {
		t.Errorf("another address: %d, want 200", r.Status)
	}
}
