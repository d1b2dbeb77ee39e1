// Package migrations holds the schema as SQL, embedded so the binary can
// migrate any database it is pointed at: the versioned goose migrations
// (tables, constraints, indexes, policies, grants, data), then, on every
// run, the functions and triggers, whose files hold their current text
// (README.md).
package migrations

import "embed"

// FS holds every versioned migration, applied once each in file-name order.
//
//go:embed *.sql
var FS embed.FS

// Functions holds one file per function (functions/*.sql), each a CREATE OR
// REPLACE FUNCTION with its owner and grants, applied after the versioned
// migrations on every run.
//
//go:embed functions/*.sql
var Functions embed.FS

// Triggers holds one file per table (triggers/*.sql), each trigger written
// as PostgreSQL prints it (pg_get_triggerdef), applied after the functions
// on every run where the database's differs.
//
//go:embed triggers/*.sql
var Triggers embed.FS

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

// Distribution is applied last on every run, only on a database with the
// citus extension: it places every table Citus does not hold yet (tenant
// tables distributed by tenant_id, the global few as reference tables).
//
//go:embed always/citus.sql
var Distribution string
