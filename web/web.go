// Package web serves Tandem over HTTP: the admin console and the public API.
// It is the only package that knows about Fiber.
package web

import (
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/tandemhq/tandem/tenants"
)

// Config is what the web layer needs from the process that runs it.
type Config struct {
	// DB is the application's pool, logged in as the restricted role or as
	// the owner (tenant transactions then switch role themselves).
	DB *gorm.DB
	// PublicURL is the absolute URL users reach the server at, for links
	// the server hands out.
	PublicURL string
	// RateLimitPerMinute is how many requests each API key may make per
	// minute, summed over every web machine; 0 turns the limit off.
	RateLimitPerMinute int
	// ClientIPHeader names the header a trusted proxy puts the client's
	// address in (Fly-Client-IP on Fly.io, X-Forwarded-For, …); empty uses
	// the connection's address. The console throttles logins per address,
	// so behind a proxy this must be set, or every visitor shares one.
	ClientIPHeader string
}

// handler holds the dependencies every route shares.
type handler struct {
	cfg     Config
	keys    *tenants.Verifier
	limiter *rateLimiter // nil when rate limits are off
	// The console's sessions and login throttle (console_session.go).
	sessions *scs.SessionManager
	throttle *tenants.LoginThrottle
}

// keyCacheTTL is how long a verified API key is trusted without a new
// argon2id check; a revoked key stops working within it everywhere.
const keyCacheTTL = 30 * time.Second

// New returns the application with every route registered. With rate
// limits on, it also starts the goroutine that shares the counts with the
// other machines; shutting the app down (app.Shutdown) stops it after a
// last flush.
func New(cfg Config) *fiber.App {
	app, _ := newApp(cfg, time.Now)
	return app
}

// newApp is New with the clock the rate limiter reads, and the handler, for
// tests.
func newApp(cfg Config, now func() time.Time) (*fiber.App, *handler) {
	app := fiber.New(fiber.Config{
		DisableStartupMessage: true,
		ErrorHandler:          handleError,
		BodyLimit:             MaxBodyBytes,
		ProxyHeader:           cfg.ClientIPHeader,
	})
	h := &handler{cfg: cfg, keys: tenants.NewVerifier(cfg.DB, keyCacheTTL)}
	h.startConsole(app)
	if cfg.RateLimitPerMinute > 0 {
		h.limiter = newRateLimiter(cfg.DB, cfg.RateLimitPerMinute, now)
		stop := h.limiter.start(rateFlushInterval)
		app.Hooks().OnShutdown(func() error { stop(); return nil })
	}
	routes(app, h)
	return app, h
}
