// Command webhooks measures webhook deliveries per second to a local
// receiver: -messages test messages queued to one endpoint,
// delivered by -servers job runners (River clients) on one database, each
// signed and recorded as tandem serve does, to an in-process HTTP server
// that answers 204 at once.
//
//	go run ./bench/webhooks                 # a throwaway cluster (internal/dbtest)
//	go run ./bench/webhooks -messages 5000 -servers 2
//
// The figure is the whole path but the network: fetching the job, the
// tenant transaction that renders and signs, the HTTP exchange on
// loopback, the transaction that records the attempt, and River's
// completion. Slow numbers never fail the command; errors do.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/tandemhq/tandem/internal/dbtest"
	"github.com/tandemhq/tandem/internal/jobs"
	"github.com/tandemhq/tandem/internal/safehttp"
	"github.com/tandemhq/tandem/internal/secretbox"
	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
	"github.com/tandemhq/tandem/web"
)

func main() {
	messages := flag.Int("messages", 2000, "test messages to deliver")
	servers := flag.Int("servers", 1, "job runners (River clients) on the database")
	flag.Parse()
	if *messages < 1 || *servers < 1 {
		fmt.Fprintln(os.Stderr, "bench/webhooks: -messages ≥ 1, -servers ≥ 1")
		os.Exit(2)
	}
	if err := run(*messages, *servers, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "bench/webhooks:", err)
		os.Exit(1)
	}
}

func run(messages, servers int, out io.Writer) error {
	env, err := dbtest.Setup("bench_webhooks")
	if err != nil {
		return err
	}
	defer env.Close()
	ctx := context.Background()
	box, err := secretbox.New(bytes.Repeat([]byte{9}, secretbox.KeySize))
	if err != nil {
		return err
	}
	var received atomic.Int64
	done := make(chan struct{})
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusNoContent)
		if received.Add(1) == int64(messages) {
			close(done)
		}
	}))
	defer receiver.Close()

	created, err := tenants.Create(ctx, env.App, tenants.NewTenant{Name: "Webhooks bench", OwnerEmail: "bench@example.com", OwnerPassword: "correct horse battery"})
	if err != nil {
		return err
	}
	err = tenants.WithTenant(ctx, env.App, created.TenantID, func(ctx context.Context) error {
		url := receiver.URL + "/hook"
		ep, err := models.CreateWebhookEndpoint(ctx, box, models.WebhookEndpointInput{URL: &url, Events: []string{"*"}})
		if err != nil {
			return err
		}
		for range messages {
			if _, err := models.SendWebhookTest(ctx, ep.ID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("queue: %w", err)
	}

	quiet := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	start := time.Now()
	for range servers {
		// pgxpool's default size, which the quoted figures were measured with.
		pool, err := jobs.OpenPool(ctx, env.AppURL, int32(max(4, runtime.NumCPU())))
		if err != nil {
			return err
		}
		defer pool.Close()
		runner, err := jobs.New(jobs.Config{DB: env.App, Pool: pool, Secrets: box, Render: web.WebhookData("http://localhost"),
			Policy: safehttp.Policy{AllowPrivateNetworks: true}, Logger: quiet})
		if err != nil {
			return err
		}
		if err := runner.Start(ctx); err != nil {
			return err
		}
		defer runner.Stop(context.Background(), time.Second) //nolint:errcheck // the figure is printed already
	}
	select {
	case <-done:
	case <-time.After(10 * time.Minute):
		return fmt.Errorf("only %d of %d delivered in 10 minutes", received.Load(), messages)
	}
	took := time.Since(start)
	fmt.Fprintf(out, "bench/webhooks: %d CPUs, %s\n", runtime.NumCPU(), runtime.Version())
	fmt.Fprintf(out, "%d deliveries by %d server(s) in %.2f s: %.0f deliveries/s to a local receiver\n",
		messages, servers, took.Seconds(), float64(messages)/took.Seconds())
	return nil
}
