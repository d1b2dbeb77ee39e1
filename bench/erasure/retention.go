package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/tandemhq/tandem/internal/dbtest"
	"github.com/tandemhq/tandem/internal/jobs"
	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

// Expired rows in the proportion a tenant holds them: most are events whose
// properties outlived the retention (default 365 days), then stored
// idempotent answers past 24 hours, then webhook messages past 30 days
// (one message for every few events, a replay for one request in ten).
const (
	eventShare       = 0.85
	idempotencyShare = 0.10 // the rest, 5 %, are webhook messages
	retentionHosts   = 10000
	chunkRows        = 500000 // rows a generating transaction writes
)

// runRetention measures retention's enforcement of rows expired rows of one
// tenant (jobs.EnforceRetention: what the periodic job and its per-tenant
// jobs run, batch for batch, without the snoozes between a job's runs)
// while clients ingest, half for the same tenant and half for another,
// beside a baseline of the same ingestion alone.
func runRetention(rows, clients int, baseline time.Duration, out io.Writer) (err error) {
	env, err := dbtest.Setup("bench_retention")
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, env.Close()) }()
	ctx := context.Background()
	fmt.Fprintf(out, "bench/erasure -retention: %d expired rows, %d ingesting clients (half for the same tenant, half for another); %d CPUs, %s; load average %s\n",
		rows, clients, runtime.NumCPU(), runtime.Version(), loadAverage())
	expired, err := newBenchTenant(ctx, env, "Retention bench")
	if err != nil {
		return err
	}
	neighbour, err := newBenchTenant(ctx, env, "Ingesting neighbour")
	if err != nil {
		return err
	}
	start := time.Now()
	counts, err := generateExpired(env.Owner, expired, rows)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "generated as the owner, set-based: %s in %.0f s\n", counts, time.Since(start).Seconds())

	ingestInto := func(tenant uuid.UUID) func(context.Context, int) error {
		return func(ctx context.Context, n int) error {
			return tenants.WithTenant(ctx, env.App, tenant, func(ctx context.Context) error {
				_, _, err := models.IngestEvent(ctx, models.EventInput{Participant: fmt.Sprintf("other-%d", n%others), Name: "page_view",
					Properties: []byte(`{"path":"/pricing"}`)})
				return err
			})
		}
	}
	both := func(during func(context.Context) error) (same, other latencies, err error) {
		done := make(chan struct{})
		errs := make(chan error, 1)
		go func() {
			var err error
			other, err = measure(ctx, max(clients/2, 1), ingestInto(neighbour), func(context.Context) error { <-done; return nil })
			errs <- err
		}()
		same, err = measure(ctx, max(clients-clients/2, 1), ingestInto(expired), func(ctx context.Context) error {
			defer close(done)
			return during(ctx)
		})
		return same, other, errors.Join(err, <-errs)
	}
	sameAlone, otherAlone, err := both(func(context.Context) error { time.Sleep(baseline); return nil })
	if err != nil {
		return err
	}
	var enforced int
	var took time.Duration
	sameDuring, otherDuring, err := both(func(ctx context.Context) error {
		time.Sleep(500 * time.Millisecond) // the clients are running
		t0 := time.Now()
		n, err := jobs.EnforceRetention(ctx, jobs.Config{DB: env.App, Now: time.Now})
		enforced, took = n, time.Since(t0)
		return err
	})
	if err != nil {
		return err
	}
	if left, err := stillExpired(env.Owner, expired); err != nil || left != 0 {
		return errors.Join(err, fmt.Errorf("%d expired rows left after the enforcement", left))
	}
	fmt.Fprintf(out, "enforcement: %d rows blanked or deleted in %.0f s (%.0f rows/s); load average %s\n",
		enforced, took.Seconds(), float64(enforced)/took.Seconds(), loadAverage())
	fmt.Fprintf(out, "%-44s %12s %10s %10s\n", "ingestion, one event a transaction", "events/s", "p50", "p99")
	for _, row := range []struct {
		name string
		l    latencies
	}{
		{"same tenant, alone (baseline)", sameAlone}, {"same tenant, while the enforcement ran", sameDuring},
		{"another tenant, alone (baseline)", otherAlone}, {"another tenant, while the enforcement ran", otherDuring},
	} {
		fmt.Fprintf(out, "%-44s %12s %10s %10s\n", row.name, row.l.rate(), row.l.q(0.5), row.l.q(0.99))
	}
	return nil
}

// newBenchTenant is a tenant with the events ingestion sends and others
// participants to send them.
func newBenchTenant(ctx context.Context, env *dbtest.Env, name string) (uuid.UUID, error) {
	created, err := tenants.Create(ctx, env.App, tenants.NewTenant{Name: name, OwnerEmail: "owner@bench.test", OwnerPassword: "bench-password-1"})
	if err != nil {
		return uuid.Nil, err
	}
	err = tenants.WithTenant(ctx, env.App, created.TenantID, func(ctx context.Context) error {
		_, _, err := models.DefineEvent(ctx, "page_view", "")
		return err
	})
	if err != nil {
		return uuid.Nil, err
	}
	return created.TenantID, env.Owner.Exec(`INSERT INTO participants (tenant_id, external_id)
		SELECT ?, 'other-' || n FROM generate_series(0, ?) n`, created.TenantID, others-1).Error
}

