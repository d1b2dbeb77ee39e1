package widget

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

// preflightMaxAge is how long a browser may reuse a preflight's answer (in
// seconds): each one costs a lookup.
const preflightMaxAge = "600"

// refuseMalformedOrigin answers 400 invalid_origin to an Origin header
// that is no text PostgreSQL can hold (invalid UTF-8, NUL): every origin is
// looked up or compared against the database's, and a browser never sends
// one (a serialised origin is ASCII).
func refuseMalformedOrigin(c *fiber.Ctx) error {
	if !models.IsText(c.Get(fiber.HeaderOrigin)) {
		return errInvalidOrigin
	}
	return c.Next()
}

// answerPreflight answers a CORS preflight (an OPTIONS request) and
// passes every other request on. It carries no credential, so it
// can only be told whether some tenant lets the widget run on its origin;
// the request that follows is held to its own tenant's list (admitOrigin).
// Any other origin gets no Access-Control-Allow-Origin, which the browser
// reads as a refusal.
func (h *handler) answerPreflight(c *fiber.Ctx) error {
	if c.Method() != fiber.MethodOptions {
		return c.Next()
	}
	origin := c.Get(fiber.HeaderOrigin)
	known := origin != "" && origin == h.selfOrigin
	if !known && origin != "" {
		var err error
		if known, err = tenants.WidgetOriginKnown(c.UserContext(), h.db, origin); err != nil {
			return err
		}
	}
	if !known {
		return errOriginNotAllowed
	}
	c.Set(fiber.HeaderAccessControlAllowOrigin, origin)
	c.Set(fiber.HeaderAccessControlAllowMethods, "GET, POST")
	c.Set(fiber.HeaderAccessControlAllowHeaders, "Authorization, Content-Type")
	c.Set(fiber.HeaderAccessControlMaxAge, preflightMaxAge)
	return c.SendStatus(fiber.StatusNoContent)
}

// admitOrigin lets a request through only from one of allowed (exact
// string match with the browser's Origin header) or the server's own
// origin (the console's preview), and lets that origin read the answer.
// Credentials are never allowed: the token travels in a header, not a
// cookie. A request without Origin is no browser's cross-origin request
// (a backend, a same-origin GET): the token is its credential, and no CORS
// header is needed.
func (h *handler) admitOrigin(c *fiber.Ctx, allowed []string) error {
	origin := c.Get(fiber.HeaderOrigin)
	if origin == "" {
		return nil
	}
	if origin != h.selfOrigin && !slices.Contains(allowed, origin) {
		return errOriginNotAllowed
	}
	c.Set(fiber.HeaderAccessControlAllowOrigin, origin)
	return nil
}

// admitKnownOrigin lets an origin that some tenant allows read an answer
// given before the tenant is known (a missing or unknown token), so that
// the widget can show why; it changes nothing else.
func (h *handler) admitKnownOrigin(c *fiber.Ctx) {
	origin := c.Get(fiber.HeaderOrigin)
	if origin == "" {
		return
	}
	known := origin == h.selfOrigin
	if !known {
		known, _ = tenants.WidgetOriginKnown(c.UserContext(), h.db, origin) // unknown on error: no header
	}
	if known {
		c.Set(fiber.HeaderAccessControlAllowOrigin, origin)
	}
}
