package api

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"
)

// apiTimeout bounds an API request, key check included: Fiber's user
// context carries no cancellation of its own, so without it a slow query
// would run on after the client left. The console has the same bound.
const apiTimeout = 30 * time.Second

// referenceCSP is the Content-Security-Policy of /docs/api: a page of
// text with a same-origin stylesheet and icon, no script, no inline style,
// no forms, never framed.
const referenceCSP = "default-src 'none'; style-src 'self'; img-src 'self'; " +
	"frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

// apiHeaders runs before every /v1 route: JSON answers are never sniffed
// as anything else, and the request gets a deadline that cancels its
// queries (tenants.WithTenant and the key check use c.UserContext()).
func apiHeaders(c *fiber.Ctx) error {
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	ctx, cancel := context.WithTimeout(c.UserContext(), apiTimeout)
	defer cancel()
	c.SetUserContext(ctx)
	return c.Next()
}

// referencePageHeaders are the security headers of the reference page.
func referencePageHeaders(c *fiber.Ctx) {
	c.Set(fiber.HeaderContentSecurityPolicy, referenceCSP)
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderReferrerPolicy, "same-origin")
	c.Set(fiber.HeaderXFrameOptions, "DENY")
}
