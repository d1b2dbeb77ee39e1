package main

import (
	"context"

	"github.com/google/uuid"
)

// measurer runs one measurement at a time on b's cluster, with its CPU.
type measurer struct {
	b      *bench
	meter  cpuMeter
	tenant uuid.UUID
	step   func(string, ...any)
}

// measure measures fn: our load on cohort c, or pgbench (no cohort). It
// settles the cluster first (settle), reads the CPU time around fn, and
// checks that the events a load sent were all stored.
func (m measurer) measure(ctx context.Context, what string, c cohort, fn func() (result, error)) (result, error) {
	measured := tandemDB
	if c.prefix == "" {
		measured = referenceDB
	}
	if err := m.b.settle(ctx, measured); err != nil {
		return result{}, err
	}
	m.step("%s", what)
	before, err := m.meter.read()
	if err != nil {
		return result{}, err
	}
	res, err := fn()
	if err != nil {
		return result{}, err
	}
	after, err := m.meter.read()
	if err != nil {
		return result{}, err
	}
	use := after.sub(before)
	if pgbench := res.cpu.client; pgbench > 0 {
		// pgbench was the client, and the server sat idle.
		use.client, use.server = pgbench, 0
	}
	res.cpu = use
	if c.prefix != "" {
		err = m.b.checkStored(ctx, m.tenant, c, res.events)
	}
	return res, err
}
