package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"time"
)

// pgbench runs one of the reference scripts as its README says —
// pgbench -n -c clients -j 2 -T seconds -f script — as ref_app over TCP on
// 127.0.0.1, the transport the server's pool uses, and returns what it
// stored: transactions × eventsPerTx events, over its run time without
// connecting (pgbench's "tps … without initial connection time").
func (b *bench) pgbench(ctx context.Context, name, script string, eventsPerTx, clients, seconds int) (result, error) {
	path := filepath.Join(b.dir, name)
	if err := os.WriteFile(path, []byte(script), 0o644); err != nil {
		return result{}, err
	}
	cmd := exec.CommandContext(ctx, filepath.Join(b.binDir, "pgbench"), "-n",
		"-c", strconv.Itoa(clients), "-j", "2", "-T", strconv.Itoa(seconds), "-f", path, b.refURL)
	cmd.Env = append(os.Environ(), "PGPASSWORD="+password)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return result{}, fmt.Errorf("pgbench %s: %w\n%s%s", name, err, stdout.Bytes(), stderr.Bytes())
	}
	res, err := parsePgbench(stdout.String(), eventsPerTx)
	if err != nil {
		return result{}, fmt.Errorf("pgbench %s: %w\n%s", name, err, stdout.Bytes())
	}
	res.cpu.client = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	return res, nil
}

var (
	tpsRE       = regexp.MustCompile(`(?m)^tps = ([0-9.]+) \(without initial connection time\)`)
	processedRE = regexp.MustCompile(`(?m)^number of transactions actually processed: (\d+)`)
	failedRE    = regexp.MustCompile(`(?m)^number of failed transactions: (\d+)`)
)

// parsePgbench reads pgbench's closing report. A failed transaction is an
// error: the floor is measured on work that succeeded.
func parsePgbench(out string, eventsPerTx int) (result, error) {
	tps, ok1 := matchFloat(tpsRE, out)
	processed, ok2 := matchFloat(processedRE, out)
	if !ok1 || !ok2 || tps <= 0 || processed <= 0 {
		return result{}, errors.New("no tps in the output")
	}
	if failed, _ := matchFloat(failedRE, out); failed > 0 {
		return result{}, fmt.Errorf("%.0f failed transactions", failed)
	}
	return result{events: int(processed) * eventsPerTx, elapsed: time.Duration(processed / tps * float64(time.Second))}, nil
}

func matchFloat(re *regexp.Regexp, s string) (float64, bool) {
	m := re.FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	f, err := strconv.ParseFloat(m[1], 64)
	return f, err == nil
}

// withoutPassword drops the password from a connection URL, so that it
// stays out of pgbench's command line.
func withoutPassword(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	u.User = url.User(u.User.Username())
	return u.String()
}
