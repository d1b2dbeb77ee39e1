package console

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
)

// errMalformedInput answers a request whose path, query string or form
// holds text no page can use: a NUL byte or bytes that are not UTF-8.
// PostgreSQL refuses both in text, so without this check they reached it
// and came back as a 500.
var errMalformedInput = &pageError{http.StatusBadRequest, "This address can't be read",
	"Part of the link or the form holds characters that are not text. Check the link, or go back and try again."}

// refuseMalformedInput is the console's check of what a request carries
// before any handler reads it: the path (as its parameters will be read,
// percent-decoded), every query parameter and every form field, names and
// values alike, must be UTF-8 without NUL. Anything else is a 400 page.
// One check here instead of one per handler: a page added later is covered
// too. Numbers are range-checked where they are parsed.
func refuseMalformedInput(c *fiber.Ctx) error {
	if !validPath(c.Path()) {
		return errMalformedInput
	}
	ok := true
	check := func(key, value []byte) {
		ok = ok && models.IsText(string(key)) && models.IsText(string(value))
	}
	c.Request().URI().QueryArgs().VisitAll(check)
	if !ok {
		return errMalformedInput
	}
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return c.Next()
	}
	if strings.HasPrefix(c.Get(fiber.HeaderContentType), fiber.MIMEMultipartForm) {
		if form, err := c.MultipartForm(); err == nil {
			for key, values := range form.Value {
				ok = ok && models.IsText(key)
				for _, v := range values {
					ok = ok && models.IsText(v)
				}
			}
		}
	} else {
		c.Request().PostArgs().VisitAll(check)
	}
	if !ok {
		return errMalformedInput
	}
	return c.Next()
}

// validPath reports whether a raw path decodes to text: path parameters
// are read from it, some percent-decoded (a participant's external id). A
// path whose escapes do not decode is checked as it is; the handlers that
// decode a parameter answer those.
func validPath(raw string) bool {
	if decoded, err := url.PathUnescape(raw); err == nil {
		return models.IsText(decoded)
	}
	return models.IsText(raw)
}

// validValues reports whether every name and value of v is text, for
// query strings that ride inside a form field (the bulk forms' "back").
func validValues(v url.Values) bool {
	for key, values := range v {
		if !models.IsText(key) {
			return false
		}
		for _, s := range values {
			if !models.IsText(s) {
				return false
			}
		}
	}
	return true
}
