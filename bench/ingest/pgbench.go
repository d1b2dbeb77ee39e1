package main

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

// pgbenchRun is pgbench sending, per transaction, exactly the four
// statements of tenants.WithTenant around models.IngestEvent(s).
type pgbenchRun struct {
	bin      string // the pgbench executable
	dir      string // where the script and the per-transaction logs go
	url      string // tandem_app's URL, without the password
	password string
	tenantID uuid.UUID
	cohort   cohort
	round    int
	clients  int
	units    int // transactions in all; a multiple of clients
	perUnit  int // events per transaction
	keys     string
	maxTime  time.Duration
}

// script is the pgbench script: the tenant transaction of WithTenant
// around the statement of IngestEvents, with the engine's random draws
// (see engineRun.fill). Idempotency keys are unique: the client id and a
// random number up to 9·10¹² make a collision negligible.
func (r pgbenchRun) script() string {
	c := r.cohort
	steps := "ARRAY['" + strings.Join(questSteps, "', '") + "']"
	var b strings.Builder
	if r.perUnit == 1 {
		fmt.Fprintf(&b, "\\set g random(1, %d)\n", c.guests)
		fmt.Fprintf(&b, "\\set s random(1, %d)\n", len(questSteps))
	} else {
		fmt.Fprintf(&b, "\\set g random(0, %d)\n", c.guests-1)
		fmt.Fprintf(&b, "\\set s random(0, %d)\n", len(questSteps)-1)
	}
	b.WriteString("\\set k random(1, 9000000000000)\n")
	b.WriteString("BEGIN;\n")
	fmt.Fprintf(&b, "SELECT set_config('role', '%s', true), set_config('app.tenant_id', '%s', true);\n",
		tenants.AppRole, r.tenantID)
	if r.perUnit == 1 {
		fmt.Fprintf(&b, "SELECT ord, event_id, status FROM ingest_events(ARRAY['%s-guest-' || :g], "+
			"ARRAY[(%s)[:s]], ARRAY['%s-' || :client_id || '-' || :k], "+
			"ARRAY[NULL]::timestamptz[], ARRAY[NULL]::jsonb[]);\n", c.prefix, steps, r.keys)
	} else {
		series := fmt.Sprintf("FROM generate_series(1, %d) g", r.perUnit)
		fmt.Fprintf(&b, "SELECT ord, event_id, status FROM ingest_events(\n"+
			"  ARRAY(SELECT '%s-guest-' || (1 + (g * 7 + :g) %% %d) %s),\n"+
			"  ARRAY(SELECT (%s)[1 + (g + :s) %% %d] %s),\n"+
			"  ARRAY(SELECT '%s-' || :client_id || '-' || :k || '-' || g %s),\n"+
			"  ARRAY(SELECT NULL::timestamptz %s),\n"+
			"  ARRAY(SELECT NULL::jsonb %s));\n",
			c.prefix, c.guests, series, steps, len(questSteps), series, r.keys, series, series, series)
	}
	b.WriteString("COMMIT;\n")
	return b.String()
}

// run runs pgbench to completion, or stops it at maxTime and keeps what its
// progress reports counted.
func (r pgbenchRun) run(ctx context.Context) (result, error) {
	name := fmt.Sprintf("%s-%d", r.cohort.prefix, r.round)
	scriptPath := filepath.Join(r.dir, name+".sql")
	if err := os.WriteFile(scriptPath, []byte(r.script()), 0o644); err != nil {
		return result{}, fmt.Errorf("pgbench: %w", err)
	}
	logPrefix := filepath.Join(r.dir, name+"-log")
	threads := min(r.clients, 2)
	runCtx, cancel := context.WithTimeout(ctx, r.maxTime)
	defer cancel()
	cmd := exec.CommandContext(runCtx, r.bin, "-n", "-M", "prepared",
		"-c", strconv.Itoa(r.clients), "-j", strconv.Itoa(threads),
		"-t", strconv.Itoa(r.units/r.clients),
		"--max-tries", "4", // as WithTenant: serialization failures and deadlocks run again
		"-P", "1", "-l", "--log-prefix", logPrefix,
		"-f", scriptPath, r.url)
	cmd.Env = append(os.Environ(), "PGPASSWORD="+r.password)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	all0 := machineCPU()
	err := cmd.Run()
	all := machineCPU() - all0
	capped := runCtx.Err() != nil && ctx.Err() == nil
	if err != nil && !capped {
		return result{}, fmt.Errorf("pgbench %s: %w\n%s%s", name, err, stdout.Bytes(), lastLines(stderr.String(), 20))
	}
	lat, err := readLatencies(logPrefix)
	if err != nil {
		return result{}, err
	}
	res := result{latencies: lat, capped: capped, allCPU: all}
	if ps := cmd.ProcessState; ps != nil {
		res.clientCPU = ps.UserTime() + ps.SystemTime()
	}
	if capped {
		err = res.fromProgress(stderr.String(), r.perUnit)
	} else {
		err = res.fromSummary(stdout.String(), r.perUnit)
	}
	if err != nil {
		return result{}, fmt.Errorf("pgbench %s: %w\n%s", name, err, stdout.Bytes())
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
func (res *result) fromSummary(out string, perUnit int) error {
	tps, ok1 := matchFloat(tpsRE, out)
	processed, ok2 := matchFloat(processedRE, out)
	if !ok1 || !ok2 || tps == 0 {
		return errors.New("no tps in the output")
	}
	if failed, _ := matchFloat(failedRE, out); failed > 0 {
		return fmt.Errorf("%.0f failed transactions", failed)
	}
	retried, _ := matchFloat(retriedRE, out)
	res.units = int(processed)
	res.events = res.units * perUnit
	res.elapsed = time.Duration(processed / tps * float64(time.Second))
	res.retried = int(retried)
	return nil
}

// fromProgress estimates a stopped run from its once-a-second progress
// lines: each reports the rate of the second before it.
func (res *result) fromProgress(stderr string, perUnit int) error {
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
	res.units = int(units)
	res.events = res.units * perUnit
	res.elapsed = time.Duration(last * float64(time.Second))
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

// findPgbench prefers the pgbench beside the server binaries pgcluster
// uses, then the one on PATH.
func findPgbench() (string, error) {
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
