package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
)

// bench holds what every run needs.
type bench struct {
	owner        *sql.DB  // the schema owner, for CHECKPOINT
	db           *gorm.DB // the engine's pool, as tandem_app
	tenantID     uuid.UUID
	runID        string // makes this run's idempotency keys unique
	pgbench      string // executable
	dir          string // scripts and pgbench logs
	pgbenchURL   string
	rounds       int
	maxRun       time.Duration
	out          io.Writer
	checkpointed bool // every CHECKPOINT succeeded
}

// pair is one comparison: the engine and pgbench doing the same work, each
// on its own cohort.
type pair struct {
	name             string
	clients, perUnit int
	units            int // transactions per side, before rounding to clients × rounds
	pg, engine       cohort
}

// runPair cuts each side's work into rounds slices and runs them in turn —
// pgbench first in rounds 1, 3, …, the engine first in rounds 2, 4, … —
// each after a CHECKPOINT: load that comes and goes on the machine, and the
// growth of the events table, then fall on both sides alike.
func (b *bench) runPair(ctx context.Context, p pair) ([]row, error) {
	perRound := p.units / b.rounds / p.clients * p.clients
	var pg, eng result
	for round := range b.rounds {
		sides := []func() error{
			func() error {
				r, err := pgbenchRun{bin: b.pgbench, dir: b.dir, url: b.pgbenchURL, password: appPassword,
					tenantID: b.tenantID, cohort: p.pg, round: round, clients: p.clients, units: perRound,
					perUnit: p.perUnit, keys: b.keys(p.pg, round), maxTime: b.maxRun / time.Duration(b.rounds)}.run(ctx)
				pg.add(r)
				return err
			},
			func() error {
				r, err := engineRun{db: b.db, tenantID: b.tenantID, cohort: p.engine, clients: p.clients,
					units: perRound, perUnit: p.perUnit, keys: b.keys(p.engine, round),
					maxTime: b.maxRun / time.Duration(b.rounds)}.run(ctx)
				eng.add(r)
				return err
			},
		}
		if round%2 == 1 {
			sides[0], sides[1] = sides[1], sides[0]
		}
		for _, side := range sides {
			b.checkpoint(ctx)
			if err := side(); err != nil {
				return nil, err
			}
		}
	}
	fmt.Fprintf(b.out, "%-6s %d rounds: pgbench %.0f events/s, engine %.0f events/s\n", p.name, b.rounds, pg.rate(), eng.rate())

	var rows []row
	for _, side := range []struct {
		name string
		res  result
		c    cohort
	}{{"pgbench", pg, p.pg}, {"engine", eng, p.engine}} {
		o, err := countOutcome(ctx, b.db, b.tenantID, side.c)
		if err != nil {
			return nil, err
		}
		if !side.res.capped && o.events != int64(side.res.events) {
			return nil, fmt.Errorf("%s %s: %d events stored, %d sent", p.name, side.name, o.events, side.res.events)
		}
		rows = append(rows, row{p.name, side.name, p.clients, side.res, o})
	}
	return rows, nil
}

// keys is the idempotency key prefix of one cohort's round.
func (b *bench) keys(c cohort, round int) string {
	return fmt.Sprintf("%s-%s-%d", b.runID, c.prefix, round)
}

// checkpoint flushes dirty buffers so that no slice pays for the writes of
// the one before; it needs a superuser (or pg_checkpoint) and is skipped
// without one.
func (b *bench) checkpoint(ctx context.Context) {
	if _, err := b.owner.ExecContext(ctx, "CHECKPOINT"); err != nil {
		b.checkpointed = false
	}
}
