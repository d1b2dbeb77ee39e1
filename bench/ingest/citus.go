package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/tandemhq/tandem/bench/reference"
	"github.com/tandemhq/tandem/internal/database"
	"github.com/tandemhq/tandem/internal/pgcluster"
	"github.com/tandemhq/tandem/models"
)

// citusFigures are figures 1 and 4 measured again with Tandem on a Citus
// coordinator and two workers on this machine (-citus): every tenant table
// distributed (migrations/always/citus.sql), ingestion delegated to the
// worker that holds the tenant, the server connected to the coordinator.
// The references run on the coordinator too, in a database without the
// extension. On one machine Citus cannot be faster; what the column shows
// is what distribution costs per event: a hop from the coordinator to the
// worker, and PostgreSQL's CPU on all three nodes.
type citusFigures struct {
	refEvent, single, refBatch, batch result
}

// measureCitus starts the Citus cluster (the single cluster's server is
// stopped by then), sets up the same fixture on it, and measures figures 1
// and 4 and their references as run does.
func measureCitus(ctx context.Context, cfg config, bin string, step func(string, ...any)) (f citusFigures, err error) {
	step("Citus: starting a coordinator and two workers, migrating (which distributes), setting up the reference")
	b, err := startCitusBench(ctx, cfg.durable)
	if err != nil {
		return f, err
	}
	defer func() { err = errors.Join(err, b.close()) }()

	step("Citus: fixture")
	warm, single := cohort{"warm", hosts, guestsPerHost}, cohort{"single", hosts, guestsPerHost}
	batch := cohort{"batch", batchSize / guestsPerHost, guestsPerHost}
	pool, err := database.Open(b.appURL)
	if err != nil {
		return f, err
	}
	tenant, err := setUp(ctx, pool)
	if err == nil {
		// One transaction at a time: on Citus a transaction that creates
		// codes holds the lock of invite_codes (a reference table) until it
		// commits, and a second one would wait for it (docs/scale.md).
		err = addCohorts(ctx, pool, tenant.TenantID, campaignSlug, []cohort{warm, single, batch}, nil, 1)
	}
	if err = errors.Join(err, database.Close(pool)); err != nil {
		return f, err
	}
	if err := b.vacuum(ctx); err != nil {
		return f, err
	}

	step("Citus: starting tandem serve")
	srv, err := startServer(ctx, bin, b.dir, b.appURL)
	if err != nil {
		return f, err
	}
	defer func() {
		err = errors.Join(err, srv.stop())
		if logged := srv.errorLines(); logged > 0 {
			err = errors.Join(err, fmt.Errorf("tandem serve on Citus logged %d error or warning lines", logged))
		}
	}()
	load := newAPILoad(srv.base, tenant.SecretKey, clients)
	defer load.close()
	m := measurer{b: b, meter: cpuMeter{dataDir: b.cluster.Dir, workers: b.workerDirs, server: srv.pid}, tenant: tenant.TenantID, step: step}
	seconds := time.Duration(cfg.seconds) * time.Second
	http := func(c cohort, clients, perRequest, events int) func() (result, error) {
		return func() (result, error) {
			return load.run(ctx, job{cohort: c, clients: clients, perRequest: perRequest, events: events, duration: seconds})
		}
	}
	if f.refEvent, err = m.measure(ctx, "Citus: pgbench reference-event.sql", cohort{}, func() (result, error) {
		return b.pgbench(ctx, "reference-event.sql", reference.Event, 1, clients, cfg.seconds)
	}); err != nil {
		return f, err
	}
	step("Citus: warming the server up on %s", warm.prefix)
	if _, err := http(warm, clients, 1, warm.completing()+warm.guests())(); err != nil {
		return f, err
	}
	if f.single, err = m.measure(ctx, "Citus: figure 1, single events", single, http(single, clients, 1, 0)); err != nil {
		return f, err
	}
	if f.refBatch, err = m.measure(ctx, "Citus: pgbench reference-batch.sql", cohort{}, func() (result, error) {
		return b.pgbench(ctx, "reference-batch.sql", reference.Batch, reference.BatchEvents, batchClients, cfg.seconds)
	}); err != nil {
		return f, err
	}
	f.batch, err = m.measure(ctx, "Citus: figure 4, batches", batch, http(batch, batchClients, batchSize, 0))
	return f, err
}

