// Package static holds the files the server serves under /static, embedded
// so that the binary needs nothing beside it. Styles live here rather than
// in style attributes so that a Content-Security-Policy never has to allow
// 'unsafe-inline'.
//
// Pages link each file by its content-hashed name (Path), which the server
// may let browsers cache for good; Lookup finds a file by either name.
package static

import (
	"embed"
	"io/fs"
)

// files is the static files, at the root of the file system (invite.css,
// console.css, console.js, the vendored htmx, the favicon, …). A new kind
// of file needs its pattern here and its type in contentTypes.
//
//go:embed *.css *.js *.svg
var files embed.FS

// FS is the static files under their plain names and their hashed ones,
// for a server that wants a file system (http.FS(static.FS)).
var FS fs.FS = hashedFS{}

// hashedFS opens a hashed name as the file it names.
type hashedFS struct{}

func (hashedFS) Open(name string) (fs.File, error) {
	if plain, ok := plainNames[name]; ok {
		name = plain
	}
	return files.Open(name)
}
