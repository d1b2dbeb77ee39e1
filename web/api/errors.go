package api

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

// errorBody is the one error shape of every JSON response:
// {"error":{"code":"...","message":"...","field":"..."}}.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
	// Limit names the plan limit of a plan_limit_reached.
	Limit string `json:"limit,omitempty"`
	// RequestID is the request's X-Request-Id, to quote to support.
	RequestID string `json:"request_id,omitempty"`
}

// apiError is an error the web layer itself decides, with its status.
type apiError struct {
	Status  int
	Code    string
	Message string
	Field   string
}

func (e *apiError) Error() string { return e.Code + ": " + e.Message }

func newAPIError(status int, code, message string) *apiError {
	return &apiError{Status: status, Code: code, Message: message}
}

// WriteError answers with the JSON error shape. code is stable and meant for
// programs; message is for people.
func WriteError(c *fiber.Ctx, status int, code, message string) error {
	return c.Status(status).JSON(errorBody{Error: errorDetail{Code: code, Message: surface.Sentence(message, ""), RequestID: requestID(c)}})
}

// fiberCodes names Fiber's own errors in snake_case codes.
var fiberCodes = map[int]string{
	http.StatusNotFound:              "not_found",
	http.StatusMethodNotAllowed:      "method_not_allowed",
	http.StatusRequestEntityTooLarge: "body_too_large",
	http.StatusUnsupportedMediaType:  "unsupported_media_type",
	http.StatusBadRequest:            "bad_request",
	http.StatusRequestTimeout:        "request_timeout",
}

// unavailableRetryAfter is the Retry-After, in seconds, of a request
// refused because the database cannot be reached: long enough for a
// restart or a fail-over, short enough for a client's retry loop.
const unavailableRetryAfter = "5"

// describe turns any error into the status and body it is answered with,
// its message in the surfaces' one style (surface.Sentence).
func describe(c *fiber.Ctx, err error) (int, errorDetail) {
	status, detail := classify(c, err)
	detail.Message = surface.Sentence(detail.Message, detail.Field)
	return status, detail
}

// classify finds the status and body of an error. Errors we did not
// foresee are ours: logged, and never shown, since they may carry
// internals.
func classify(c *fiber.Ctx, err error) (int, errorDetail) {
	var (
		dd *models.DetailedError
		ae *apiError
		je *jsonbody.Error
		ve *models.ValidationError
		le *models.PlanLimitError
		de *models.Error
		fe *fiber.Error
	)
	switch {
	case errors.As(err, &ae):
		return ae.Status, errorDetail{Code: ae.Code, Message: ae.Message, Field: ae.Field}
	case errors.As(err, &dd): // before models.Error, which it wraps
		return surface.Status(dd.Base.Kind), errorDetail{Code: dd.Base.Code, Message: dd.Message, Field: dd.Field}
	case errors.As(err, &je):
		return je.Status, errorDetail{Code: je.Code, Message: je.Message, Field: je.Field}
	case errors.As(err, &le):
		return surface.Status(models.OverLimit), errorDetail{Code: models.ErrPlanLimitReached.Code, Message: le.Error(), Limit: le.Limit}
	case errors.As(err, &ve):
		return http.StatusUnprocessableEntity, errorDetail{Code: ve.Code, Message: ve.Message, Field: ve.Field}
	case errors.As(err, &de):
		return surface.Status(de.Kind), errorDetail{Code: de.Code, Message: de.Message}
	case errors.Is(err, tenants.ErrInvalidKey):
		return http.StatusUnauthorized, errorDetail{Code: "invalid_api_key", Message: "The API key is missing, malformed, unknown or revoked."}
	case tenants.Unavailable(err):
		c.Set(fiber.HeaderRetryAfter, unavailableRetryAfter)
		return http.StatusServiceUnavailable, errorDetail{Code: "unavailable",
			Message: "The service cannot reach its database just now. Try again shortly."}
	case tenants.Interrupted(err):
		c.Set(fiber.HeaderRetryAfter, "1")
		return http.StatusServiceUnavailable, errorDetail{Code: "unavailable",
			Message: "The request was interrupted (it ran out of time, or the server is restarting). Try again."}
	case errors.As(err, &fe) && fe.Code < http.StatusInternalServerError:
		code, ok := fiberCodes[fe.Code]
		if !ok {
			code = "bad_request"
		}
		return fe.Code, errorDetail{Code: code, Message: fe.Message}
	}
	slog.Error("api: request failed", "method", c.Method(), "path", c.Path(), "err", err)
	return http.StatusInternalServerError, errorDetail{Code: "internal_error", Message: "Something went wrong on our side."}
}

// RenderError answers an error in the JSON error shape. It is the API
// group's error renderer (catchErrors), and web's fallback for errors no
// surface answered (a request too large to route, a path outside every
// surface).
func RenderError(c *fiber.Ctx, err error) error {
	status, detail := describe(c, err)
	detail.RequestID = requestID(c)
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	return c.Status(status).JSON(errorBody{Error: detail})
}

// requestID is the id web's request log gave the request (on the
// response's X-Request-Id).
func requestID(c *fiber.Ctx) string {
	return string(c.Response().Header.Peek(fiber.HeaderXRequestID))
}
