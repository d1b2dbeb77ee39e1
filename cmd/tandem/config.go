package main

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/tandemhq/tandem/internal/jobs"
	"github.com/tandemhq/tandem/internal/stripebilling"
	"github.com/tandemhq/tandem/models"
)

// Config is everything tandem reads from its environment. Secrets may
// instead be read from a file named by the same variable with _FILE
// appended (DATABASE_URL_FILE), as container secrets are mounted.
type Config struct {
	// DatabaseURL (DATABASE_URL) connects as the schema owner: migrations,
	// and serving when APP_DATABASE_URL is unset.
	DatabaseURL string
	// AppDatabaseURL (APP_DATABASE_URL) connects as the restricted role
	// tandem_app; preferred for serving.
	AppDatabaseURL string
	// AppDatabasePassword (APP_DATABASE_PASSWORD), when set, is given to
	// tandem_app by `tandem migrate`, which also lets it log in.
	AppDatabasePassword string
	// Port (PORT) is the HTTP port; 8080 by default.
	Port int
	// PublicURL (PUBLIC_URL) is where users reach the server. Required to
	// serve from DATABASE_URL or APP_DATABASE_URL; on the embedded cluster
	// it defaults to http://localhost:$PORT.
	PublicURL string
	// DataDir (TANDEM_DATA_DIR) holds the embedded cluster used when no
	// database URL is set; .tandem/pgdata by default.
	DataDir string
	// PGPort (TANDEM_PG_PORT) is the embedded cluster's port; 54329 by
	// default.
	PGPort int
	// RateLimitPerMinute (RATE_LIMIT_PER_MINUTE) is how many requests each
	// API key may make per minute across all machines; 6000 by default, 0
	// turns the limit off.
	RateLimitPerMinute int
	// ClientIPHeader (CLIENT_IP_HEADER) names the header in which a trusted
	// proxy passes the client's address (Fly-Client-IP on Fly.io); empty
	// uses the connection's address. Console logins are throttled per
	// address, so behind a proxy it must be set.
	ClientIPHeader string
	// Billing is Stripe Billing: STRIPE_SECRET_KEY (empty: billing off,
	// every tenant unmetered), STRIPE_WEBHOOK_SECRET, STRIPE_API_BASE,
	// STRIPE_PRICE_GROWTH and STRIPE_PRICE_SCALE; the secrets also as _FILE.
	Billing stripebilling.Config
	// EncryptionKey (TANDEM_ENCRYPTION_KEY) encrypts secrets at rest
	// (webhook signing secrets): 32 bytes as base64 or 64 hex digits.
	// Required to serve, except on the embedded cluster, which keeps a key
	// of its own beside its data (.tandem/pgdata.encryption-key).
	EncryptionKey string
	// WebhookAllowPrivateNetworks (WEBHOOK_ALLOW_PRIVATE_NETWORKS=true) lets
	// webhooks reach loopback and private addresses, over plain http too:
	// development and tests only.
	WebhookAllowPrivateNetworks bool
	// WebhookRetrySchedule (WEBHOOK_RETRY_SCHEDULE) is the wait before each
	// retry of a failed delivery, e.g. "5s,5m,30m,2h,5h,10h,10h" (the
	// default).
	WebhookRetrySchedule []time.Duration
	// ShutdownDelay (SHUTDOWN_DELAY, a Go duration; 5s by default) is how
	// long serve, told to stop, keeps serving with /readyz failing, so
	// that the proxy stops routing to it before the listener closes.
	ShutdownDelay time.Duration
	// RequestIDHeader (REQUEST_ID_HEADER) names the header in which a
	// trusted proxy passes its request id (Fly-Request-Id on Fly.io);
	// empty: every request gets an id of ours.
	RequestIDHeader string
	// LogLevel (LOG_LEVEL: debug, info, warn or error; info by default)
	// and RiverLogLevel (RIVER_LOG_LEVEL, warn by default) filter the logs.
	LogLevel, RiverLogLevel slog.Level
	// MetricsAddr (METRICS_ADDR, e.g. 127.0.0.1:9091 or :9091) serves
	// /metrics in Prometheus' format on an address of its own; empty
	// (the default) serves none.
	MetricsAddr string
}

