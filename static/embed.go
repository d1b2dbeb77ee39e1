// Package static holds the files the server serves under /static, embedded
// so that the binary needs nothing beside it. Styles live here rather than
// in style attributes so that a Content-Security-Policy never has to allow
// 'unsafe-inline'.
//
// Pages link each file by its content-hashed name (Path), which the server
// may let browsers cache for good; Lookup finds a file by either name.
package static

import "embed"

// files is the static files, at the root of the file system (invite.css,
// console.css, console.js, the vendored htmx, the favicon, …). A new kind
// of file needs its pattern here and its type in contentTypes.
//
//go:embed *.css *.js *.svg
var files embed.FS
