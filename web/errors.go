package web

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// errorBody is the one error shape of every JSON response:
// {"error":{"code":"...","message":"..."}}.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// writeError answers with the JSON error shape. code is stable and meant for
// programs; message is for people.
func writeError(c *fiber.Ctx, status int, code, message string) error {
	return c.Status(status).JSON(errorBody{Error: errorDetail{Code: code, Message: message}})
}

// handleError turns an error a handler returned into the JSON error shape.
// Errors other than *fiber.Error are ours: logged, and never shown, since
// they may carry internals.
func handleError(c *fiber.Ctx, err error) error {
	var fe *fiber.Error
	if errors.As(err, &fe) && fe.Code < http.StatusInternalServerError {
		code := strings.ToLower(strings.ReplaceAll(http.StatusText(fe.Code), " ", "_"))
		return writeError(c, fe.Code, code, fe.Message)
	}
	slog.Error("web: request failed", "method", c.Method(), "path", c.Path(), "err", err)
	return writeError(c, http.StatusInternalServerError, "internal_error", "Something went wrong on our side.")
}
