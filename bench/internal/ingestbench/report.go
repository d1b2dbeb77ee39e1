package ingestbench

import (
	"fmt"
	"io"
	"slices"
	"text/tabwriter"
	"time"
)

// Targets of BRIEF §6.
const (
	SingleRatioGoal = 0.6
	BatchRateGoal   = 20_000
)

// Result is one side of one run, or the sum of its slices.
type Result struct {
	Units     int             // transactions (HTTP requests) done
	Events    int             // events sent
	Elapsed   time.Duration   // without connecting
	Latencies []time.Duration // per transaction (request)
	Retried   int             // transactions run again after a deadlock or serialization failure
	Capped    bool            // stopped by the time cap before all transactions
	ClientCPU time.Duration   // CPU used by the client: the Go process, or pgbench
	AppCPU    time.Duration   // CPU used by a separate application server (tandem serve); 0 when none
	DBCPU     time.Duration   // CPU used by PostgreSQL meanwhile (0: unknown, not on this machine)
	AllCPU    time.Duration   // CPU used by the whole machine meanwhile, other work included (0: unknown)
	Sessions  int64           // database sessions opened meanwhile (pg_stat_database); -1: unknown
}

// Add sums slices of one side.
func (r *Result) Add(o Result) {
	r.Units += o.Units
	r.Events += o.Events
	r.Elapsed += o.Elapsed
	r.Latencies = append(r.Latencies, o.Latencies...)
	r.Retried += o.Retried
	r.Capped = r.Capped || o.Capped
	r.ClientCPU += o.ClientCPU
	r.AppCPU += o.AppCPU
	r.DBCPU += o.DBCPU
	r.AllCPU += o.AllCPU
	if r.Sessions < 0 || o.Sessions < 0 {
		r.Sessions = -1
	} else {
		r.Sessions += o.Sessions
	}
}

// Rate is events per second.
func (r Result) Rate() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Events) / r.Elapsed.Seconds()
}

// Percentile returns the p-th percentile (0 < p ≤ 100) of the latencies.
func (r Result) Percentile(p float64) time.Duration {
	if len(r.Latencies) == 0 {
		return 0
	}
	s := slices.Clone(r.Latencies)
	slices.Sort(s)
	i := int(p / 100 * float64(len(s)))
	return s[min(i, len(s)-1)]
}

// Row is one line of the report: one side of one run.
type Row struct {
	Run, Side string
	Clients   int
	Res       Result
	Out       Outcome
}

// PrintReport prints the rows, then for each run the ratio of every side to
// the run's first (pgbench) and the goal of BRIEF §6 beside goalSide's.
func PrintReport(out io.Writer, rows []Row, goalSide string, checkpointed bool) {
	app := slices.ContainsFunc(rows, func(r Row) bool { return r.Res.AppCPU > 0 })
	db := slices.ContainsFunc(rows, func(r Row) bool { return r.Res.DBCPU > 0 })
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(w, "run\tside\tclients\ttx\tevents\tseconds\tevents/s\ttx p50\ttx p99\tretried\tnew conns\tclient CPU\t")
	if app {
		fmt.Fprint(w, "server CPU\t")
	}
	if db {
		fmt.Fprint(w, "postgres CPU\t")
	}
	fmt.Fprintln(w, "all CPU\tCPU/event\tquests done\trewards\t")
	for _, r := range rows {
		capped := ""
		if r.Res.Capped {
			capped = " (capped)"
		}
		conns := "?"
		if r.Res.Sessions >= 0 {
			conns = fmt.Sprint(r.Res.Sessions)
		}
		fmt.Fprintf(w, "%s\t%s\t%d\t%d\t%d\t%.2f\t%.0f%s\t%s\t%s\t%d\t%s\t%.1f s\t",
			r.Run, r.Side, r.Clients, r.Res.Units, r.Res.Events, r.Res.Elapsed.Seconds(), r.Res.Rate(), capped,
			ms(r.Res.Percentile(50)), ms(r.Res.Percentile(99)), r.Res.Retried, conns, r.Res.ClientCPU.Seconds())
		if app {
			fmt.Fprintf(w, "%.1f s\t", r.Res.AppCPU.Seconds())
		}
		if db {
			fmt.Fprintf(w, "%.1f s\t", r.Res.DBCPU.Seconds())
		}
		perEvent, used := time.Duration(0), r.Res.AllCPU
		if db {
			used = r.Res.ClientCPU + r.Res.AppCPU + r.Res.DBCPU
		}
		if r.Res.Events > 0 {
			perEvent = used / time.Duration(r.Res.Events)
		}
		fmt.Fprintf(w, "%.1f s\t%d µs\t%d\t%d\t\n", r.Res.AllCPU.Seconds(), perEvent.Microseconds(), r.Out.Completed, r.Out.Rewards)
	}
	w.Flush()
	fmt.Fprintln(out)
	for i := 0; i < len(rows); {
		j := i + 1
		for j < len(rows) && rows[j].Run == rows[i].Run {
			j++
		}
		base := rows[i]
		for _, r := range rows[i+1 : j] {
			goal := ""
			switch {
			case r.Side != goalSide:
			case r.Res.Events/max(r.Res.Units, 1) > 1:
				goal = fmt.Sprintf("   (goal: %s ≥ %d events/s on 2 cores; %s did %.0f)", goalSide, BatchRateGoal, goalSide, r.Res.Rate())
			default:
				goal = fmt.Sprintf("   (goal ≥ %.1f)", SingleRatioGoal)
			}
			fmt.Fprintf(out, "%-6s %s/%s = %.2f%s\n", r.Run, r.Side, base.Side, r.Res.Rate()/base.Res.Rate(), goal)
		}
		i = j
	}
	if app {
		fmt.Fprintln(out, "tx: transactions, or HTTP requests; tx p50/p99: latency of one whole transaction (BEGIN … COMMIT), or request, as the client saw it;")
		fmt.Fprintln(out, "pgbench's from its per-transaction log.")
	} else {
		fmt.Fprintln(out, "tx p50/p99: latency of one whole transaction (BEGIN … COMMIT) as the client saw it; pgbench's from its per-transaction log.")
	}
	fmt.Fprintln(out, "new conns: database sessions opened during the side's run (pg_stat_database.sessions); pgbench connects anew each round.")
	if app {
		fmt.Fprintln(out, "client CPU: the Go process (load generator, or engine) or pgbench; server CPU: the tandem serve process;")
	} else {
		fmt.Fprintln(out, "client CPU: the Go process or pgbench;")
	}
	if db {
		fmt.Fprintln(out, "postgres CPU: the PostgreSQL server (postmaster and all its processes); all CPU: the whole machine, other work included;")
		what := "client + postgres"
		if app {
			what = "client + server + postgres"
		}
		fmt.Fprintf(out, "CPU/event: %s CPU per event, the benchmark's own work, whatever else the machine does.\n", what)
	} else {
		fmt.Fprintln(out, "all CPU: the whole machine (PostgreSQL + client + anything else running) during the side's run; CPU/event: all CPU per event.")
	}
	if !checkpointed {
		fmt.Fprintln(out, "note: CHECKPOINT was refused (needs a superuser): runs were not separated by checkpoints.")
	}
}

func ms(d time.Duration) string {
	return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000)
}
