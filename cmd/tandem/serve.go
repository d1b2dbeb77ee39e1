package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/internal/safehttp"
	"github.com/tandemhq/tandem/web"
)

// shutdownGrace is how long serve gives the requests in flight when it is
// told to stop; it returns within it (tests shorten it). The requests get
// the first four fifths to finish on their own; those still running are
// then cancelled, their queries with them, and get the rest to answer.
var shutdownGrace = 10 * time.Second

// serveCmd serves until ctx is cancelled (SIGINT, SIGTERM), then drains:
// /readyz fails at once, for cfg.ShutdownDelay the server goes on serving
// while the proxy stops routing here, and then it stops accepting and lets
// the requests and jobs in flight finish within shutdownGrace.
func serveCmd(ctx context.Context, cfg Config, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	var err error
	if cfg.PublicURL, err = cfg.servePublicURL(); err != nil {
		return err
	}
	tuneGC()
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

	box, err := secretBox(cfg, d.Embedded)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	stopJobs, err := startJobs(ctx, cfg, d, box)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	stopMetrics, err := serveMetrics(cfg.MetricsAddr, d)
	if err != nil {
		return fmt.Errorf("serve: %w", errors.Join(err, stopJobs(context.Background(), 0)))
	}
	defer stopMetrics()

	// Every request's work derives from requests: cancelling it stops
	// their queries at the end of a shutdown's drain time.
	requests, cancelRequests := context.WithCancel(context.Background())
	defer cancelRequests()
	var draining, warming atomic.Bool
	// Not ready until every pooled connection has planned what ingestion
	// reaches: a fresh machine then takes traffic at its warm speed.
	warming.Store(true)
	warmCtx, stopWarming := context.WithCancel(ctx)
	warmed := make(chan struct{})
	go func() { warmPool(warmCtx, d.DB, &warming); close(warmed) }()
	defer func() { stopWarming(); <-warmed }() // before the pool closes
	app := web.New(web.Config{DB: d.DB, PublicURL: cfg.PublicURL, RateLimitPerMinute: cfg.RateLimitPerMinute,
		ClientIPHeader: cfg.ClientIPHeader, Billing: cfg.Billing, BaseContext: requests,
		Secrets: box, WebhookPolicy: safehttp.Policy{AllowPrivateNetworks: cfg.WebhookAllowPrivateNetworks},
		Draining: &draining, WarmingUp: &warming, Version: buildVersion(), RequestIDHeader: cfg.RequestIDHeader,
		AccessLog: slog.Default(), Metrics: true})
	app.Hooks().OnListen(func(fiber.ListenData) error {
		slog.Info("serve: listening", "url", cfg.PublicURL, "version", buildVersion())
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
		return fmt.Errorf("serve: %w", errors.Join(err, stopJobs(context.Background(), 0)))
	case <-ctx.Done():
	}
	// Readiness fails first: the proxy, checking /readyz, stops routing
	// here while everything still answers, so that no request meets a
	// closing listener.
	draining.Store(true)
	slog.Info("serve: draining", "delay", cfg.ShutdownDelay)
	select {
	case <-time.After(cfg.ShutdownDelay):
	case err := <-errc:
		return fmt.Errorf("serve: %w", errors.Join(err, stopJobs(context.Background(), 0)))
	}
	// The jobs stop beside the requests, within the same grace: those
	// still running four fifths in are cancelled (and retried later, here
	// or on another machine), and get a tenth to return.
	jobsStopped := make(chan error, 1)
	go func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace-shutdownGrace/5)
		defer cancel()
		jobsStopped <- stopJobs(stopCtx, shutdownGrace/10)
	}()
	err = errors.Join(shutdown(app, cancelRequests, shutdownGrace), <-jobsStopped)
	// A signal right at start-up can come before Listener registers ln with
	// the server, and Shutdown would then leave it serving.
	ln.Close()
	<-errc
	if err != nil {
		return fmt.Errorf("serve: shut down: %w", err)
	}
	return nil
}

// shutdown stops accepting connections and waits up to grace for the
// requests in flight. Four fifths in, it cancels those still running
// (cancelRequests: their deadline, so their queries stop), which then
// answer and close. It returns within grace, with an error if some
// connection was still open then: a handler that ignores its context is
// left behind rather than holding the process.
func shutdown(app *fiber.App, cancelRequests context.CancelFunc, grace time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	drained := time.AfterFunc(grace-grace/5, cancelRequests)
	defer drained.Stop()
	return app.ShutdownWithContext(ctx)
}
