package static

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"regexp"
	"strings"
	"testing"
)

func TestEveryFileHasAHashedPath(t *testing.T) {
	entries, err := fs.ReadDir(files, ".")
	if err != nil {
		t.Fatal(err)
	}
	hashedName := regexp.MustCompile(`^/static/([a-z0-9.-]+)\.[0-9a-f]{8}(\.[a-z]+)$`)
	for _, e := range entries {
		name := e.Name()
		p := Path(name)
		m := hashedName.FindStringSubmatch(p)
		if m == nil || m[1]+m[2] != name {
			t.Errorf("Path(%q) = %q, want /static/<name>.<8 hex digits>.<ext>", name, p)
			continue
		}
		plain, ok := Lookup(name)
		if !ok || plain.Hashed {
			t.Errorf("Lookup(%q) = hashed %v, found %v; want found, not hashed", name, plain.Hashed, ok)
		}
		h, ok := Lookup(strings.TrimPrefix(p, "/static/"))
		if !ok || !h.Hashed || !bytes.Equal(h.Content, plain.Content) {
			t.Errorf("Lookup(%q): found %v, hashed %v; want the same file, hashed", p, ok, h.Hashed)
		}
		if h.ContentType == "" {
			t.Errorf("%s has no content type", name)
		}
		if h.Gzip != nil {
			r, err := gzip.NewReader(bytes.NewReader(h.Gzip))
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(r)
			if err != nil || !bytes.Equal(b, h.Content) {
				t.Errorf("%s: the gzipped copy does not decompress to the file (%v)", name, err)
			}
		}
	}
	if a, _ := Lookup("console.css"); a.Gzip == nil {
		t.Error("console.css has no gzipped copy")
	}
}

func TestUnknownNames(t *testing.T) {
	if p := Path("nope.css"); p != "/static/nope.css" {
		t.Errorf("Path of an unknown file = %q, want its plain path", p)
	}
	for _, name := range []string{"nope.css", "console.00000000.css", "", "embed.go", "../go.mod"} {
		if _, ok := Lookup(name); ok {
			t.Errorf("Lookup(%q) found a file", name)
		}
	}
}
