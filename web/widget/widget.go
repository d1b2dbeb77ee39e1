// Package widget serves the embeddable referral widget's own API under
// /widget/v1, for widget.js running on a tenant's site: authorised by a
// participant token (Authorization: Bearer wt_…) the tenant's backend
// minted, or, for the guest offer alone, by the publishable key; answered
// with CORS only for the tenant's exact allowed origins. Every error has
// the JSON shape {"error":{"code","message"}}.
package widget

import (
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/tandemhq/tandem/internal/ratelimit/addrlimit"
	"github.com/tandemhq/tandem/internal/ratelimit/keylimit"
	"github.com/tandemhq/tandem/tenants"
)

// Deps is what the widget's API needs from the process that serves it.
type Deps struct {
	// DB is the application's pool.
	DB *gorm.DB
	// PublicURL is where users reach the server: the links the widget shows
	// are built on it, and pages on its origin (the console's preview) are
	// always allowed.
	PublicURL string
	// Keys verifies publishable keys (shared with the API and the console).
	Keys *tenants.Verifier
	// Now is the clock tokens expire by; nil is time.Now. Tests move it.
	Now func() time.Time
}

// handler holds the dependencies every widget route shares.
type handler struct {
	db         *gorm.DB
	publicURL  string
	selfOrigin string
	keys       *tenants.Verifier
	keyChecks  *addrlimit.Limiter // publishable key checks that need a hash, per client address
	// Writes per token and per participant (limits.go).
	tokenWrites, participantWrites *keylimit.Limiter
	now                            func() time.Time
}

// Mount registers the widget's API on app (see routes.go), and starts the
// goroutines that share the write limits' counts with the other machines;
// shutting the app down (app.Shutdown) stops them after a last flush.
func Mount(app *fiber.App, deps Deps) {
	h := &handler{db: deps.DB, publicURL: strings.TrimSuffix(deps.PublicURL, "/"), keys: deps.Keys, now: deps.Now,
		keyChecks: addrlimit.New(keyChecksPerAddress, time.Minute)}
	if h.now == nil {
		h.now = time.Now
	}
	h.tokenWrites = keylimit.New(deps.DB, writesPerToken, h.now)
	h.participantWrites = keylimit.New(deps.DB, writesPerParticipant, h.now)
	for _, l := range []*keylimit.Limiter{h.tokenWrites, h.participantWrites} {
		stop := l.Start(keylimit.FlushInterval)
		app.Hooks().OnShutdown(func() error { stop(); return nil })
	}
	if u, err := url.Parse(h.publicURL); err == nil && u.Host != "" {
		h.selfOrigin = strings.ToLower(u.Scheme + "://" + u.Host)
	}
	routes(app, h)
}

// codeURL is the public invite link of an invitation or referrer code.
func (h *handler) codeURL(code string) string {
	return h.publicURL + "/i/" + code
}
