// Package ingestbench is what the ingestion benchmarks share: bench/ingest
// (the engine in process) and bench/http (the API over HTTP), each beside
// pgbench running the same SQL on the same database in the same run.
//
// It holds the throwaway database (database.go), the fixture — a published
// 3-step campaign and cohorts of claimed invitations, one per measured side
// (fixture.go) — the events each client draws (draw.go), pgbench sending the
// engine's statements (pgbench.go), the engine itself as a side
// (engine.go), the rounds in which the sides take turns after a CHECKPOINT
// and the checks of what they stored (pair.go), and the report (report.go).
package ingestbench
