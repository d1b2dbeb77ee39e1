package ingestbench

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/tandemhq/tandem/internal/pgcluster"
	"github.com/tandemhq/tandem/tenants"
)

// Pgbench is pgbench as a side: it sends, per transaction, exactly the four
// statements of tenants.WithTenant around models.IngestEvent(s) — BEGIN;
// the set_config of role and tenant; SELECT … FROM ingest_events(…);
// COMMIT — prepared, as pgx prepares them, as tandem_app, over loopback TCP.
type Pgbench struct {
	Bin      string // the pgbench executable (FindPgbench)
	Dir      string // where the scripts and the per-transaction logs go
	URL      string // tandem_app's URL, without the password
	Password string
	TenantID uuid.UUID
}

// script is the pgbench script: the tenant transaction of WithTenant
// around the statement of IngestEvents, with the draws of Slice.Fill.
// Idempotency keys are unique: the client id and a random number up to
// 9·10¹² make a collision negligible.
func (p Pgbench) script(s Slice) string {
	c := s.Cohort
	steps := "ARRAY['" + strings.Join(QuestSteps, "', '") + "']"
	var b strings.Builder
	if s.PerUnit == 1 {
		fmt.Fprintf(&b, "\\set g random(1, %d)\n", c.Guests)
		fmt.Fprintf(&b, "\\set s random(1, %d)\n", len(QuestSteps))
	} else {
		fmt.Fprintf(&b, "\\set g random(0, %d)\n", c.Guests-1)
		fmt.Fprintf(&b, "\\set s random(0, %d)\n", len(QuestSteps)-1)
	}
	b.WriteString("\\set k random(1, 9000000000000)\n")
	b.WriteString("BEGIN;\n")
	fmt.Fprintf(&b, "SELECT set_config('role', '%s', true), set_config('app.tenant_id', '%s', true);\n",
		tenants.AppRole, p.TenantID)
	if s.PerUnit == 1 {
		fmt.Fprintf(&b, "SELECT ord, event_id, status FROM ingest_events(ARRAY['%s-guest-' || :g], "+
			"ARRAY[(%s)[:s]], ARRAY['%s-' || :client_id || '-' || :k], "+
			"ARRAY[NULL]::timestamptz[], ARRAY[NULL]::jsonb[]);\n", c.Prefix, steps, s.Keys)
	} else {
		series := fmt.Sprintf("FROM generate_series(1, %d) g", s.PerUnit)
		fmt.Fprintf(&b, "SELECT ord, event_id, status FROM ingest_events(\n"+
			"  ARRAY(SELECT '%s-guest-' || (1 + (g * 7 + :g) %% %d) %s),\n"+
			"  ARRAY(SELECT (%s)[1 + (g + :s) %% %d] %s),\n"+
			"  ARRAY(SELECT '%s-' || :client_id || '-' || :k || '-' || g %s),\n"+
			"  ARRAY(SELECT NULL::timestamptz %s),\n"+
			"  ARRAY(SELECT NULL::jsonb %s));\n",
			c.Prefix, c.Guests, series, steps, len(QuestSteps), series, s.Keys, series, series, series)
	}
	b.WriteString("COMMIT;\n")
	return b.String()
}

// Run runs pgbench on the slice to completion, or stops it at the slice's
// time cap and keeps what its progress reports counted.
func (p Pgbench) Run(ctx context.Context, s Slice) (Result, error) {
	name := fmt.Sprintf("%s-%d", s.Cohort.Prefix, s.Round)
	scriptPath := filepath.Join(p.Dir, name+".sql")
	if err := os.WriteFile(scriptPath, []byte(p.script(s)), 0o644); err != nil {
		return Result{}, fmt.Errorf("pgbench: %w", err)
	}
	logPrefix := filepath.Join(p.Dir, name+"-log")
	threads := min(s.Clients, 2)
	runCtx, cancel := context.WithTimeout(ctx, s.MaxTime)
	defer cancel()
	cmd := exec.CommandContext(runCtx, p.Bin, "-n", "-M", "prepared",
		"-c", strconv.Itoa(s.Clients), "-j", strconv.Itoa(threads),
		"-t", strconv.Itoa(s.Units/s.Clients),
		"--max-tries", "4", // as WithTenant: serialization failures and deadlocks run again
		"-P", "1", "-l", "--log-prefix", logPrefix,
		"-f", scriptPath, p.URL)
	cmd.Env = append(os.Environ(), "PGPASSWORD="+p.Password)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	all0 := MachineCPU()
	err := cmd.Run()
	all := MachineCPU() - all0
	capped := runCtx.Err() != nil && ctx.Err() == nil
	if err != nil && !capped {
		return Result{}, fmt.Errorf("pgbench %s: %w\n%s%s", name, err, stdout.Bytes(), lastLines(stderr.String(), 20))
	}
	lat, err := readLatencies(logPrefix)
	if err != nil {
		return Result{}, err
	}
	res := Result{Latencies: lat, Capped: capped, AllCPU: all}
	if ps := cmd.ProcessState; ps != nil {
		res.ClientCPU = ps.UserTime() + ps.SystemTime()
	}
	if capped {
		err = res.fromProgress(stderr.String(), s.PerUnit)
	} else {
		err = res.fromSummary(stdout.String(), s.PerUnit)
	}
	if err != nil {
		return Result{}, fmt.Errorf("pgbench %s: %w\n%s", name, err, stdout.Bytes())
	}
	return res, nil
}

