// Package static holds the files the server serves under /static, embedded
// so that the binary needs nothing beside it. Styles live here rather than
// in style attributes so that a Content-Security-Policy never has to allow
// 'unsafe-inline'.
package static

import "embed"

// FS is the static files, at the root of the file system (invite.css,
// console.css, console.js, the vendored htmx, …). A new kind of file needs
// its pattern here.
//
//go:embed *.css *.js
var FS embed.FS
