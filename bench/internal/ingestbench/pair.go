package ingestbench

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Runner measures one side's slice of work.
type Runner interface {
	Run(ctx context.Context, s Slice) (Result, error)
}

// Side is one contender of a run, with its own cohort.
type Side struct {
	Name   string
	Cohort Cohort
	Runner Runner
}

// Pair is one comparison: sides doing the same work, each on its own
// cohort. The first side (pgbench) is the one the others are compared to.
type Pair struct {
	Name             string
	Clients, PerUnit int
	Units            int // transactions per side, before rounding to clients × rounds
	Sides            []Side
}

// Bench holds what every run needs.
type Bench struct {
	DB           *Database
	TenantID     uuid.UUID
	RunID        string // makes this run's idempotency keys unique
	Rounds       int
	MaxRun       time.Duration // time cap of each side, all rounds
	Out          io.Writer
	Checkpointed bool // every CHECKPOINT succeeded; set true before the first run
}

// RunPair cuts each side's work into rounds slices and runs them in turn,
// each after a CHECKPOINT, the first side to go moving by one each round
// (with two sides: pgbench first in rounds 1, 3, …, the other first in
// rounds 2, 4, …): load that comes and goes on the machine, and the growth
// of the events table, then fall on every side alike. It then checks that
// each side stored every event it sent, and returns a row per side.
func (b *Bench) RunPair(ctx context.Context, p Pair) ([]Row, error) {
	perRound := p.Units / b.Rounds / p.Clients * p.Clients
	results := make([]Result, len(p.Sides))
	rounds := make([][]string, len(p.Sides)) // each round's rate, to show how steady the machine was
	for round := range b.Rounds {
		for k := range p.Sides {
			i := (round + k) % len(p.Sides)
			side := p.Sides[i]
			s := Slice{Cohort: side.Cohort, Round: round, Clients: p.Clients, Units: perRound, PerUnit: p.PerUnit,
				Keys: b.keys(side.Cohort, round), MaxTime: b.MaxRun / time.Duration(b.Rounds)}
			b.checkpoint(ctx)
			sessions0, db0 := b.DB.sessions(ctx), b.DB.PostgresCPU()
			r, err := side.Runner.Run(ctx, s)
			if err != nil {
				return nil, err
			}
			if db0 > 0 {
				r.DBCPU = b.DB.PostgresCPU() - db0
			}
			r.Sessions = -1
			if sessions1 := b.DB.sessions(ctx); sessions0 >= 0 && sessions1 >= 0 {
				r.Sessions = sessions1 - sessions0
			}
			results[i].Add(r)
			rounds[i] = append(rounds[i], fmt.Sprintf("%.0f", r.Rate()))
		}
	}
	var rates []string
	for i, side := range p.Sides {
		rates = append(rates, fmt.Sprintf("%s %.0f events/s (rounds %s)", side.Name, results[i].Rate(), strings.Join(rounds[i], " ")))
	}
	fmt.Fprintf(b.Out, "%-6s %d rounds: %s\n", p.Name, b.Rounds, strings.Join(rates, ", "))

	var rows []Row
	for i, side := range p.Sides {
		o, err := CountOutcome(ctx, b.DB.App, b.TenantID, side.Cohort)
		if err != nil {
			return nil, err
		}
		if res := results[i]; !res.Capped && o.Events != int64(res.Events) {
			return nil, fmt.Errorf("%s %s: %d events stored, %d sent", p.Name, side.Name, o.Events, res.Events)
		}
		rows = append(rows, Row{p.Name, side.Name, p.Clients, results[i], o})
	}
	return rows, nil
}

// keys is the idempotency key prefix of one cohort's round.
func (b *Bench) keys(c Cohort, round int) string {
	return fmt.Sprintf("%s-%s-%d", b.RunID, c.Prefix, round)
}

// checkpoint flushes dirty buffers so that no slice pays for the writes of
// the one before; it needs a superuser (or pg_checkpoint) and is skipped
// without one.
func (b *Bench) checkpoint(ctx context.Context) {
	if _, err := b.DB.Owner.ExecContext(ctx, "CHECKPOINT"); err != nil {
		b.Checkpointed = false
	}
}