// startCitusBench is startBench on a Citus cluster: tandemDB on every node
// with the extension, migrated (and so distributed) on the coordinator, the
// schema's roles given logins on every node (Citus reaches a worker as the
// current user); the reference database on the coordinator alone.
func startCitusBench(ctx context.Context, durable bool) (_ *bench, err error) {
	binDir, err := pgcluster.FindBinDir()
	if err != nil {
		return nil, err
	}
	// Not under a 0700 parent, as startBench's.
	dir, err := os.MkdirTemp("", "tandem-bench-citus-")
	if err != nil {
		return nil, err
	}
	cc, err := pgcluster.StartCitus(ctx, dir, 2, false)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	b := &bench{cluster: cc.Coordinator, binDir: binDir, dir: dir, stop: cc.Stop}
	defer func() {
		if err != nil {
			err = errors.Join(err, b.close())
		}
	}()
	var nodes []string
	for _, c := range cc.Nodes() {
		if !durable {
			if err := fsyncOff(ctx, c); err != nil {
				return nil, err
			}
		}
		nodes = append(nodes, c.URL("postgres"))
	}
	for _, w := range cc.Workers {
		b.workerDirs = append(b.workerDirs, w.Dir)
	}
	if err := cc.CreateDatabase(ctx, tandemDB, ""); err != nil {
		return nil, err
	}
	if err := cc.EnableCitus(ctx, tandemDB); err != nil {
		return nil, err
	}
	if err := cc.Coordinator.CreateDatabase(ctx, referenceDB, ""); err != nil {
		return nil, err
	}
	if b.owner, err = database.OpenSQL(cc.Coordinator.URL(tandemDB)); err != nil {
		return nil, err
	}
	if err := models.Migrate(ctx, b.owner); err != nil {
		return nil, err
	}
	logins := map[string]string{"tandem_app": password}
	for _, role := range []string{"tandem_definer", "tandem_referee", "tandem_eraser", "tandem_purger", "tandem_jobs"} {
		logins[role] = password
	}
	if err := pgcluster.GrantCitusLogins(ctx, nodes, tandemDB, logins); err != nil {
		return nil, err
	}
	b.appURL = cc.Coordinator.TCPURL("tandem_app", password, tandemDB)
	if err := b.setUpReference(ctx); err != nil {
		return nil, err
	}
	return b, nil
}

// printCitus prints the Citus column: figures 1 and 4 on Citus beside
// their references there and beside the same figures on one PostgreSQL.
func printCitus(out io.Writer, plain figures, c citusFigures) {
	fmt.Fprintln(out, "\nCitus: figures 1 and 4 with Tandem on a coordinator and two workers on this machine (tables distributed, ingestion delegated):")
	fmt.Fprintf(out, "  %-34s %14s %14s %9s %14s %12s\n", "", "events/s", "reference", "ratio", "one node", "postgres µs")
	for _, l := range []struct {
		what            string
		res, ref, plain result
	}{
		{"1. single events over HTTP", c.single, c.refEvent, plain.single},
		{"4. batches of 1,000 over HTTP", c.batch, c.refBatch, plain.batch},
	} {
		u := l.res.cpu.perEvent(l.res.events)
		fmt.Fprintf(out, "  %-34s %14s %14s %9s %14s %12.1f\n", l.what, thousands(int64(l.res.rate())), thousands(int64(l.ref.rate())),
			floor2(over(l.res.rate(), l.ref.rate())), floor2(over(l.res.rate(), l.plain.rate()))+" ×", micros(u.postgres))
	}
	fmt.Fprintln(out, "  (reference: pgbench on the coordinator, a database without Citus; one node: over the same figure above; postgres: all three nodes)")
	if p := plain.single.cpu.perEvent(plain.single.events); p.postgres > 0 {
		fmt.Fprintf(out, "  one node's PostgreSQL CPU per single event: %.1f µs\n", micros(p.postgres))
	}
}
