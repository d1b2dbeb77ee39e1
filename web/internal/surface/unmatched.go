// Package surface holds what every surface of web shares: the HTTP status
// of each kind of domain error, and the handlers that close a surface's
// group of routes. It is internal to web: surfaces share it instead of
// importing each other.
package surface

import (
	"html"
	"reflect"

	"github.com/gofiber/fiber/v2"
)

// Unmatched ends a surface's group: a request that reached it matched none
// of the surface's routes. It answers what Fiber's router answers at the
// end of its stack — 405 Method Not Allowed, with Allow listing the methods
// that do have a route for the path, or else 404 "Cannot METHOD /path" —
// so that the surface renders the error itself instead of letting the
// request run on into the next surface's middleware.
func Unmatched(c *fiber.Ctx) error {
	app := c.App()
	methods := app.Config().RequestMethods
	self := reflect.ValueOf(Unmatched).Pointer()
	allowed := false
	for i, routes := range app.Stack() {
		if methods[i] == c.Method() {
			continue
		}
		for _, r := range routes {
			// Use routes (middleware) and the routes of Unmatched itself
			// (a group's closing All) claim no method of their own.
			if r.Method == methodUse || isUnmatched(r, self) || !fiber.RoutePatternMatch(c.Path(), r.Path, app.Config()) {
				continue
			}
			allowed = true
			c.Append(fiber.HeaderAllow, methods[i])
			break
		}
	}
	if allowed {
		return fiber.ErrMethodNotAllowed
	}
	return NotFound(c)
}

// NotFound is the router's own 404, "Cannot METHOD /path", for a handler
// that finds nothing at a path its route matched.
func NotFound(c *fiber.Ctx) error {
	return fiber.NewError(fiber.StatusNotFound, "Cannot "+c.Method()+" "+html.EscapeString(string(c.Request().URI().PathOriginal())))
}

// methodUse is the Method Fiber gives a route registered with Use or Group.
const methodUse = "USE"

// isUnmatched reports whether r is a route of Unmatched (self) alone. Fiber
// appends the handlers of a route registered again for the same method and
// path (app.Get then app.All on /healthz) to the first one, so it is the
// first handler that tells whose route it is.
func isUnmatched(r *fiber.Route, self uintptr) bool {
	return len(r.Handlers) > 0 && reflect.ValueOf(r.Handlers[0]).Pointer() == self
}
