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

// RiverPrivileges is applied after River's own migrator on every run: what
// tandem_app may do with River's tables, and the search_path River's
// functions pin (River creates them without one).
//
//go:embed always/river.sql
var RiverPrivileges string
