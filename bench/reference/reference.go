// Package reference holds the floor that bench/ingest measures Tandem's
// ingestion against: the least work that "append an event, move a
// participant's progress" costs PostgreSQL under forced row-level security
// as a restricted role, as pgbench scripts.
//
// The three .sql files and README.md are byte-identical copies of
// ../shared/bench/ (outside this repository), the shared benchmark floor;
// reference_test.go pins their SHA-256 so that an edit shows. Change them
// only by copying the shared files again, and say so in the commit.
package reference

import _ "embed"

// Schema is reference-schema.sql: run once as a superuser in an empty
// database (role ref_app, ref_events and ref_progress with forced RLS, 10
// tenants × 10,000 participants).
//
//go:embed reference-schema.sql
var Schema string

// Event is reference-event.sql: one event per transaction (an insert with
// a unique idempotency key and one progress update). tx/s = events/s.
//
//go:embed reference-event.sql
var Event string

// Batch is reference-batch.sql: 100 events per transaction (100 inserts and
// 100 progress updates). events/s = tx/s × BatchEvents.
//
//go:embed reference-batch.sql
var Batch string

// BatchEvents is how many events one transaction of Batch stores.
const BatchEvents = 100
