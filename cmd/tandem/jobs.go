package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/tandemhq/tandem/internal/jobs"
	"github.com/tandemhq/tandem/internal/safehttp"
	"github.com/tandemhq/tandem/internal/secretbox"
	"github.com/tandemhq/tandem/web"
)

// riverPoolConns bounds River's own pool: fetching, completing and the
// leader's work, beside the application pool.
const riverPoolConns = 8

// secretBox opens the key that encrypts secrets at rest: TANDEM_ENCRYPTION_KEY,
// or on the embedded cluster a key kept beside its data (drawn on first
// start, mode 0600).
func secretBox(cfg Config, embedded bool) (*secretbox.Box, error) {
	var key []byte
	var err error
	switch {
	case cfg.EncryptionKey != "":
		key, err = secretbox.ParseKey(cfg.EncryptionKey)
	case embedded:
		key, err = secretbox.LoadOrCreateKeyFile(cfg.DataDir + ".encryption-key")
	default:
		return nil, errors.New("config: TANDEM_ENCRYPTION_KEY (or _FILE) is required: 32 bytes as base64, e.g. from `openssl rand -base64 32`")
	}
	if err != nil {
		return nil, fmt.Errorf("config: TANDEM_ENCRYPTION_KEY: %w", err)
	}
	return secretbox.New(key)
}

// startJobs starts the job runner on d's database, as River's own role
// (jobs.OpenPool). stop stops it (see jobs.Runner.Stop) and closes its
// pool.
func startJobs(ctx context.Context, cfg Config, d *appDB, box *secretbox.Box) (stop func(context.Context, time.Duration) error, err error) {
	pool, err := jobs.OpenPool(ctx, d.URL, riverPoolConns)
	if err != nil {
		return nil, err
	}
	runner, err := jobs.New(jobs.Config{
		DB: d.DB, Pool: pool, Secrets: box, Render: web.WebhookData(cfg.PublicURL),
		Policy:        safehttp.Policy{AllowPrivateNetworks: cfg.WebhookAllowPrivateNetworks},
		RetrySchedule: cfg.WebhookRetrySchedule,
		StripeAPIBase: cfg.Billing.APIBase,
		// River's own lines at warn unless asked (RIVER_LOG_LEVEL): at info
		// it reports its work every few seconds.
		Logger: slog.New(newLogHandler(os.Stderr, cfg.RiverLogLevel)),
	})
	if err == nil {
		err = runner.Start(ctx)
	}
	if err != nil {
		pool.Close()
		return nil, err
	}
	watchJobs(pool)
	return func(ctx context.Context, cancelWait time.Duration) error {
		defer pool.Close()
		return runner.Stop(ctx, cancelWait)
	}, nil
}
