package views

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"

	"github.com/tandemhq/tandem/static"
)

// TestPagesLinkHashedFilesAndAFavicon renders every frame a page can have
// and checks its <head>: a favicon (without one, browsers ask for
// /favicon.ico on every visit), and every stylesheet and script by a
// content-hashed name the static package serves.
func TestPagesLinkHashedFilesAndAFavicon(t *testing.T) {
	frames := map[string]templ.Component{
		"console":       Layout("Dashboard", "dashboard"),
		"signed out":    AuthLayout("Log in"),
		"invite":        InviteUnavailable(UnavailablePage{Title: "Gone", Message: "This link has expired."}),
		"API reference": APIReferencePage(APIReference{Title: "Tandem API", Version: "1"}),
	}
	for name, c := range frames {
		var b bytes.Buffer
		if err := c.Render(context.Background(), &b); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		doc, err := goquery.NewDocumentFromReader(&b)
		if err != nil {
			t.Fatal(err)
		}
		icon, _ := doc.Find(`head link[rel="icon"]`).Attr("href")
		if icon != static.Path("favicon.svg") {
			t.Errorf("%s: favicon link is %q, want %q", name, icon, static.Path("favicon.svg"))
		}
		refs := 0
		doc.Find(`head link[href], head script[src]`).Each(func(_ int, s *goquery.Selection) {
			ref, ok := s.Attr("href")
			if !ok {
				ref, _ = s.Attr("src")
			}
			refs++
			file, ok := strings.CutPrefix(ref, "/static/")
			if !ok {
				t.Errorf("%s: %q is not under /static/", name, ref)
				return
			}
			if a, ok := static.Lookup(file); !ok || !a.Hashed {
				t.Errorf("%s: %q is not a content-hashed static file", name, ref)
			}
		})
		if refs < 2 {
			t.Errorf("%s: found %d linked files, want the favicon and a stylesheet at least", name, refs)
		}
	}
}
