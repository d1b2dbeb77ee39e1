package static

import (
	"bytes"
	"compress/gzip"
	"regexp"
	"testing"
)

// widget.js is what partners embed: small, and nothing in it needs a CSP
// exception on their page.
func TestWidgetScript(t *testing.T) {
	a, ok := Lookup("widget.js")
	if !ok {
		t.Fatal("static/widget.js is not embedded: run go run ./widget")
	}
	var b bytes.Buffer
	w, _ := gzip.NewWriterLevel(&b, gzip.DefaultCompression)
	w.Write(a.Content)
	w.Close()
	if b.Len() >= 30*1024 {
		t.Errorf("widget.js is %d bytes gzipped, over 30 KB", b.Len())
	}
	// No inline style (a style attribute, element.style, a <style>
	// element), no HTML parsing of data, no code from strings.
	for _, forbidden := range []*regexp.Regexp{
		regexp.MustCompile(`\.style\b`), regexp.MustCompile(`["']style["']`), regexp.MustCompile(`innerHTML|outerHTML|insertAdjacentHTML`),
		regexp.MustCompile(`\beval\(|new Function\(|document\.write`), regexp.MustCompile(`createElement\(["']style`),
		regexp.MustCompile(`<script|<style|javascript:`),
	} {
		if loc := forbidden.FindIndex(a.Content); loc != nil {
			t.Errorf("widget.js has %q: %q", forbidden, a.Content[max(0, loc[0]-40):min(len(a.Content), loc[1]+40)])
		}
	}
	// It reaches no other server: the one absolute URL is SVG's namespace.
	for _, u := range regexp.MustCompile(`https?://[^"'\s]+`).FindAll(a.Content, -1) {
		if string(u) != "http://www.w3.org/2000/svg" {
			t.Errorf("widget.js names %s", u)
		}
	}
	if !bytes.Contains(a.Content, []byte("adoptedStyleSheets")) || !bytes.Contains(a.Content, []byte("replaceSync")) {
		t.Error("widget.js does not style its shadow root with a constructable stylesheet")
	}
}
