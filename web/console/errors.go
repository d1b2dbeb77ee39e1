package console

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
	"github.com/tandemhq/tandem/views"
	"github.com/tandemhq/tandem/web/internal/surface"
)

// pageError is an error a console handler decides, answered with the
// console's error page: a status, a title and a message for people.
type pageError struct {
	Status  int
	Title   string
	Message string
}

func (e *pageError) Error() string { return e.Title + ": " + e.Message }

// The console's own refusals.
var (
	errForbidden = &pageError{http.StatusForbidden, "You can't do that",
		"Your role does not allow this. An owner of your team can change your role."}
	errCSRF = &pageError{http.StatusForbidden, "This form has expired",
		"For your security, the form could not be sent. Reload the page and try again."}
	errCrossSite = &pageError{http.StatusForbidden, "Request refused",
		"This request came from another site, so it was refused."}
	errPageNotFound = &pageError{http.StatusNotFound, "Page not found",
		"There is nothing at this address. It may have moved, or the link may be mistyped."}
)

// consoleErrorPage turns any error into the page it is answered with.
// Errors we did not foresee are ours: logged, never shown.
func consoleErrorPage(c *fiber.Ctx, err error) views.ErrorPage {
	var (
		pe *pageError
		ve *models.ValidationError
		le *models.PlanLimitError
		de *models.Error
		fe *fiber.Error
	)
	switch {
	case errors.As(err, &pe):
		return views.ErrorPage{Status: pe.Status, Title: pe.Title, Message: pe.Message}
	case errors.As(err, &le):
		return views.ErrorPage{Status: surface.Status(models.OverLimit), Title: statusTitle(surface.Status(models.OverLimit)),
			Message: sentence(le.Error()), Upgrade: true}
	case errors.As(err, &ve):
		return views.ErrorPage{Status: http.StatusUnprocessableEntity, Title: "Please check what you entered",
			Message: sentence(ve.Message)}
	case errors.As(err, &de):
		status := surface.Status(de.Kind)
		return views.ErrorPage{Status: status, Title: statusTitle(status), Message: sentence(de.Message)}
	case errors.As(err, &fe) && fe.Code == http.StatusNotFound:
		return views.ErrorPage{Status: http.StatusNotFound, Title: errPageNotFound.Title, Message: errPageNotFound.Message}
	case errors.As(err, &fe) && fe.Code < http.StatusInternalServerError:
		return views.ErrorPage{Status: fe.Code, Title: statusTitle(fe.Code),
			Message: "The request could not be handled. Go back and try again."}
	case tenants.Unavailable(err):
		c.Set(fiber.HeaderRetryAfter, "5") // as the API's: a restart's or a fail-over's time
		return views.ErrorPage{Status: http.StatusServiceUnavailable, Title: "Tandem is unavailable",
			Message: "We cannot reach our database just now, and nothing was changed. Please try again in a moment."}
	case tenants.Interrupted(err):
		c.Set(fiber.HeaderRetryAfter, "1")
		return views.ErrorPage{Status: http.StatusServiceUnavailable, Title: "That took too long",
			Message: "The request was interrupted before it finished, and nothing was changed. Please try again."}
	}
	slog.Error("console: console request failed", "method", c.Method(), "path", c.Path(), "err", err)
	return views.ErrorPage{Status: http.StatusInternalServerError, Title: "Something went wrong",
		Message: "We could not complete this request. It has been logged; please try again in a moment."}
}

func statusTitle(status int) string {
	switch status {
	case http.StatusNotFound, http.StatusGone:
		return "Not found"
	case http.StatusConflict:
		return "That can't be done right now"
	case http.StatusForbidden:
		return "You can't do that"
	case http.StatusRequestEntityTooLarge:
		return "That was too much at once"
	case http.StatusTooManyRequests:
		return "Too many requests"
	case http.StatusPaymentRequired:
		return "Your plan's limit is reached"
	}
	return "That didn't work"
}

// sentence makes an error message read as a sentence on a page.
func sentence(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if size == 0 {
		return s
	}
	s = string(unicode.ToUpper(r)) + s[size:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

// handleConsoleError answers a console request that failed with an error
// page in the console's style. An htmx request gets the same page (htmx
// does not swap it; console.js shows a message instead).
func handleConsoleError(c *fiber.Ctx, err error) error {
	page := consoleErrorPage(c, err)
	// The request's context may already be cancelled by its timeout; the
	// page must render all the same.
	ctx := context.WithoutCancel(c.UserContext())
	signedIn := views.ShellFrom(ctx).SignedIn()
	var buf bytes.Buffer
	if rerr := views.ErrorView(page, signedIn).Render(ctx, &buf); rerr != nil {
		slog.Error("console: render error page", "err", rerr)
		c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
		return c.Status(http.StatusInternalServerError).SendString(errorPageFallback)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Status(page.Status).Send(buf.Bytes())
}

// errorPageFallback is answered when even the error page fails to render.
const errorPageFallback = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Something went wrong</title></head>` +
	`<body><h1>Something went wrong</h1><p>Please try again in a moment.</p></body></html>`
