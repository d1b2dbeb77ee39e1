// Command tandem is the one binary of Tandem.
//
//	tandem serve                  serve the console and the API
//	tandem migrate                apply the database migrations
//	tandem tenant create ...      create a tenant and its owner
//	tandem demo                   load the demo tenant, once
//	tandem version                print the build's version
//
// Configuration comes from the environment (see Config). Without
// DATABASE_URL or APP_DATABASE_URL, tandem runs its own PostgreSQL cluster
// under .tandem/pgdata, so a fresh checkout needs nothing but the server
// binaries.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

const usage = `usage: tandem <command> [flags]

commands:
  serve                 serve the console and the API on $PORT
  migrate               apply the database migrations
  tenant create         create a tenant and its owner
  demo                  load the demo tenant, once
  version               print the build's version
`

// usageError is a command line we could not understand: main prints the
// usage after it.
type usageError string

func (e usageError) Error() string { return string(e) }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout)
	stop()
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
	case errors.As(err, new(usageError)):
		fmt.Fprintln(os.Stderr, "tandem:", err)
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "tandem:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return usageError("no command given")
	}
	if args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(stdout, usage)
		return nil
	}
	if args[0] == "version" {
		return versionCmd(ctx, Config{}, args[1:], stdout)
	}
	cfg, err := loadConfig(os.LookupEnv)
	if err != nil {
		return err
	}
	slog.SetDefault(slog.New(newLogHandler(os.Stderr, cfg.LogLevel)))
	switch args[0] {
	case "serve":
		return serveCmd(ctx, cfg, args[1:], stdout)
	case "migrate":
		return migrateCmd(ctx, cfg, args[1:], stdout)
	case "tenant":
		return tenantCmd(ctx, cfg, args[1:], stdout)
	case "demo":
		return demoCmd(ctx, cfg, args[1:], stdout)
	}
	return usageError(fmt.Sprintf("unknown command %q", args[0]))
}

// parseFlags parses the flags of a command that takes no arguments.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError(fmt.Sprintf("%s: unexpected argument %q", fs.Name(), fs.Arg(0)))
	}
	return nil
}
