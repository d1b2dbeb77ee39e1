package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/tandemhq/tandem/internal/pgcluster"
)

// server is `tandem serve` running as a process of its own, so that its
// memory can be read from /proc.
type server struct {
	pid     int
	base    string        // http://127.0.0.1:port
	ready   time.Duration // from its start to /readyz answering 200
	logPath string
	cmd     *exec.Cmd
	exited  chan struct{}
	waitErr error
}

// buildServer builds ./cmd/tandem into dir, as `go build` would for a
// deployment (the benchmark must run inside the module).
func buildServer(ctx context.Context, dir string) (string, error) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		return "", errors.New("build tandem: the go command is not on PATH")
	}
	bin := filepath.Join(dir, "tandem")
	cmd := exec.CommandContext(ctx, goBin, "build", "-o", bin, "github.com/tandemhq/tandem/cmd/tandem")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build tandem: %w\n%s", err, out)
	}
	return bin, nil
}

// startServer runs `tandem serve` on a free port, connected to the database
// as tandem_app (APP_DATABASE_URL) with rate limits off, and waits until
// /readyz answers 200, as a proxy waits before it routes requests to a new
// machine (serve warms its pool up first). Its output goes to serve.log in
// dir.
func startServer(ctx context.Context, bin, dir, appURL string) (*server, error) {
	port, err := pgcluster.FreePort()
	if err != nil {
		return nil, err
	}
	s := &server{base: fmt.Sprintf("http://127.0.0.1:%d", port), logPath: filepath.Join(dir, "serve.log"), exited: make(chan struct{})}
	logFile, err := os.Create(s.logPath)
	if err != nil {
		return nil, err
	}
	defer logFile.Close() // the child has its own descriptor
	s.cmd = exec.Command(bin, "serve")
	s.cmd.Env = append(serverEnviron(),
		"APP_DATABASE_URL="+appURL,
		"PORT="+strconv.Itoa(port),
		"PUBLIC_URL="+s.base,
		"RATE_LIMIT_PER_MINUTE=0",
		// Serving off the embedded cluster needs a key for secrets at rest;
		// this run's is thrown away with it.
		"TANDEM_ENCRYPTION_KEY="+strings.Repeat("0b", 32),
	)
	s.cmd.Stdout, s.cmd.Stderr = logFile, logFile
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start tandem serve: %w", err)
	}
	started := time.Now()
	s.pid = s.cmd.Process.Pid
	go func() { s.waitErr = s.cmd.Wait(); close(s.exited) }()

	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(s.base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				s.ready = time.Since(started)
				break
			}
		}
		select {
		case <-s.exited:
			return nil, fmt.Errorf("tandem serve exited at start-up: %v\n%s", s.waitErr, s.logTail())
		case <-ctx.Done():
			return nil, errors.Join(ctx.Err(), s.stop())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("tandem serve was not ready (/readyz) within 30 s: %w\n%s", errors.Join(err, s.stop()), s.logTail())
		}
	}
	return s, nil
}

// serverEnviron is this process's environment without the variables that
// configure tandem, so that only ours do.
func serverEnviron() []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch strings.TrimSuffix(name, "_FILE") {
		case "DATABASE_URL", "APP_DATABASE_URL", "APP_DATABASE_PASSWORD", "PORT", "PUBLIC_URL",
			"TANDEM_DATA_DIR", "TANDEM_PG_PORT", "RATE_LIMIT_PER_MINUTE", "CLIENT_IP_HEADER", "TANDEM_ENCRYPTION_KEY",
			"WEBHOOK_RETRY_SCHEDULE", "WEBHOOK_ALLOW_PRIVATE_NETWORKS",
			"STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_PRICE_GROWTH", "STRIPE_PRICE_SCALE", "STRIPE_API_BASE":
			continue
		}
		env = append(env, kv)
	}
	return env
}

// memory reads the server's resident set now (VmRSS) and its peak as the
// kernel kept it (VmHWM), in kB.
func (s *server) memory() (rss, hwm int64, err error) {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(s.pid) + "/status")
	if err != nil {
		return 0, 0, err
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		f := strings.Fields(value)
		if len(f) == 0 {
			continue
		}
		n, _ := strconv.ParseInt(f[0], 10, 64) // "12345 kB"
		switch name {
		case "VmRSS":
			rss = n
		case "VmHWM":
			hwm = n
		}
	}
	if rss == 0 {
		return 0, 0, fmt.Errorf("no VmRSS in /proc/%d/status", s.pid)
	}
	return rss, hwm, nil
}

// stop asks the server to shut down (SIGTERM: it lets requests in flight
// finish), kills it after 15 s, and reports an unclean exit.
func (s *server) stop() error {
	select {
	case <-s.exited:
		return s.exitError()
	default:
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
		return s.exitError()
	case <-time.After(15 * time.Second):
		s.cmd.Process.Kill()
		<-s.exited
		return fmt.Errorf("tandem serve did not stop within 15 s of SIGTERM; killed\n%s", s.logTail())
	}
}

func (s *server) exitError() error {
	if s.waitErr != nil {
		return fmt.Errorf("tandem serve: %w\n%s", s.waitErr, s.logTail())
	}
	return nil
}

// logTail is the end of the server's output, for error messages.
func (s *server) logTail() string {
	b, err := os.ReadFile(s.logPath)
	if err != nil {
		return ""
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > 20 {
		lines = lines[len(lines)-20:]
	}
	return strings.Join(lines, "\n")
}

// errorLines counts the lines of the server's output that slog wrote at
// level ERROR or WARN, which a clean run has none of.
func (s *server) errorLines() int {
	b, err := os.ReadFile(s.logPath)
	if err != nil {
		return 0
	}
	n := 0
	for _, line := range strings.Split(string(b), "\n") {
		if strings.Contains(line, "level=ERROR") || strings.Contains(line, "level=WARN") ||
			strings.Contains(line, " ERROR ") || strings.Contains(line, " WARN ") {
			n++
		}
	}
	return n
}

// warmUpLine is serve's log line about its pool's warm-up, or a note that
// it wrote none.
func (s *server) warmUpLine() string {
	b, err := os.ReadFile(s.logPath)
	if err != nil {
		return "(no log: " + err.Error() + ")"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.Contains(line, "pool warmed up") {
			return strings.TrimSpace(line)
		}
	}
	return "(serve logged no warm-up)"
}
