// Package migrations holds the schema as goose SQL files, embedded so the
// binary can migrate any database it is pointed at.
package migrations

import "embed"

// FS holds every migration, applied in file-name order.
//
//go:embed *.sql
var FS embed.FS
