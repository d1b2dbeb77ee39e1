// Package stripemock starts stripe-mock, Stripe's own fake of its API, for
// the tests: the version pinned by tools.mod's tool directive
// (github.com/stripe/stripe-mock v0.183.0, the newest that accepts every
// request of stripe-go v76), built by `go tool` from the module proxy, on a
// free port of 127.0.0.1. Nothing else is downloaded.
//
// withpg starts one for a whole `go test ./...` and exports its URL as
// STRIPE_API_BASE, the variable that points Tandem at another Stripe; a test
// run without it starts one of its own (URL).
package stripemock

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tandemhq/tandem/internal/pgcluster"
)

// EnvVar holds the URL of the run's stripe-mock.
const EnvVar = "STRIPE_API_BASE"

// StartTimeout bounds building and starting it: generous, as a cold build
// on a busy machine takes minutes, and it only ends a run that is broken.
const StartTimeout = 5 * time.Minute

// Start builds stripe-mock (cached after the first time) and starts it on
// a free port. stop ends it.
func Start(ctx context.Context) (url string, stop func(), err error) {
	modfile, err := toolsMod(ctx)
	if err != nil {
		return "", nil, err
	}
	out, err := exec.CommandContext(ctx, "go", "tool", "-modfile="+modfile, "-n", "stripe-mock").Output()
	if err != nil {
		return "", nil, fmt.Errorf("stripemock: build: %w", errorOutput(err))
	}
	bin := strings.TrimSpace(string(out))
	port, err := pgcluster.FreePort()
	if err != nil {
		return "", nil, err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	// -http-addr alone leaves stripe-mock's HTTPS listener on its fixed
	// default port, which a second run on the machine finds taken: that one
	// goes to a free port too.
	cmd := exec.Command(bin, "-http-addr", addr, "-https-addr", "127.0.0.1:0")
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	// It dies with whoever started it, even if that one is killed.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return "", nil, fmt.Errorf("stripemock: start: %w", err)
	}
	// exited is closed, never sent on: both waitReady and stop may wait
	// for the exit (a value sent once would leave the second waiting forever).
	exited := make(chan struct{})
	var exitErr error
	go func() { exitErr = cmd.Wait(); close(exited) }()
	stop = func() {
		_ = cmd.Process.Kill()
		<-exited
	}
	url = "http://" + addr
	if err := waitReady(ctx, url, exited, func() error { return exitErr }); err != nil {
		stop()
		return "", nil, fmt.Errorf("stripemock: %w; its output: %s", err, logs.String())
	}
	return url, stop, nil
}

// toolsMod is the path of tools.mod, beside go.mod: -modfile is read
// relative to the working directory, which for a test is its package's.
func toolsMod(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("stripemock: go env GOMOD: %w", errorOutput(err))
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", errors.New("stripemock: not inside the module: tools.mod is found beside go.mod")
	}
	return filepath.Join(filepath.Dir(gomod), "tools.mod"), nil
}

// waitReady waits until stripe-mock answers HTTP (any status: without a key
// it answers 401).
func waitReady(ctx context.Context, url string, exited <-chan struct{}, exitErr func() error) error {
	client := &http.Client{Timeout: time.Second}
	for {
		resp, err := client.Get(url + "/v1/customers")
		if err == nil {
			resp.Body.Close()
			return nil
		}
		var opErr *net.OpError
		if !errors.As(err, &opErr) {
			return err
		}
		select {
		case <-exited:
			return fmt.Errorf("exited before answering: %v", exitErr())
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func errorOutput(err error) error {
	var exit *exec.ExitError
	if errors.As(err, &exit) && len(exit.Stderr) > 0 {
		return fmt.Errorf("%w: %s", err, bytes.TrimSpace(exit.Stderr))
	}
	return err
}

// URL returns the run's stripe-mock (EnvVar), or starts one for t, stopped
// when t ends.
func URL(t testing.TB) string {
	t.Helper()
	if url := os.Getenv(EnvVar); url != "" {
		return url
	}
	ctx, cancel := context.WithTimeout(context.Background(), StartTimeout)
	defer cancel()
	url, stop, err := Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return url
}
