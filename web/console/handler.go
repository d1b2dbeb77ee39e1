// Package console serves the admin console: server-rendered pages for a
// tenant's team, with sessions (scs, stored in PostgreSQL), CSRF checks,
// security headers and its own HTML error pages.
package console

import (
	"github.com/alexedwards/scs/v2"
	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/tandemhq/tandem/internal/ratelimit/addrlimit"
	"github.com/tandemhq/tandem/internal/safehttp"
	"github.com/tandemhq/tandem/internal/secretbox"
	"github.com/tandemhq/tandem/internal/stripebilling"
	"github.com/tandemhq/tandem/internal/stripereward"
	"github.com/tandemhq/tandem/tenants"
)

// Deps is what the console needs from the process that serves it.
type Deps struct {
	// DB is the application's pool.
	DB *gorm.DB
	// PublicURL is the absolute URL users reach the server at: links in
	// invitations, the Origin an unsafe request may come from, and whether
	// session cookies may travel over plain HTTP (localhost only).
	PublicURL string
	// Keys is the process's API key verifier, shared with the API: a key
	// revoked in the console is forgotten by its cache at once.
	Keys *tenants.Verifier
	// Billing is Stripe Billing (the billing page, sign-up's plan); nil is
	// billing off.
	Billing *stripebilling.Billing
	// Secrets encrypts webhook signing secrets and tenants' Stripe keys;
	// WebhookPolicy says which webhook URLs may be registered.
	Secrets       *secretbox.Box
	WebhookPolicy safehttp.Policy
	// Stripe checks the key a tenant connects its Stripe account with,
	// as the API does.
	Stripe *stripereward.Stripe
}

// handler holds the dependencies every console route shares.
type handler struct {
	cfg  Deps
	keys *tenants.Verifier
	// The console's sessions and login throttle (session.go).
	sessions *scs.SessionManager
	throttle *tenants.LoginThrottle
	// signups counts sign-up attempts per client address (auth.go).
	signups *addrlimit.Limiter
}

// Mount registers the console on app. It claims every path the surfaces
// mounted before it left, so it must be mounted last (see routes.go).
func Mount(app *fiber.App, deps Deps) {
	mount(app, deps)
}

// mount is Mount returning the handler, for tests.
func mount(app *fiber.App, deps Deps) *handler {
	if deps.Billing == nil {
		deps.Billing = stripebilling.New(stripebilling.Config{}, deps.DB)
	}
	h := &handler{cfg: deps, keys: deps.Keys}
	h.startConsole(app)
	routes(app, h)
	return h
}

// catchErrors is the console's first middleware: whatever the rest of the
// chain fails with, Fiber's own 404 and 405 at the end of the stack
// included, is answered with the console's error page. It runs outside the
// session middleware, so the page renders after the session is committed,
// with the page shell the handler set.
func catchErrors(c *fiber.Ctx) error {
	if err := c.Next(); err != nil {
		return handleConsoleError(c, err)
	}
	return nil
}