var (
	tpsRE       = regexp.MustCompile(`(?m)^tps = ([0-9.]+) \(without initial connection time\)`)
	processedRE = regexp.MustCompile(`(?m)^number of transactions actually processed: (\d+)`)
	failedRE    = regexp.MustCompile(`(?m)^number of failed transactions: (\d+)`)
	retriedRE   = regexp.MustCompile(`(?m)^number of transactions retried: (\d+)`)
	progressRE  = regexp.MustCompile(`(?m)^progress: ([0-9.]+) s, ([0-9.]+) tps`)
)

// fromSummary reads pgbench's closing report. Failed transactions (still
// failing after the last try) are errors, as they are for the engine.
func (res *Result) fromSummary(out string, perUnit int) error {
	tps, ok1 := matchFloat(tpsRE, out)
	processed, ok2 := matchFloat(processedRE, out)
	if !ok1 || !ok2 || tps == 0 {
		return errors.New("no tps in the output")
	}
	if failed, _ := matchFloat(failedRE, out); failed > 0 {
		return fmt.Errorf("%.0f failed transactions", failed)
	}
	retried, _ := matchFloat(retriedRE, out)
	res.Units = int(processed)
	res.Events = res.Units * perUnit
	res.Elapsed = time.Duration(processed / tps * float64(time.Second))
	res.Retried = int(retried)
	return nil
}

// fromProgress estimates a stopped run from its once-a-second progress
// lines: each reports the rate of the second before it.
func (res *Result) fromProgress(stderr string, perUnit int) error {
	var units, last float64
	for _, m := range progressRE.FindAllStringSubmatch(stderr, -1) {
		t, _ := strconv.ParseFloat(m[1], 64)
		tps, _ := strconv.ParseFloat(m[2], 64)
		units += tps * (t - last)
		last = t
	}
	if last == 0 {
		return errors.New("stopped before its first progress report")
	}
	res.Units = int(units)
	res.Events = res.Units * perUnit
	res.Elapsed = time.Duration(last * float64(time.Second))
	return nil
}

// readLatencies reads the per-transaction logs of every pgbench thread
// (prefix.pid, prefix.pid.1, …): the third field is the latency in µs, or
// "failed".
func readLatencies(prefix string) ([]time.Duration, error) {
	files, err := filepath.Glob(prefix + ".*")
	if err != nil {
		return nil, err
	}
	var lat []time.Duration
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			if len(fields) < 3 {
				continue
			}
			if us, err := strconv.ParseInt(fields[2], 10, 64); err == nil {
				lat = append(lat, time.Duration(us)*time.Microsecond)
			}
		}
	}
	return lat, nil
}

// FindPgbench prefers the pgbench beside the server binaries pgcluster
// uses, then the one on PATH.
func FindPgbench() (string, error) {
	if dir, err := pgcluster.FindBinDir(); err == nil {
		if p := filepath.Join(dir, "pgbench"); isExecutable(p) {
			return p, nil
		}
	}
	p, err := exec.LookPath("pgbench")
	if err != nil {
		return "", errors.New("pgbench not found: it comes with the PostgreSQL server package (apt-get install postgresql-15)")
	}
	return p, nil
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0
}

func matchFloat(re *regexp.Regexp, s string) (float64, bool) {
	m := re.FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	f, err := strconv.ParseFloat(m[1], 64)
	return f, err == nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
