package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/tandemhq/tandem/bench/reference"
	"github.com/tandemhq/tandem/internal/database"
	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

// The backend's own CPU time per event, on one connection with nothing else
// running in the database: what PostgreSQL spends on ingest_events itself,
// apart from HTTP, the Go server, the load generator and contention, beside
// the reference transactions measured the same way (docs/performance.md).
// Each side runs its work on one connection and reads that backend's CPU
// time (utime + stime in /proc/<pid>/stat, in clock ticks of 10 ms) before
// and after; enough work is run for a tick to be about 1%.
const (
	backendBatches = 100  // page-view batches of 1,000, and reference transactions of 100 events ×10
	backendSingles = 2000 // single page-view transactions, and reference-event transactions
	clockTick      = 10 * time.Millisecond
)

// backendCost is the backend CPU time per event of each workload: page
// views, the reference's events, and a cohort's quest steps (every guest's
// signup, then every guest's purchase, which completes its quest) with the
// webhook outbox's triggers on, and on another cohort with them off.
type backendCost struct {
	batch, refBatch, single, refSingle time.Duration
	steps, stepsNoOutbox               time.Duration
}

// outboxTriggers are the webhook outbox's triggers that ingestion can fire
// (migrations/00020_webhooks.sql), switched off for stepsNoOutbox.
var outboxTriggers = []struct{ table, trigger string }{
	{"invitations", "invitations_webhooks_insert"}, {"invitations", "invitations_webhooks_update"},
	{"reward_tokens", "reward_tokens_webhooks_insert"}, {"reward_tokens", "reward_tokens_webhooks_update"},
}

