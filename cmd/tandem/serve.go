package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/web"
)

// serveCmd serves until ctx is cancelled (SIGINT, SIGTERM), then lets
// requests in flight finish.
func serveCmd(ctx context.Context, cfg Config, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	d, err := openApp(ctx, cfg)
	if err != nil {
		return err
	}
	defer d.Close()
	var demo string
	if d.Embedded {
		if demo, err = seedDemoOnce(ctx, d.DB, cfg); err != nil {
			return fmt.Errorf("serve: %w", err)
		}
	}

	app := web.New(web.Config{DB: d.DB, PublicURL: cfg.PublicURL, RateLimitPerMinute: cfg.RateLimitPerMinute,
		ClientIPHeader: cfg.ClientIPHeader})
	app.Hooks().OnListen(func(fiber.ListenData) error {
		fmt.Fprintf(stdout, "Tandem is running at %s\n", cfg.PublicURL)
		if demo != "" {
			fmt.Fprintln(stdout, demo)
		}
		return nil
	})
	// Listening before serving reports a taken port here, not in a goroutine.
	ln, err := net.Listen("tcp", ":"+strconv.Itoa(cfg.Port))
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	errc := make(chan error, 1)
	go func() { errc <- app.Listener(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	err = app.ShutdownWithTimeout(10 * time.Second)
	// A signal right at start-up can come before Listener registers ln with
	// the server, and Shutdown would then leave it serving.
	ln.Close()
	<-errc
	if err != nil {
		return fmt.Errorf("serve: shut down: %w", err)
	}
	return nil
}
