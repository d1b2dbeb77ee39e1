package main

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/tandemhq/tandem/bench/internal/ingestbench"
	"github.com/tandemhq/tandem/internal/database"
	"github.com/tandemhq/tandem/web"
)

// profileCase is one profiled load on the in-process server.
type profileCase struct {
	name    string
	prefix  string // its cohort
	clients int
	perUnit int
	units   int
	idle    int // the pool's idle connections (database/sql keeps 2 unless told)
	note    string
}

// runProfile serves the API in this process (web.New, as serve builds it,
// on a pool opened as serve opens APP_DATABASE_URL) and profiles one round's
// worth of each case, the load generator's goroutines labelled
// bench=client so that the server's share can be told apart.
func runProfile(ctx context.Context, cfg ingestbench.Config, dir string, out io.Writer) (err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	db, err := ingestbench.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, db.Close()) }()
	if err := db.PrintHeader(ctx, out, "bench/http -profile: where the API server's CPU goes, server in process"); err != nil {
		return err
	}
	runID := ingestbench.RandomHex(4)
	fx, err := ingestbench.BuildFixture(ctx, db, runID, cfg, []string{"ps", "pt", "pb"}, out)
	if err != nil {
		return err
	}

	pool, err := database.Open(db.AppURL)
	if err != nil {
		return err
	}
	defer database.Close(pool)
	sqlDB, err := pool.DB()
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	base := "http://" + ln.Addr().String()
	app := web.New(web.Config{DB: pool, PublicURL: base, RateLimitPerMinute: 0})
	served := make(chan error, 1)
	go func() { served <- app.Listener(ln) }()
	defer func() {
		err = errors.Join(err, app.ShutdownWithTimeout(10*time.Second))
		<-served
	}()
	fmt.Fprintf(out, "api       web.New in this process on %s, rate limits off; profiles in %s\n\n", base, dir)

	perRound := func(units, clients int) int { return max(units/cfg.Rounds/clients*clients, clients) }
	cases := []profileCase{
		{"single", "ps", cfg.Clients, 1, perRound(cfg.Events, cfg.Clients), database.MaxConns,
			fmt.Sprintf("pool as serve opens it (internal/database: %d open, all kept idle)", database.MaxConns)},
		{"single-2idle", "pt", cfg.Clients, 1, perRound(cfg.Events, cfg.Clients), 2,
			"the same, the pool keeping database/sql's default of 2 idle connections (the measurement behind the pool policy)"},
		{"batch", "pb", cfg.BatchClients, cfg.BatchSize, perRound(cfg.BatchEvents/cfg.BatchSize, cfg.BatchClients), database.MaxConns,
			"pool as serve opens it"},
	}
	for _, c := range cases {
		sqlDB.SetMaxIdleConns(c.idle)
		before := sqlDB.Stats()
		load := newAPILoad(base, fx.Tenant.SecretKey, c.clients, nil)
		s := ingestbench.Slice{Cohort: fx.Cohorts[c.prefix], Clients: c.clients, Units: c.units, PerUnit: c.perUnit,
			Keys: runID + "-" + c.prefix, MaxTime: cfg.MaxRun}
		file := filepath.Join(dir, c.name+".pprof")
		var res ingestbench.Result
		db0 := db.PostgresCPU()
		err := ingestbench.WithProfile(file, func() error {
			var err error
			// Goroutines inherit labels: the clients and their transport's
			// connection goroutines are all bench=client.
			pprof.Do(ctx, pprof.Labels("bench", "client"), func(ctx context.Context) { res, err = load.Run(ctx, s) })
			return err
		})
		load.close()
		if err != nil {
			return err
		}
		after := sqlDB.Stats()
		pgCPU := db.PostgresCPU() - db0
		o, err := ingestbench.CountOutcome(ctx, db.App, fx.Tenant.TenantID, s.Cohort)
		if err != nil {
			return err
		}
		if !res.Capped && o.Events != int64(res.Events) {
			return fmt.Errorf("%s: %d events stored, %d sent", c.name, o.Events, res.Events)
		}
		opened := (after.MaxIdleClosed + after.MaxLifetimeClosed + after.MaxIdleTimeClosed + int64(after.OpenConnections)) -
			(before.MaxIdleClosed + before.MaxLifetimeClosed + before.MaxIdleTimeClosed + int64(before.OpenConnections))
		bd, err := analyze(ctx, file)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "%s: %s\n", c.name, c.note)
		fmt.Fprintf(out, "  %d clients, %d requests × %d events: %.0f events/s, request p50 %s, p99 %s; %d quests done, %d rewards\n",
			c.clients, res.Units, c.perUnit, res.Rate(), msString(res.Percentile(50)), msString(res.Percentile(99)), o.Completed, o.Rewards)
		fmt.Fprintf(out, "  database connections opened by the pool: %d for %d requests (closed as surplus idle: %d)\n",
			opened, res.Units, after.MaxIdleClosed-before.MaxIdleClosed)
		perEvent := func(d time.Duration) int64 { return (d / time.Duration(max(res.Events, 1))).Microseconds() }
		fmt.Fprintf(out, "  CPU: this process %.1f s (%d µs/event), PostgreSQL %.1f s (%d µs/event), other work on the machine %.1f s;\n",
			res.ClientCPU.Seconds(), perEvent(res.ClientCPU), pgCPU.Seconds(), perEvent(pgCPU),
			max(res.AllCPU-res.ClientCPU-pgCPU, 0).Seconds())
		fmt.Fprintf(out, "  profiled samples: load generator %.1f s, server %.1f s (%d µs/event)\n",
			bd.client.Seconds(), bd.server.Seconds(), perEvent(bd.server))
		bd.print(out)
		fmt.Fprintln(out)
	}
	fmt.Fprintf(out, "profiles: go tool pprof -http=: -tagignore=bench=client %s\n", filepath.Join(dir, "single.pprof"))
	return nil
}