// measureBackend measures backendCost: Tandem's side through
// tenants.IngestEvents (the server's one-round-trip transaction) on a pool
// of one connection, with page views of participants it created first; the
// reference's by sending the statements of its pgbench scripts, variables
// drawn as pgbench draws them, in the simple protocol as pgbench does.
func (b *bench) measureBackend(ctx context.Context, tenantID uuid.UUID, stepsOn, stepsOff cohort) (backendCost, error) {
	var cost backendCost
	pool, err := database.Open(b.appURL)
	if err != nil {
		return cost, err
	}
	defer database.Close(pool)
	sqlDB, err := pool.DB()
	if err != nil {
		return cost, err
	}
	sqlDB.SetMaxOpenConns(1)
	var pid int
	if err := pool.Raw(`SELECT pg_backend_pid()`).Row().Scan(&pid); err != nil {
		return cost, err
	}
	guests := make([]models.EventInput, models.MaxBatchEvents)
	for i := range guests {
		guests[i] = models.EventInput{Participant: fmt.Sprintf("backend-g-%d", i), Name: "page_view"}
	}
	ingest := func(events []models.EventInput) error {
		for i := range events {
			events[i].IdempotencyKey = uuid.NewString()
		}
		_, err := tenants.IngestEvents(ctx, pool, tenantID, events)
		return err
	}
	if err := ingest(guests); err != nil { // creates the participants, unmeasured
		return cost, err
	}
	if cost.batch, err = cpuPerEvent(pid, backendBatches*len(guests), func() error {
		for range backendBatches {
			if err := ingest(guests); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return cost, err
	}
	if cost.single, err = cpuPerEvent(pid, backendSingles, func() error {
		for i := range backendSingles {
			if err := ingest(guests[i%len(guests) : i%len(guests)+1]); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return cost, err
	}

	if cost.steps, err = cpuPerEvent(pid, stepsOn.completing(), func() error { return sendSteps(ingest, stepsOn) }); err != nil {
		return cost, err
	}
	if err := b.setOutbox(ctx, "DISABLE"); err != nil {
		return cost, err
	}
	cost.stepsNoOutbox, err = cpuPerEvent(pid, stepsOff.completing(), func() error { return sendSteps(ingest, stepsOff) })
	if err = errors.Join(err, b.setOutbox(ctx, "ENABLE")); err != nil {
		return cost, err
	}

	conn, err := pgx.Connect(ctx, b.cluster.TCPURL("ref_app", password, referenceDB))
	if err != nil {
		return cost, err
	}
	defer conn.Close(ctx)
	if err := conn.QueryRow(ctx, `SELECT pg_backend_pid()`).Scan(&pid); err != nil {
		return cost, err
	}
	if cost.refBatch, err = cpuPerEvent(pid, backendBatches*10*reference.BatchEvents, func() error {
		return runScript(ctx, conn, reference.Batch, backendBatches*10)
	}); err != nil {
		return cost, err
	}
	if cost.refSingle, err = cpuPerEvent(pid, backendSingles, func() error {
		return runScript(ctx, conn, reference.Event, backendSingles)
	}); err != nil {
		return cost, err
	}
	return cost, nil
}

// sendSteps sends cohort c's quest steps, one event a transaction.
func sendSteps(ingest func([]models.EventInput) error, c cohort) error {
	for n := range c.completing() {
		guest, name := c.event(n)
		if err := ingest([]models.EventInput{{Participant: guest, Name: name}}); err != nil {
			return err
		}
	}
	return nil
}

// setOutbox enables or disables outboxTriggers, as the schema's owner.
func (b *bench) setOutbox(ctx context.Context, enable string) error {
	for _, t := range outboxTriggers {
		if _, err := b.owner.ExecContext(ctx, "ALTER TABLE "+t.table+" "+enable+" TRIGGER "+t.trigger); err != nil {
			return fmt.Errorf("%s the outbox: %w", strings.ToLower(enable), err)
		}
	}
	return nil
}

// cpuPerEvent runs work and divides the CPU time backend pid spent on it
// by events.
func cpuPerEvent(pid, events int, work func() error) (time.Duration, error) {
	before, err := cpuTicks(pid)
	if err != nil {
		return 0, err
	}
	if err := work(); err != nil {
		return 0, err
	}
	after, err := cpuTicks(pid)
	if err != nil {
		return 0, err
	}
	return time.Duration(after-before) * clockTick / time.Duration(events), nil
}

// cpuTicks reads utime + stime of process pid from /proc, in clock ticks.
func cpuTicks(pid int) (int64, error) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// Fields after the command name, which is in parentheses and may hold
	// spaces: state is field 3, utime 14 and stime 15.
	_, rest, ok := strings.Cut(string(raw), ") ")
	fields := strings.Fields(rest)
	if !ok || len(fields) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: unexpected %q", pid, raw)
	}
	utime, err1 := strconv.ParseInt(fields[11], 10, 64)
	stime, err2 := strconv.ParseInt(fields[12], 10, 64)
	return utime + stime, errors.Join(err1, err2)
}

// scriptSet is a pgbench "\set name random(lo, hi)" line; scriptVariable
// a :name in a statement, or a :: cast, which is left alone.
var (
	scriptSet      = regexp.MustCompile(`^\\set (\w+) random\((\d+),\s*(\d+)\)$`)
	scriptVariable = regexp.MustCompile(`::?\w+`)
)

// runScript runs a pgbench script n times on conn, as pgbench -M simple
// does: each statement sent on its own in the simple protocol.
func runScript(ctx context.Context, conn *pgx.Conn, script string, n int) error {
	for range n {
		for _, s := range instantiate(script, func(lo, hi int) int { return lo + rand.IntN(hi-lo+1) }) {
			if _, err := conn.Exec(ctx, s, pgx.QueryExecModeSimpleProtocol); err != nil {
				return fmt.Errorf("reference statement %q: %w", s, err)
			}
		}
	}
	return nil
}

// instantiate returns the statements of one run of a pgbench script: each
// "\set name random(lo, hi)" drawn by draw, each :name replaced.
func instantiate(script string, draw func(lo, hi int) int) []string {
	values := map[string]string{}
	var sql strings.Builder
	for line := range strings.Lines(script) {
		line = strings.TrimSpace(line)
		if m := scriptSet.FindStringSubmatch(line); m != nil {
			lo, _ := strconv.Atoi(m[2])
			hi, _ := strconv.Atoi(m[3])
			values[":"+m[1]] = strconv.Itoa(draw(lo, hi))
			continue
		}
		sql.WriteString(line + "\n")
	}
	fill := func(m string) string {
		if value, ok := values[m]; ok {
			return value
		}
		return m
	}
	var statements []string
	for _, s := range strings.Split(strings.TrimSpace(sql.String()), ";\n") {
		statements = append(statements, scriptVariable.ReplaceAllStringFunc(strings.TrimSuffix(s, ";"), fill))
	}
	return statements
}
