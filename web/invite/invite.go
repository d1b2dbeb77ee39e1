// Package invite serves the public landing pages of invite and referrer
// codes, /i/{code}: branded pages for a tenant's guests, with no session,
// no key and friendly pages instead of errors.
package invite

import (
	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/tandemhq/tandem/internal/ratelimit/addrlimit"
)

// handler holds the dependencies of the invite pages.
type handler struct {
	db *gorm.DB
	// visits counts the pages each client address opens (limit.go).
	visits *addrlimit.Limiter
}

// Mount registers the invite pages on app (see routes.go).
func Mount(app *fiber.App, db *gorm.DB) {
	routes(app, &handler{db: db, visits: addrlimit.New(pagesPerMinute, visitWindow)})
}
