package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tandemhq/tandem/jobs"
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
			return c.Port == 8080 && c.PublicURL == "http://localhost:8080" && c.DataDir == ".tandem/pgdata" && c.PGPort == 54329 && c.DatabaseURL == "" &&
				c.RateLimitPerMinute == 6000
		}, ""},
		{"rate limit off", map[string]string{"RATE_LIMIT_PER_MINUTE": "0"}, func(c Config) bool { return c.RateLimitPerMinute == 0 }, ""},
		{"bad rate limit", map[string]string{"RATE_LIMIT_PER_MINUTE": "-1"}, nil, "RATE_LIMIT_PER_MINUTE"},
		{"port moves the public URL", map[string]string{"PORT": "9000"}, func(c Config) bool {
			return c.Port == 9000 && c.PublicURL == "http://localhost:9000"
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
