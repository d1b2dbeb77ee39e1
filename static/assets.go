package static

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"path"
	"strings"
)

// Asset is one embedded file, ready to serve.
type Asset struct {
	// Content is the file as embedded.
	Content []byte
	// Gzip is Content compressed with gzip, or nil when that saves nothing
	// worth having (the favicon).
	Gzip []byte
	// ContentType is the Content-Type header to send.
	ContentType string
	// ETag is a weak entity tag of the content, for revalidating a file
	// asked for by its plain name.
	ETag string
	// Hashed reports whether the name it was found by carries the content
	// hash, so that the name changes whenever the content does and the
	// file may be cached for good.
	Hashed bool
}

// hashLen is how many hex digits of the SHA-256 of a file its hashed name
// carries.
const hashLen = 8

// contentTypes are the types of the files in FS, by extension.
var contentTypes = map[string]string{
	".css": "text/css; charset=utf-8",
	".js":  "text/javascript; charset=utf-8",
	".svg": "image/svg+xml",
}

// assets holds every file under its plain and its hashed name; hashedNames
// maps a plain name to its hashed one.
var assets, hashedNames = load()

func load() (all map[string]Asset, hashed map[string]string) {
	all, hashed = map[string]Asset{}, map[string]string{}
	entries, err := fs.ReadDir(files, ".")
	if err != nil {
		panic("static: unable to list the embedded files: " + err.Error())
	}
	for _, e := range entries {
		name := e.Name()
		content, err := fs.ReadFile(files, name)
		if err != nil {
			panic("static: unable to read " + name + ": " + err.Error())
		}
		ext := path.Ext(name)
		typ, ok := contentTypes[ext]
		if !ok {
			panic("static: no content type for " + name + ": add its extension to contentTypes")
		}
		digest := sha256.Sum256(content)
		sum := hex.EncodeToString(digest[:])
		a := Asset{Content: content, Gzip: gzipped(content), ContentType: typ, ETag: `W/"` + sum[:16] + `"`}
		h := strings.TrimSuffix(name, ext) + "." + sum[:hashLen] + ext
		all[name] = a
		a.Hashed = true
		all[h] = a
		hashed[name] = h
	}
	return all, hashed
}

// gzipped returns content compressed, or nil when that saves under a
// tenth of it.
func gzipped(content []byte) []byte {
	var b bytes.Buffer
	w, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	w.Write(content) // a bytes.Buffer does not fail
	w.Close()
	if b.Len() > len(content)*9/10 {
		return nil
	}
	return b.Bytes()
}

// Path returns the URL path of the static file name (console.css) under
// its content-hashed name: /static/console.3f2a9c1b.css. A name that is not
// embedded keeps its plain path, which the server answers with a 404.
func Path(name string) string {
	if h, ok := hashedNames[name]; ok {
		return "/static/" + h
	}
	return "/static/" + name
}

// Lookup returns the file served as /static/name, where name is a plain
// (console.css) or a hashed (console.3f2a9c1b.css) name.
func Lookup(name string) (Asset, bool) {
	a, ok := assets[name]
	return a, ok
}
