package main

import (
	"fmt"
	"io"
	"slices"
	"text/tabwriter"
	"time"
)

// Targets of BRIEF §6.
const (
	singleRatioGoal = 0.6
	batchRateGoal   = 20_000
)

// result is one side of one run.
type result struct {
	units     int             // transactions done
	events    int             // events sent
	elapsed   time.Duration   // without connecting
	latencies []time.Duration // per transaction
	retried   int             // transactions run again after a deadlock or serialization failure
	capped    bool            // stopped by -max-run before all transactions
	clientCPU time.Duration   // CPU used by the client: the Go process, or pgbench
	allCPU    time.Duration   // CPU used by the whole machine meanwhile (0: unknown)
}

// add sums slices of one side.
func (r *result) add(o result) {
	r.units += o.units
	r.events += o.events
	r.elapsed += o.elapsed
	r.latencies = append(r.latencies, o.latencies...)
	r.retried += o.retried
	r.capped = r.capped || o.capped
	r.clientCPU += o.clientCPU
	r.allCPU += o.allCPU
}

func (r result) rate() float64 {
	if r.elapsed <= 0 {
		return 0
	}
	return float64(r.events) / r.elapsed.Seconds()
}

// percentile returns the p-th percentile (0 < p ≤ 100) of the latencies.
func (r result) percentile(p float64) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	s := slices.Clone(r.latencies)
	slices.Sort(s)
	i := int(p / 100 * float64(len(s)))
	return s[min(i, len(s)-1)]
}

// row is one line of the report.
type row struct {
	run, side string
	clients   int
	res       result
	out       outcome
}

func printReport(out io.Writer, rows []row, checkpointed bool) {
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "run\tside\tclients\ttx\tevents\tseconds\tevents/s\ttx p50\ttx p99\tretried\tclient CPU\tall CPU\tquests done\trewards\t")
	for _, r := range rows {
		capped := ""
		if r.res.capped {
			capped = " (capped)"
		}
		fmt.Fprintf(w, "%s\t%s\t%d\t%d\t%d\t%.2f\t%.0f%s\t%s\t%s\t%d\t%.1f s\t%.1f s\t%d\t%d\t\n",
			r.run, r.side, r.clients, r.res.units, r.res.events, r.res.elapsed.Seconds(), r.res.rate(), capped,
			ms(r.res.percentile(50)), ms(r.res.percentile(99)), r.res.retried,
			r.res.clientCPU.Seconds(), r.res.allCPU.Seconds(), r.out.completed, r.out.rewards)
	}
	w.Flush()
	fmt.Fprintln(out)
	for i := 0; i+1 < len(rows); i += 2 {
		pg, eng := rows[i], rows[i+1]
		ratio := eng.res.rate() / pg.res.rate()
		goal := fmt.Sprintf("goal ≥ %.1f", singleRatioGoal)
		if eng.res.events/max(eng.res.units, 1) > 1 {
			goal = fmt.Sprintf("goal: engine ≥ %d events/s on 2 cores; engine did %.0f", batchRateGoal, eng.res.rate())
		}
		fmt.Fprintf(out, "%-6s engine/pgbench = %.2f   (%s)\n", pg.run, ratio, goal)
	}
	fmt.Fprintln(out, "tx p50/p99: latency of one whole transaction (BEGIN … COMMIT) as the client saw it; pgbench's from its per-transaction log.")
	fmt.Fprintln(out, "client CPU: the Go process or pgbench; all CPU: the whole machine (server + client) during the side's run.")
	if !checkpointed {
		fmt.Fprintln(out, "note: CHECKPOINT was refused (needs a superuser): runs were not separated by checkpoints.")
	}
}

func ms(d time.Duration) string {
	return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000)
}
