// Package migrations holds the schema as goose SQL files, embedded so the
// binary can migrate any database it is pointed at.
package migrations

import "embed"

// FS holds every migration, applied in file-name order.
//
//go:embed *.sql
var FS embed.FS

// DatabasePrivileges is applied after the migrations on every run: what the
// database (not the schema) must refuse, which no migration can keep.
//
//go:embed always/database_privileges.sql
var DatabasePrivileges string
