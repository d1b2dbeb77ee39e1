// Package api serves API v1 under /v1, for a tenant's backend (secret
// keys), with its OpenAPI document and reference page. Every error it
// answers has the JSON shape {"error":{"code","message","field"}}.
package api

import (
	"time"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/tandemhq/tandem/internal/ratelimit/addrlimit"
	"github.com/tandemhq/tandem/internal/ratelimit/keylimit"
	"github.com/tandemhq/tandem/internal/safehttp"
	"github.com/tandemhq/tandem/internal/secretbox"
	"github.com/tandemhq/tandem/internal/stripereward"
	"github.com/tandemhq/tandem/tenants"
)

// Deps is what the API needs from the process that serves it.
type Deps struct {
	// DB is the application's pool.
	DB *gorm.DB
	// PublicURL is the absolute URL users reach the server at, for the
	// invite links the API hands out.
	PublicURL string
	// Keys verifies API keys (shared with the console, which revokes them).
	Keys *tenants.Verifier
	// RateLimitPerMinute is how many requests each API key may make per
	// minute, summed over every web machine; 0 turns the limit off.
	RateLimitPerMinute int
	// Secrets encrypts webhook signing secrets.
	Secrets *secretbox.Box
	// WebhookPolicy says which webhook URLs may be registered.
	WebhookPolicy safehttp.Policy
	// Stripe checks the keys tenants connect for Stripe rewards.
	Stripe *stripereward.Stripe
}

// handler holds the dependencies every API route shares.
type handler struct {
	cfg       Deps
	keys      *tenants.Verifier
	keyChecks *addrlimit.Limiter // hashed key checks per client address
	limiter   *keylimit.Limiter  // nil when rate limits are off
	events    *tenants.EventQuota
	groups    *tenants.EventGroups // single events, stored in groups
	stripe    *stripereward.Stripe
}

// eventQuotaTTL is how long a tenant's count of events this month is
// reused before it is taken again (tenants.EventQuota).
const eventQuotaTTL = time.Minute

// Mount registers the API's routes on app (see routes.go). With rate
// limits on, it also starts the goroutine that shares the counts with the
// other machines; shutting the app down (app.Shutdown) stops it after a
// last flush.
func Mount(app *fiber.App, deps Deps) {
	mount(app, deps, time.Now)
}

// mount is Mount with the clock the rate limiter reads, returning the
// handler, for tests.
func mount(app *fiber.App, deps Deps, now func() time.Time) *handler {
	h := &handler{cfg: deps, keys: deps.Keys, keyChecks: addrlimit.New(keyChecksPerAddress, keyCheckWindow),
		events: tenants.NewEventQuota(deps.DB, eventQuotaTTL, now), groups: tenants.NewEventGroups(deps.DB), stripe: deps.Stripe}
	if deps.RateLimitPerMinute > 0 {
		h.limiter = keylimit.New(deps.DB, deps.RateLimitPerMinute, now)
		stop := h.limiter.Start(keylimit.FlushInterval)
		app.Hooks().OnShutdown(func() error { stop(); return nil })
	}
	routes(app, h)
	return h
}

// catchErrors is the API group's first middleware: whatever the rest of the
// chain fails with is answered here, in the JSON error shape.
func catchErrors(c *fiber.Ctx) error {
	if err := c.Next(); err != nil {
		return RenderError(c, err)
	}
	return nil
}
