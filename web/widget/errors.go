package widget

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
	"github.com/tandemhq/tandem/web/internal/jsonbody"
	"github.com/tandemhq/tandem/web/internal/surface"
)

// errorBody is the widget's one error shape: {"error":{"code","message"}}.
// widget.js reads code and dispatches it in tandem:error.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

// widgetError is an error the widget decides itself, with its status and,
// when one input is at fault, its name.
type widgetError struct {
	Status  int
	Code    string
	Message string
	Field   string
}

func (e *widgetError) Error() string { return e.Code + ": " + e.Message }

// The widget's own refusals.
var (
	errTokenMissing     = &widgetError{Status: http.StatusUnauthorized, Code: "token_missing", Message: "Send the participant token as Authorization: Bearer wt_…."}
	errTokenInvalid     = &widgetError{Status: http.StatusUnauthorized, Code: "token_invalid", Message: "The token is malformed or unknown, or the key that minted it was revoked."}
	errTokenExpired     = &widgetError{Status: http.StatusUnauthorized, Code: "token_expired", Message: "The token has expired: ask your backend for a new one."}
	errKeyInvalid       = &widgetError{Status: http.StatusUnauthorized, Code: "key_invalid", Message: "The publishable key is missing, malformed, unknown or revoked."}
	errOriginNotAllowed = &widgetError{Status: http.StatusForbidden, Code: "origin_not_allowed", Message: "This site is not one of the tenant's allowed origins."}
	errCampaignEnded    = &widgetError{Status: http.StatusGone, Code: "campaign_ended", Message: "The campaign has ended."}
	errInvalidLimit     = &widgetError{Status: http.StatusBadRequest, Code: "invalid_limit", Message: "limit is a whole number from 1 to 100.", Field: "limit"}
	errInvalidOrigin    = &widgetError{Status: http.StatusBadRequest, Code: "invalid_origin", Message: "The Origin header is not an origin: it must be text, without NUL."}
	errRateLimited      = &widgetError{Status: http.StatusTooManyRequests, Code: "rate_limited", Message: "Too many keys to check from this address; retry later."}
)

// describe turns any error into its status and body, its message in the
// surfaces' one style (surface.Sentence).
func describe(c *fiber.Ctx, err error) (int, errorDetail) {
	status, detail := classify(c, err)
	detail.Message = surface.Sentence(detail.Message, detail.Field)
	return status, detail
}

// classify finds an error's status and body; errors nobody foresaw are
// logged and never shown.
func classify(c *fiber.Ctx, err error) (int, errorDetail) {
	var (
		we *widgetError
		dd *models.DetailedError
		je *jsonbody.Error
		ve *models.ValidationError
		de *models.Error
		fe *fiber.Error
	)
	switch {
	case errors.As(err, &we):
		return we.Status, errorDetail{Code: we.Code, Message: we.Message, Field: we.Field}
	case errors.As(err, &je):
		return je.Status, errorDetail{Code: je.Code, Message: je.Message, Field: je.Field}
	case errors.As(err, &ve):
		return http.StatusUnprocessableEntity, errorDetail{Code: ve.Code, Message: ve.Message, Field: ve.Field}
	case errors.As(err, &dd): // before models.Error, which it wraps
		return surface.Status(dd.Base.Kind), errorDetail{Code: dd.Base.Code, Message: dd.Message, Field: dd.Field}
	case errors.As(err, &de):
		return surface.Status(de.Kind), errorDetail{Code: de.Code, Message: de.Message}
	case errors.Is(err, tenants.ErrInvalidWidgetToken):
		return classify(c, errTokenInvalid)
	case errors.Is(err, tenants.ErrInvalidKey):
		return classify(c, errKeyInvalid)
	case tenants.Unavailable(err):
		c.Set(fiber.HeaderRetryAfter, "5") // as the API's: a restart's or a fail-over's time
		return http.StatusServiceUnavailable, errorDetail{Code: "unavailable", Message: "The service cannot be reached just now. Try again shortly."}
	case tenants.Interrupted(err):
		c.Set(fiber.HeaderRetryAfter, "1")
		return http.StatusServiceUnavailable, errorDetail{Code: "unavailable", Message: "The request was interrupted. Try again."}
	case errors.As(err, &fe) && fe.Code < http.StatusInternalServerError:
		code := map[int]string{http.StatusNotFound: "not_found", http.StatusMethodNotAllowed: "method_not_allowed",
			http.StatusRequestEntityTooLarge: "body_too_large"}[fe.Code]
		if code == "" {
			code = "bad_request"
		}
		return fe.Code, errorDetail{Code: code, Message: fe.Message}
	}
	slog.Error("widget: request failed", "method", c.Method(), "path", c.Path(), "err", err)
	return http.StatusInternalServerError, errorDetail{Code: "internal_error", Message: "Something went wrong on our side."}
}

// catchErrors is the widget group's first middleware: whatever the rest of
// the chain fails with is answered here, in the widget's JSON shape.
func catchErrors(c *fiber.Ctx) error {
	c.Vary(fiber.HeaderOrigin)
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	if err := c.Next(); err != nil {
		return renderError(c, err)
	}
	return nil
}

// renderError answers err in the widget's JSON shape.
func renderError(c *fiber.Ctx, err error) error {
	status, detail := describe(c, err)
	return c.Status(status).JSON(errorBody{Error: detail})
}

// noStore keeps a participant's data out of shared caches.
func noStore(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Next()
}