// generateExpired writes rows expired rows of tenant, in transactions of
// chunkRows, and says what it wrote.
func generateExpired(owner *gorm.DB, tenant uuid.UUID, rows int) (string, error) {
	events := int(float64(rows) * eventShare)
	replays := int(float64(rows) * idempotencyShare)
	messages := rows - events - replays
	if err := owner.Exec(`INSERT INTO participants (tenant_id, external_id) SELECT ?, 'host-' || n FROM generate_series(1, ?) n`,
		tenant, retentionHosts).Error; err != nil {
		return "", fmt.Errorf("generate hosts: %w", err)
	}
	steps := []struct {
		sql   string
		total int
	}{
		// Received 400 to 765 days ago, with what a tenant sends about a
		// purchase, spread over the hosts. The ids are drawn for the whole
		// chunk at once (new_sorted_ids), as ingestion draws a batch's: the
		// column default draws them one call a row.
		{`INSERT INTO events (tenant_id, id, participant_id, name, occurred_at, received_at, properties)
		  SELECT ?1, e.id, h.id, 'page_view', t, t,
		         jsonb_build_object('order', 'A-' || n, 'email', 'buyer' || n || '@example.com', 'total', n % 997)
		  FROM unnest(new_sorted_ids('evt', (?3 - ?2 + 1)::integer)) WITH ORDINALITY e(id, i),
		       LATERAL (SELECT ?2 + e.i - 1 AS n) g,
		       LATERAL (SELECT now() - interval '400 days' - (n % 31536000) * interval '1 second' AS t) x,
		       (SELECT id, row_number() OVER () - 1 AS k FROM participants WHERE tenant_id = ?1 AND external_id LIKE 'host-%') h
		  WHERE h.k = n % ` + fmt.Sprint(retentionHosts) + ``, events},
		{`INSERT INTO api_idempotency (tenant_id, key, request_hash, response_status, response_body, created_at)
		  SELECT ?1, 'key-' || g.n, sha256(g.n::text::bytea), 201, convert_to('{"id":"par_' || g.n || '","email":"buyer' || g.n || '@example.com"}', 'UTF8'),
		         now() - interval '2 days' - (g.n % 86400) * interval '1 second'
		  FROM generate_series(?2::bigint, ?3::bigint) g(n)`, replays},
		{`INSERT INTO webhook_messages (tenant_id, id, type, object_id, facts, snapshot, payload, created_at)
		  SELECT ?1, m.id, 'participant.updated', 'host-' || (n % ` + fmt.Sprint(retentionHosts) + ` + 1), '{"n":1}',
		         jsonb_build_object('external_id', 'host-' || n, 'email', 'buyer' || n || '@example.com'),
		         convert_to('{"type":"participant.updated","data":{"email":"buyer' || n || '@example.com"}}', 'UTF8'),
		         now() - interval '40 days' - (n % 86400) * interval '1 second'
		  FROM unnest(new_sorted_ids('msg', (?3 - ?2 + 1)::integer)) WITH ORDINALITY m(id, i),
		       LATERAL (SELECT ?2 + m.i - 1 AS n) g`, messages},
	}
	for _, s := range steps {
		for from := 1; from <= s.total; from += chunkRows {
			to := min(from+chunkRows-1, s.total)
			// Values of ours, written in: gorm would read the '@' of the
			// generated addresses as named parameters.
			sql := strings.NewReplacer("?1", "'"+tenant.String()+"'::uuid", "?2", fmt.Sprint(from), "?3", fmt.Sprint(to)).Replace(s.sql)
			if err := owner.Exec(sql).Error; err != nil {
				return "", fmt.Errorf("generate: %w", err)
			}
		}
	}
	if err := owner.Exec(`ANALYZE`).Error; err != nil {
		return "", err
	}
	return fmt.Sprintf("%d events with properties, %d idempotent answers, %d webhook messages", events, replays, messages), nil
}

// stillExpired counts tenant's rows that retention should have let go of.
func stillExpired(owner *gorm.DB, tenant uuid.UUID) (int64, error) {
	var n int64
	err := owner.Raw(`SELECT
		(SELECT count(*) FROM events WHERE tenant_id = ? AND properties <> '{}' AND received_at < now() - interval '365 days')
		+ (SELECT count(*) FROM api_idempotency WHERE tenant_id = ? AND created_at < now() - interval '24 hours')
		+ (SELECT count(*) FROM webhook_messages WHERE tenant_id = ? AND payload IS NOT NULL AND created_at < now() - interval '30 days')`,
		tenant, tenant, tenant).Scan(&n).Error
	return n, err
}

// loadAverage is the machine's load over the last 1, 5 and 15 minutes, or
// "unknown" off Linux.
func loadAverage() string {
	raw, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(raw)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "unknown"
}
