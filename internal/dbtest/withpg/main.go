// Command withpg runs a command with TEST_DATABASE_URL pointing at a
// throwaway PostgreSQL cluster, so that a whole `go test ./...` shares one
// cluster and one migrated template, and STRIPE_API_BASE at a stripe-mock
// (internal/stripemock) the billing tests share:
//
//	go run ./internal/dbtest/withpg -- go test ./...
//
// With -citus the cluster is a Citus coordinator and two workers
// (`make test-citus`), TEST_DATABASE_URL names the coordinator and
// TEST_CITUS_WORKER_URLS the workers (internal/dbtest). With -upgrade-from
// REV as well, the template is first migrated, and so distributed, by the
// server of that git revision, then by this checkout's: the tests run on a
// database upgraded in place, as an operator's on Citus is.
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
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/tandemhq/tandem/internal/dbtest"
	"github.com/tandemhq/tandem/internal/stripemock"
)

var (
	citus       = flag.Bool("citus", false, "start a Citus coordinator and two workers instead of one PostgreSQL")
	upgradeFrom = flag.String("upgrade-from", "", "with -citus: migrate the template with the server of this git revision first")
)

func main() {
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: withpg [-citus [-upgrade-from REV]] -- command [args...]")
	}
	flag.Parse()
	if flag.NArg() == 0 || *upgradeFrom != "" && !*citus {
		flag.Usage()
		os.Exit(2)
	}
	os.Exit(run(flag.Args()))
}

func run(args []string) int {
	if os.Getenv("TEST_DATABASE_URL") == "" {
		start := startCluster
		if *citus {
			start = startCitusCluster
		}
		url, stop, err := start()
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

// startCitusCluster exports the workers before the template is migrated:
// PrepareTemplate gives the test role its login on every node.
func startCitusCluster() (url string, stop func() error, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	url, workers, stop, err := dbtest.StartCitusCluster(ctx)
	if err != nil {
		return "", nil, err
	}
	os.Setenv(dbtest.CitusWorkersVar, strings.Join(workers, " "))
	if *upgradeFrom != "" {
		if err := migrateWithRevision(*upgradeFrom, url); err != nil {
			return "", nil, errors.Join(err, stop())
		}
	}
	if err := dbtest.PrepareTemplate(ctx, url); err != nil {
		return "", nil, errors.Join(err, stop())
	}
	return url, stop, nil
}

// migrateWithRevision builds ./cmd/tandem as it was at rev, in a git
// worktree of its own, and migrates the template with it.
func migrateWithRevision(rev, adminURL string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	dir, err := os.MkdirTemp("", "withpg-upgrade-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	tree := filepath.Join(dir, "tree")
	run := func(name string, args ...string) error {
		if out, err := exec.CommandContext(ctx, name, args...).CombinedOutput(); err != nil {
			return fmt.Errorf("withpg: %s %s: %w\n%s", name, strings.Join(args, " "), err, out)
		}
		return nil
	}
	if err := run("git", "worktree", "add", "--detach", tree, rev); err != nil {
		return err
	}
	defer exec.Command("git", "worktree", "remove", "--force", tree).Run() //nolint:errcheck // the directory goes with dir
	if err := run("go", "build", "-C", tree, "-o", filepath.Join(dir, "tandem"), "./cmd/tandem"); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "withpg: migrating the template with the server of %s first\n", rev)
	return dbtest.MigrateTemplateWith(ctx, adminURL, filepath.Join(dir, "tandem"))
}