// loadConfig reads the configuration through lookup (os.LookupEnv outside
// tests).
func loadConfig(lookup func(string) (string, bool)) (Config, error) {
	get := func(name, def string) string {
		if v, ok := lookup(name); ok && v != "" {
			return v
		}
		return def
	}
	var cfg Config
	var err error
	if cfg.Port, err = intVar(get, "PORT", 8080); err != nil {
		return cfg, err
	}
	if cfg.PGPort, err = intVar(get, "TANDEM_PG_PORT", 54329); err != nil {
		return cfg, err
	}
	if cfg.RateLimitPerMinute, err = countVar(get, "RATE_LIMIT_PER_MINUTE", 6000); err != nil {
		return cfg, err
	}
	cfg.PublicURL = strings.TrimSuffix(get("PUBLIC_URL", ""), "/")
	cfg.DataDir = get("TANDEM_DATA_DIR", ".tandem/pgdata")
	cfg.ClientIPHeader = get("CLIENT_IP_HEADER", "")
	cfg.Billing.APIBase = get("STRIPE_API_BASE", "")
	cfg.Billing.Prices = map[string]string{
		models.PlanGrowth: get("STRIPE_PRICE_GROWTH", ""),
		models.PlanScale:  get("STRIPE_PRICE_SCALE", ""),
	}
	switch v := get("WEBHOOK_ALLOW_PRIVATE_NETWORKS", "false"); v {
	case "true", "false":
		cfg.WebhookAllowPrivateNetworks = v == "true"
	default:
		return cfg, fmt.Errorf("config: WEBHOOK_ALLOW_PRIVATE_NETWORKS=%q is not true or false", v)
	}
	cfg.WebhookRetrySchedule = jobs.DefaultRetrySchedule
	if v := get("WEBHOOK_RETRY_SCHEDULE", ""); v != "" {
		if cfg.WebhookRetrySchedule, err = jobs.ParseRetrySchedule(v); err != nil {
			return cfg, fmt.Errorf("config: WEBHOOK_RETRY_SCHEDULE: %w", err)
		}
	}
	if cfg.ShutdownDelay, err = time.ParseDuration(get("SHUTDOWN_DELAY", "5s")); err != nil || cfg.ShutdownDelay < 0 {
		return cfg, fmt.Errorf("config: SHUTDOWN_DELAY=%q is not a duration such as 5s", get("SHUTDOWN_DELAY", ""))
	}
	cfg.RequestIDHeader = get("REQUEST_ID_HEADER", "")
	cfg.MetricsAddr = get("METRICS_ADDR", "")
	for name, dst := range map[string]*slog.Level{"LOG_LEVEL": &cfg.LogLevel, "RIVER_LOG_LEVEL": &cfg.RiverLogLevel} {
		def := map[string]string{"LOG_LEVEL": "info", "RIVER_LOG_LEVEL": "warn"}[name]
		if err := dst.UnmarshalText([]byte(get(name, def))); err != nil {
			return cfg, fmt.Errorf("config: %s=%q is not debug, info, warn or error", name, get(name, def))
		}
	}
	for name, dst := range map[string]*string{
		"DATABASE_URL":          &cfg.DatabaseURL,
		"APP_DATABASE_URL":      &cfg.AppDatabaseURL,
		"APP_DATABASE_PASSWORD": &cfg.AppDatabasePassword,
		"STRIPE_SECRET_KEY":     &cfg.Billing.SecretKey,
		"STRIPE_WEBHOOK_SECRET": &cfg.Billing.WebhookSecret,
		"TANDEM_ENCRYPTION_KEY": &cfg.EncryptionKey,
	} {
		if *dst, err = secret(get, name); err != nil {
			return cfg, err
		}
	}
	return cfg, nil
}

// servePublicURL is the URL serve hands out: PUBLIC_URL, which a
// deployment must set (without it, invite links and the widget's script
// would point at localhost and console cookies would lose Secure), or on
// the embedded cluster http://localhost:$PORT.
func (cfg Config) servePublicURL() (string, error) {
	switch {
	case cfg.PublicURL != "":
		return cfg.PublicURL, nil
	case cfg.DatabaseURL != "" || cfg.AppDatabaseURL != "":
		return "", errors.New("config: PUBLIC_URL is required with DATABASE_URL or APP_DATABASE_URL: " +
			"the address users reach the server at, e.g. https://tandem.example.com")
	}
	return fmt.Sprintf("http://localhost:%d", cfg.Port), nil
}

// secret reads name, or the file named by name_FILE.
func secret(get func(string, string) string, name string) (string, error) {
	value, file := get(name, ""), get(name+"_FILE", "")
	if file == "" {
		return value, nil
	}
	if value != "" {
		return "", fmt.Errorf("config: set %s or %s_FILE, not both", name, name)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("config: %s_FILE: %w", name, err)
	}
	// Editors and `echo` end files with a newline that is no part of the secret.
	return strings.TrimRight(string(b), "\r\n"), nil
}

func intVar(get func(string, string) string, name string, def int) (int, error) {
	s := get(name, "")
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 || n > 65535 {
		return 0, fmt.Errorf("config: %s=%q is not a port number", name, s)
	}
	return n, nil
}

// countVar reads a count: a whole number, 0 or more.
func countVar(get func(string, string) string, name string, def int) (int, error) {
	s := get(name, "")
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("config: %s=%q is not a whole number of 0 or more", name, s)
	}
	return n, nil
}
