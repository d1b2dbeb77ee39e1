// Package web assembles Tandem's HTTP surfaces into one Fiber app: the
// public API (web/api), the invite pages (web/invite), Stripe's billing
// webhook (web/stripehook) and the admin console (web/console), with the
// health check and static files. Each surface
// mounts its own routes, middleware and error pages; web only decides the
// order they are mounted in. Nothing below web knows about Fiber.
package web

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/tandemhq/tandem/internal/safehttp"
	"github.com/tandemhq/tandem/internal/secretbox"
	"github.com/tandemhq/tandem/internal/stripebilling"
	"github.com/tandemhq/tandem/internal/stripereward"
	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
	"github.com/tandemhq/tandem/web/api"
	"github.com/tandemhq/tandem/web/console"
	"github.com/tandemhq/tandem/web/internal/surface"
	"github.com/tandemhq/tandem/web/invite"
	"github.com/tandemhq/tandem/web/stripehook"
	"github.com/tandemhq/tandem/web/widget"
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
	// Billing is Stripe's configuration; its zero value turns billing off
	// (every tenant unmetered).
	Billing stripebilling.Config

	// ReadTimeout bounds reading one request, headers and body, from its
	// first byte (or the connection's opening); IdleTimeout bounds the wait
	// for the next request on a kept-alive connection; WriteTimeout bounds
	// writing one response, from the handler's return. A client too slow
	// for them is disconnected. Zero takes the defaults below; tests
	// shorten them.
	ReadTimeout, WriteTimeout, IdleTimeout time.Duration
	// Secrets encrypts webhook signing secrets and tenants' Stripe keys;
	// WebhookPolicy says which webhook URLs may be registered.
	Secrets       *secretbox.Box
	WebhookPolicy safehttp.Policy
	// BaseContext is the context every request's work derives from
	// (c.UserContext()); cancelling it cancels the queries and rendering of
	// every request in flight, as a shutdown past its drain time does.
	// Nil is context.Background().
	BaseContext context.Context

	// Draining, once true, fails /readyz: serve sets it when told to stop,
	// before it stops accepting. Nil is never draining.
	Draining *atomic.Bool
	// WarmingUp, while true, fails /readyz: serve holds it from before it
	// listens until its pool is warm (tenants.WarmUp). Nil is never warming.
	WarmingUp *atomic.Bool
	// Version is the build's, shown by /healthz.
	Version string
	// RequestIDHeader names the header in which a trusted proxy passes its
	// request id (Fly-Request-Id); empty gives every request an id of
	// ours. Either way it is echoed as X-Request-Id.
	RequestIDHeader string
	// AccessLog receives one line per request; nil writes none. Metrics
	// counts and times requests in internal/metrics.
	AccessLog *slog.Logger
	Metrics   bool
}

// The server's timeouts, when Config leaves them zero. Reads are short:
// no request of ours needs ten seconds to send (the largest body,
// api.MaxBodyBytes, still arrives at a slow mobile link's speed). Writes
// allow a minute; downloads (downloadWriteTimeouts) get more.
const (
	defaultReadTimeout  = 10 * time.Second
	defaultWriteTimeout = 60 * time.Second
	defaultIdleTimeout  = 60 * time.Second
)

// keyCacheTTL is how long a verified API key is trusted without a new
// argon2id check; a revoked key stops working within it everywhere.
const keyCacheTTL = 30 * time.Second

