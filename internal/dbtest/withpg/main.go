// Command withpg runs a command with TEST_DATABASE_URL pointing at a
// throwaway PostgreSQL cluster, so that a whole `go test ./...` shares one
// cluster and one migrated template, and STRIPE_API_BASE at a stripe-mock
// (internal/stripemock) the billing tests share:
//
//	go run ./internal/dbtest/withpg -- go test ./...
//
// If TEST_DATABASE_URL (or STRIPE_API_BASE) is already set, the command
// simply runs with it.
// withpg exits with the command's exit code.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"time"

	"github.com/tandemhq/tandem/internal/dbtest"
	"github.com/tandemhq/tandem/internal/stripemock"
)

func main() {
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: withpg -- command [args...]")
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	os.Exit(run(flag.Args()))
}

func run(args []string) int {
	if os.Getenv("TEST_DATABASE_URL") == "" {
		url, stop, err := startCluster()
		if err != nil {
			fmt.Fprintln(os.Stderr, "withpg:", err)
			return 1
		}
		defer func() {
			if err := stop(); err != nil {
				fmt.Fprintln(os.Stderr, "withpg:", err)
			}
		}()
		os.Setenv("TEST_DATABASE_URL", url)
	}
	if os.Getenv(stripemock.EnvVar) == "" {
		ctx, cancel := context.WithTimeout(context.Background(), stripemock.StartTimeout)
		url, stop, err := stripemock.Start(ctx)
		cancel()
		if err != nil {
			fmt.Fprintln(os.Stderr, "withpg:", err)
			return 1
		}
		defer stop()
		os.Setenv(stripemock.EnvVar, url)
	}

	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "withpg:", err)
		return 1
	}
	// Outlive an interrupt so the cluster is always cleaned up; the command
	// decides how to react to it.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		for s := range sigs {
			cmd.Process.Signal(s)
		}
	}()
	err := cmd.Wait()
	signal.Stop(sigs)
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit) && exit.ExitCode() >= 0:
		return exit.ExitCode()
	default:
		fmt.Fprintln(os.Stderr, "withpg:", err)
		return 1
	}
}

func startCluster() (url string, stop func() error, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c, stop, err := dbtest.StartCluster(ctx)
	if err != nil {
		return "", nil, err
	}
	url = c.URL("postgres")
	if err := dbtest.PrepareTemplate(ctx, url); err != nil {
		return "", nil, errors.Join(err, stop())
	}
	return url, stop, nil
}
