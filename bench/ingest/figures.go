package main

import (
	"fmt"
	"io"
	"time"

	"github.com/tandemhq/tandem/bench/reference"
)

// figures is what the run measured.
type figures struct {
	refEvent, single      result
	cold                  result        // the first seconds of a fresh server
	ready                 time.Duration // from `tandem serve` starting to /readyz answering 200
	refGrown, grown       result        // the reference again, then figure 2
	spreadBurst, hotBurst result
	refBatch, batch       result
	exactlyOnce           error
	completing            result         // figure 6, over refBatch
	completions           completionCost // figure 6's CPU per completion, one connection
	hotOnce               error          // exactly-once on figure 6's hot host
	hwm                   int64          // kB
}

// printBackend prints backendCost beside the reference, as a ratio of
// throughputs (the reference's CPU per event over ours).
func printBackend(out io.Writer, c backendCost) {
	fmt.Fprintln(out, "\nbackend CPU per event, one connection, nothing else running in the database (what PostgreSQL itself spends):")
	for _, l := range []struct {
		what    string
		ours    time.Duration
		refWhat string
		ref     time.Duration
	}{
		{"page views, batches of 1,000", c.batch, "reference-batch.sql", c.refBatch},
		{"page views, one a transaction", c.single, "reference-event.sql", c.refSingle},
		{"quest steps, one a transaction", c.steps, "without the outbox", c.stepsNoOutbox},
	} {
		ratio := 0.0
		if l.ours > 0 {
			ratio = float64(l.ref) / float64(l.ours)
		}
		fmt.Fprintf(out, "  %-31s %7.1f µs   %-20s %7.1f µs   ratio %.2f\n", l.what, micros(l.ours), l.refWhat, micros(l.ref), ratio)
	}
}

func micros(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }

// rows are the table's lines, numbered 1 to 5 (docs/performance.md).
func (f figures) rows(cfg config) []row {
	return []row{
		ratioRow(fmt.Sprintf("1. single events over HTTP, %d clients", clients), f.single.rate(), f.refEvent.rate(),
			rate(f.refEvent.rate(), "tx")+" (reference-event)", singleGoal),
		ratioRow(fmt.Sprintf("   a fresh server's first %d s", cfg.seconds), f.cold.rate(), f.single.rate(),
			rate(f.single.rate(), "events")+" (figure 1, warm)", coldGoal),
		boundRow("   latency p99 (p50)", fmt.Sprintf("%s (%s)", millis(f.single.percentile(99)), millis(f.single.percentile(50))),
			float64(f.single.percentile(99))/float64(time.Millisecond), p99Goal, "ms"),
		f.grownRow(cfg),
		ratioRow(fmt.Sprintf("3. hot host: 1 × %d guests completing", hosts*guestsPerHost), f.hotBurst.rate(), f.spreadBurst.rate(),
			rate(f.spreadBurst.rate(), "events")+fmt.Sprintf(" (spread: %d × %d)", hosts, guestsPerHost), hotGoal),
		checkRow("   exactly-once on the hot hosts", fmt.Sprintf("completions 1…%d, one reward each", hosts*guestsPerHost), f.exactlyOnce),
		ratioRow(fmt.Sprintf("4. batches of %s over HTTP, %d clients", thousands(batchSize), batchClients), f.batch.rate(), f.refBatch.rate(),
			fmt.Sprintf("%s (%s × %d)", rate(f.refBatch.rate(), "events"), rate(f.refBatch.rate()/reference.BatchEvents, "tx"),
				reference.BatchEvents), batchGoal),
		boundRow("5. server peak memory (VmHWM)", megabytes(f.hwm), float64(f.hwm)/1024, memoryGoal, "MB"),
		ratioRow(fmt.Sprintf("6. batches completing quests, %d clients", batchClients), f.completing.rate(), f.refBatch.rate(),
			fmt.Sprintf("%s (%s × %d)", rate(f.refBatch.rate(), "events"), rate(f.refBatch.rate()/reference.BatchEvents, "tx"),
				reference.BatchEvents), batchGoal),
		boundRow("   latency p99 per batch (p50)", fmt.Sprintf("%s (%s)", millis(f.completing.percentile(99)), millis(f.completing.percentile(50))),
			float64(f.completing.percentile(99))/float64(time.Millisecond), completingP99Goal, "ms"),
		boundRow(fmt.Sprintf("   PostgreSQL CPU a completion, %s a batch", thousands(batchSize)), fmt.Sprintf("%.0f µs", micros(f.completions.batch)),
			micros(f.completions.batch), completionCPUGoal, "µs"),
		f.hotCompletionRow(),
		f.reviewedRow(),
		checkRow("   exactly-once on the hot host", fmt.Sprintf("completions 1…%s, one reward each", thousands(hotGuests)), f.hotOnce),
	}
}

// hotCompletionRow is the hot host's CPU per completion over the spread
// cohort's, the same 5,000 completions in one transaction each: the goal
// is an upper bound on the ratio.
func (f figures) hotCompletionRow() row {
	hot, spread := micros(f.completions.hot), micros(f.completions.spread)
	r := row{figure: fmt.Sprintf("   hot host: 1 × %s completing in one tx", thousands(hotGuests)),
		measured: fmt.Sprintf("%.0f µs a completion", hot), reference: fmt.Sprintf("%.0f µs (spread: %d × %d)", spread, completionHosts, hotSpreadPerHost),
		ratio: "—", goal: fmt.Sprintf("≤ %.2f", hotCompletionGoal)}
	if spread > 0 {
		r.ratio = fmt.Sprintf("%.2f", hot/spread)
		r.pass = hot/spread <= hotCompletionGoal
	}
	return r
}

// reviewedRow is a completion's CPU under review: risky, every referral
// flagged (its rewards held), over the same batch without review measured
// after it (completionCost.reviewBase): the goal is an upper bound on the
// ratio.
func (f figures) reviewedRow() row {
	reviewed, plain := micros(f.completions.reviewedFlagged), micros(f.completions.reviewBase())
	r := row{figure: "   the same under review, every referral held", measured: fmt.Sprintf("%.0f µs a completion", reviewed),
		reference: fmt.Sprintf("%.0f µs (no review)", plain), ratio: "—", goal: fmt.Sprintf("≤ %.2f", reviewedGoal)}
	if plain > 0 {
		r.ratio = fmt.Sprintf("%.2f", reviewed/plain)
		r.pass = reviewed/plain <= reviewedGoal
	}
	return r
}

// grownRow is figure 2: figure 1's ratio again, with the events stored and
// over the reference measured just before it, beside figure 1's.
func (f figures) grownRow(cfg config) row {
	single, grown := over(f.single.rate(), f.refEvent.rate()), over(f.grown.rate(), f.refGrown.rate())
	r := ratioRow(fmt.Sprintf("2. the same, %s events stored", thousands(int64(cfg.stored))), grown, single,
		fmt.Sprintf("%s (figure 1)", floor2(single)), grownGoal)
	r.measured = fmt.Sprintf("%s, %s of %s", rate(f.grown.rate(), "events"), floor2(grown), rate(f.refGrown.rate(), "tx"))
	return r
}

// over is a / b, or 0 without a b.
func over(a, b float64) float64 {
	if b <= 0 {
		return 0
	}
	return a / b
}