// New returns the application with every surface mounted. With rate
// limits on, the API also starts the goroutine that shares the counts with
// the other machines; shutting the app down (app.Shutdown) stops it after a
// last flush.
func New(cfg Config) *fiber.App {
	cfg = withDefaults(cfg)
	app := fiber.New(fiber.Config{
		DisableStartupMessage: true,
		// Each surface answers its own errors. This fallback answers the
		// rest, in the API's JSON shape: a request Fiber refuses before
		// routing (a body over the limit) and the 404 or 405 of the
		// health check, static files and invite paths.
		ErrorHandler: api.RenderError,
		// Every string and body Fiber hands a handler is a copy, so none
		// can change under work that outlives its request (an event queued
		// for a group, a streamed export); c.Request() and c.Context() are
		// still fasthttp's own buffers, read only in place.
		Immutable:    true,
		BodyLimit:    api.MaxBodyBytes,
		ProxyHeader:  cfg.ClientIPHeader,
		ReadTimeout:  cfg.ReadTimeout,
		WriteTimeout: cfg.WriteTimeout,
		IdleTimeout:  cfg.IdleTimeout,
	})
	// Responses sent while shutting down close their connection.
	app.Server().CloseOnShutdown = true
	// Downloads that stream for minutes get a longer write deadline.
	app.Server().HeaderReceived = writeTimeouts(cfg.WriteTimeout)
	// One verifier for the process: the console's revocations reach the
	// API's cache at once.
	keys := tenants.NewVerifier(cfg.DB, keyCacheTTL)
	bill := stripebilling.New(cfg.Billing, cfg.DB)
	// One Stripe client checks the keys tenants connect, from the API or
	// the console.
	tenantStripe := stripereward.New(cfg.Billing.APIBase)

	// The mount list. Order matters: every surface claims its own prefix
	// before the console, which is mounted last and answers every path
	// nobody claimed (its 404 page included).
	app.Use(baseContext(cfg.BaseContext)) // first: every request's work derives from it
	// then: it sees every answer, errors included, as sent
	app.Use(observe(cfg.AccessLog, cfg.RequestIDHeader, cfg.Metrics))
	app.Use(compression()...) // then: it wraps every route
	app.Get("/healthz", nosniff, healthz(cfg.DB, cfg.Version))
	app.All("/healthz", surface.Unmatched)
	app.Get("/livez", nosniff, livez)
	app.All("/livez", surface.Unmatched)
	app.Get("/readyz", nosniff, readyz(cfg.DB, cfg.WarmingUp, cfg.Draining))
	app.All("/readyz", surface.Unmatched)
	app.Get("/static/*", serveStatic)
	app.All("/static/*", surface.Unmatched)
	app.Get("/favicon.ico", serveFavicon)
	api.Mount(app, api.Deps{DB: cfg.DB, PublicURL: cfg.PublicURL, Keys: keys, RateLimitPerMinute: cfg.RateLimitPerMinute,
		Secrets: cfg.Secrets, WebhookPolicy: cfg.WebhookPolicy, Stripe: tenantStripe})
	invite.Mount(app, cfg.DB)
	stripehook.Mount(app, bill)
	app.Get("/widget.js", serveWidgetScript) // the snippet's stable URL
	widget.Mount(app, widget.Deps{DB: cfg.DB, PublicURL: cfg.PublicURL, Keys: keys})
	console.Mount(app, console.Deps{DB: cfg.DB, PublicURL: cfg.PublicURL, Keys: keys, Secrets: cfg.Secrets,
		WebhookPolicy: cfg.WebhookPolicy, Billing: bill, Stripe: tenantStripe})
	return app
}

// WebhookData renders a webhook message's data as the API shows its
// object, for the jobs that deliver webhooks.
func WebhookData(publicURL string) models.WebhookRenderer { return api.WebhookData(publicURL) }

// withDefaults fills the zero fields of cfg that have a default.
func withDefaults(cfg Config) Config {
	if cfg.ReadTimeout == 0 {
		cfg.ReadTimeout = defaultReadTimeout
	}
	if cfg.WriteTimeout == 0 {
		cfg.WriteTimeout = defaultWriteTimeout
	}
	if cfg.IdleTimeout == 0 {
		cfg.IdleTimeout = defaultIdleTimeout
	}
	if cfg.BaseContext == nil {
		cfg.BaseContext = context.Background()
	}
	if cfg.Draining == nil {
		cfg.Draining = new(atomic.Bool)
	}
	if cfg.WarmingUp == nil {
		cfg.WarmingUp = new(atomic.Bool)
	}
	return cfg
}

// baseContext makes base the user context every request starts from:
// Fiber's own (context.Background()) can never be cancelled.
func baseContext(base context.Context) fiber.Handler {
	return func(c *fiber.Ctx) error {
		c.SetUserContext(base)
		return c.Next()
	}
}

// nosniff stops browsers from guessing a type other than the one sent.
func nosniff(c *fiber.Ctx) error {
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	return c.Next()
}