// layers name the parts of the server a CPU sample can land in. A sample
// belongs to the innermost frame of its stack that one of them matches
// (the first in this order if several match that frame): time in
// encoding/json under api.decodeStrict is "JSON decoding", time in pgx under
// gorm is "pgx", gorm's own is "gorm".
var layers = []struct {
	name  string
	match []string
}{
	{"pgx (wire protocol, encoding, statement cache)", []string{"github.com/jackc/"}},
	{"database/sql (pool, conversions)", []string{"database/sql."}},
	{"gorm (callbacks, statement building)", []string{"gorm.io/"}},
	{"API key verification", []string{"tenants.(*Verifier)", "golang.org/x/crypto/argon2"}},
	{"event validation (models.ValidateEvent)", []string{"models.ValidateEvent", "models.validate"}},
	{"JSON decoding of requests (api.decodeStrict)", []string{"api.decodeStrict", "api.decodeJSON"}},
	{"JSON encoding of answers", []string{"fiber/v2.(*Ctx).JSON", "encoding/json.Marshal"}},
	{"models.IngestEvent(s): argument arrays, results", []string{"models.IngestEvent"}},
	{"tenants.WithTenant (transaction, set_config)", []string{"tenants.WithTenant"}},
	{"web handlers and middleware, other", []string{"tandem/web"}},
	{"Fiber (routing, context)", []string{"github.com/gofiber/"}},
	{"fasthttp (reading requests, writing answers)", []string{"github.com/valyala/fasthttp"}},
	{"garbage collector, background (shared with the load generator)", []string{"runtime.gcBgMarkWorker", "runtime.bgscavenge"}},
}

const otherLayer = "Go runtime: scheduler, network poller (shared with the load generator)"

// breakdown is a CPU profile split into the load generator and the
// server's layers.
type breakdown struct {
	client, server time.Duration
	layer          map[string]time.Duration
	syscalls       map[string]time.Duration // of layer: in system calls (read, write, futex, …)
}

// analyze reads the profile's samples with `go tool pprof -traces` and sums
// them by layer.
func analyze(ctx context.Context, file string) (breakdown, error) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		return breakdown{}, errors.New("analyze profile: the go command is not on PATH")
	}
	outb, err := exec.CommandContext(ctx, goBin, "tool", "pprof", "-traces", file).Output()
	if err != nil {
		return breakdown{}, fmt.Errorf("go tool pprof -traces %s: %w", file, err)
	}
	return parseTraces(outb)
}

// parseTraces sums the samples of `go tool pprof -traces` output: blocks
// between dashed lines, each an optional label line ("bench:  client"),
// then the sample's value beside its leaf frame, then the frames to the
// root.
func parseTraces(traces []byte) (breakdown, error) {
	bd := breakdown{layer: map[string]time.Duration{}, syscalls: map[string]time.Duration{}}
	var (
		value    time.Duration
		isClient bool
		frames   []string
	)
	flush := func() {
		if value == 0 {
			return
		}
		if isClient {
			bd.client += value
		} else {
			bd.server += value
			name := classify(frames)
			bd.layer[name] += value
			if slices.ContainsFunc(frames, func(f string) bool {
				return strings.HasPrefix(f, "syscall.") || strings.HasPrefix(f, "internal/runtime/syscall") || strings.HasPrefix(f, "runtime.futex")
			}) {
				bd.syscalls[name] += value
			}
		}
		value, isClient, frames = 0, false, nil
	}
	sc := bufio.NewScanner(bytes.NewReader(traces))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		f := strings.Fields(line)
		switch {
		case strings.HasPrefix(line, "-----------+"):
			flush()
		case len(f) == 0:
		case strings.HasSuffix(f[0], ":") && len(frames) == 0 && value == 0:
			// A label line, "     bench:  client", before the sample's value.
			if f[0] == "bench:" && len(f) > 1 && f[1] == "client" {
				isClient = true
			}
		case value == 0 && len(frames) == 0:
			d, err := time.ParseDuration(f[0])
			if err != nil || len(f) < 2 {
				continue // the header: File:, Type:, Duration:, …
			}
			value, frames = d, append(frames, f[1])
		default:
			if value > 0 {
				frames = append(frames, f[0])
			}
		}
	}
	flush()
	return bd, sc.Err()
}

// classify returns the layer of a sample whose frames run from the leaf to
// the root.
func classify(frames []string) string {
	for _, fr := range frames {
		for _, l := range layers {
			for _, m := range l.match {
				if strings.Contains(fr, m) {
					return l.name
				}
			}
		}
	}
	return otherLayer
}

// print writes the server's layers, largest first.
func (bd breakdown) print(out io.Writer) {
	names := make([]string, 0, len(bd.layer))
	for n := range bd.layer {
		names = append(names, n)
	}
	slices.SortFunc(names, func(a, b string) int { return cmp.Compare(bd.layer[b], bd.layer[a]) })
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "    server CPU by layer\tseconds\tshare\tof which in system calls\t")
	for _, n := range names {
		fmt.Fprintf(w, "    %s\t%.2f s\t%.0f%%\t%.2f s\t\n", n, bd.layer[n].Seconds(),
			100*bd.layer[n].Seconds()/max(bd.server.Seconds(), 1e-9), bd.syscalls[n].Seconds())
	}
	w.Flush()
}

func msString(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }
