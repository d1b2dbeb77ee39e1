package main

import (
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tandemhq/tandem/internal/jobs"
)

func TestLoadConfig(t *testing.T) {
	secretFile := filepath.Join(t.TempDir(), "url")
	if err := os.WriteFile(secretFile, []byte("postgres://from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		env     map[string]string
		want    func(Config) bool
		wantErr string
	}{
		{"defaults", nil, func(c Config) bool {
			u, err := c.servePublicURL()
			return c.Port == 8080 && u == "http://localhost:8080" && err == nil && c.DataDir == ".tandem/pgdata" && c.PGPort == 54329 && c.DatabaseURL == "" &&
				c.RateLimitPerMinute == 6000 && c.ShutdownDelay == 5*time.Second && c.LogLevel == slog.LevelInfo && c.RiverLogLevel == slog.LevelWarn &&
				c.MetricsAddr == "" && c.RequestIDHeader == ""
		}, ""},
		{"public URL required with a database", map[string]string{"APP_DATABASE_URL": "postgres://x"}, func(c Config) bool {
			_, err := c.servePublicURL()
			return err != nil && strings.Contains(err.Error(), "PUBLIC_URL is required")
		}, ""},
		{"operations", map[string]string{"SHUTDOWN_DELAY": "250ms", "LOG_LEVEL": "debug", "RIVER_LOG_LEVEL": "info",
			"METRICS_ADDR": "127.0.0.1:9091", "REQUEST_ID_HEADER": "Fly-Request-Id"}, func(c Config) bool {
			return c.ShutdownDelay == 250*time.Millisecond && c.LogLevel == slog.LevelDebug && c.RiverLogLevel == slog.LevelInfo &&
				c.MetricsAddr == "127.0.0.1:9091" && c.RequestIDHeader == "Fly-Request-Id"
		}, ""},
		{"bad shutdown delay", map[string]string{"SHUTDOWN_DELAY": "5"}, nil, "SHUTDOWN_DELAY"},
		{"bad log level", map[string]string{"LOG_LEVEL": "loud"}, nil, "LOG_LEVEL"},
		{"rate limit off", map[string]string{"RATE_LIMIT_PER_MINUTE": "0"}, func(c Config) bool { return c.RateLimitPerMinute == 0 }, ""},
		{"bad rate limit", map[string]string{"RATE_LIMIT_PER_MINUTE": "-1"}, nil, "RATE_LIMIT_PER_MINUTE"},
		{"port moves the public URL", map[string]string{"PORT": "9000"}, func(c Config) bool {
			u, _ := c.servePublicURL()
			return c.Port == 9000 && u == "http://localhost:9000"
		}, ""},
		{"public URL without trailing slash", map[string]string{"PUBLIC_URL": "https://tandem.example/"}, func(c Config) bool {
			return c.PublicURL == "https://tandem.example"
		}, ""},
		{"secret from file", map[string]string{"DATABASE_URL_FILE": secretFile}, func(c Config) bool {
			return c.DatabaseURL == "postgres://from-file"
		}, ""},
		{"secret and file", map[string]string{"DATABASE_URL": "x", "DATABASE_URL_FILE": secretFile}, nil, "not both"},
		{"missing file", map[string]string{"APP_DATABASE_PASSWORD_FILE": "/nonexistent"}, nil, "APP_DATABASE_PASSWORD_FILE"},
		{"bad port", map[string]string{"TANDEM_PG_PORT": "http"}, nil, "TANDEM_PG_PORT"},
		{"billing off by default", nil, func(c Config) bool { return !c.Billing.Enabled() }, ""},
		{"billing", map[string]string{"STRIPE_SECRET_KEY_FILE": secretFile, "STRIPE_WEBHOOK_SECRET": "whsec_x",
			"STRIPE_API_BASE": "http://127.0.0.1:12111", "STRIPE_PRICE_GROWTH": "price_g", "STRIPE_PRICE_SCALE": "price_s"}, func(c Config) bool {
			return c.Billing.Enabled() && c.Billing.SecretKey == "postgres://from-file" && c.Billing.WebhookSecret == "whsec_x" &&
				c.Billing.APIBase == "http://127.0.0.1:12111" && c.Billing.Prices["growth"] == "price_g" && c.Billing.Prices["scale"] == "price_s"
		}, ""},
		{"webhook defaults", nil, func(c Config) bool {
			return !c.WebhookAllowPrivateNetworks && slices.Equal(c.WebhookRetrySchedule, jobs.DefaultRetrySchedule) && c.EncryptionKey == ""
		}, ""},
		{"webhook settings", map[string]string{"WEBHOOK_ALLOW_PRIVATE_NETWORKS": "true", "WEBHOOK_RETRY_SCHEDULE": "1s, 1s,2s",
			"TANDEM_ENCRYPTION_KEY": "k"}, func(c Config) bool {
			return c.WebhookAllowPrivateNetworks && slices.Equal(c.WebhookRetrySchedule, []time.Duration{time.Second, time.Second, 2 * time.Second}) &&
				c.EncryptionKey == "k"
		}, ""},
		{"bad private networks", map[string]string{"WEBHOOK_ALLOW_PRIVATE_NETWORKS": "yes"}, nil, "WEBHOOK_ALLOW_PRIVATE_NETWORKS"},
		{"bad retry schedule", map[string]string{"WEBHOOK_RETRY_SCHEDULE": "5s,soon"}, nil, "WEBHOOK_RETRY_SCHEDULE"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := loadConfig(func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok })
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one mentioning %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tc.want(cfg) {
				t.Errorf("unexpected config %+v", cfg)
			}
		})
	}
}
