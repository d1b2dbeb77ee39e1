// Package route holds what every surface of web needs to close its own
// group of routes. It is internal to web: surfaces share it instead of
// importing each other.
package route

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
			// Use routes (middleware) and the routes that end in Unmatched
			// (a group's closing All) claim no method of their own.
			if r.Method == methodUse || endsInUnmatched(r, self) || !fiber.RoutePatternMatch(c.Path(), r.Path, app.Config()) {
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
	return fiber.NewError(fiber.StatusNotFound, "Cannot "+c.Method()+" "+html.EscapeString(string(c.Request().URI().PathOriginal())))
}

// methodUse is the Method Fiber gives a route registered with Use or Group.
const methodUse = "USE"

// endsInUnmatched reports whether r's last handler is Unmatched (self).
func endsInUnmatched(r *fiber.Route, self uintptr) bool {
	n := len(r.Handlers)
	return n > 0 && reflect.ValueOf(r.Handlers[n-1]).Pointer() == self
}
