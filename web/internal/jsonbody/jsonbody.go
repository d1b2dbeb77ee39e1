// Package jsonbody reads a request's JSON body strictly, the same way on
// every surface that takes one (the API, the widget): one JSON object, no
// unknown fields, no trailing data, every type as declared. Each refusal
// is an *Error with the 4xx status and code the surface answers it with,
// naming the offending field where there is one.
package jsonbody

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

// Error is a body refused: each surface answers it in its own error shape.
type Error struct {
	Status  int
	Code    string
	Message string
	Field   string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Read decodes the request's body into dst strictly (see Decode), unless
// its declared content type is not JSON.
func Read(c *fiber.Ctx, dst any) error {
	body, err := Body(c)
	if err != nil {
		return err
	}
	return Decode(body, dst)
}

// Body is the request's body, unless its declared content type is not
// JSON.
func Body(c *fiber.Ctx) ([]byte, error) {
	if ct := c.Get(fiber.HeaderContentType); ct != "" && !strings.HasPrefix(strings.ToLower(ct), fiber.MIMEApplicationJSON) {
		return nil, &Error{Status: http.StatusUnsupportedMediaType, Code: "unsupported_media_type", Message: "Send the body as application/json."}
	}
	return c.Body(), nil
}

// Decode reads body into dst: one JSON value, no unknown fields at any
// depth, nothing after it.
func Decode(body []byte, dst any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return &Error{Status: http.StatusBadRequest, Code: "invalid_json", Message: "The request needs a JSON object body."}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return &Error{Status: http.StatusBadRequest, Code: "invalid_json", Message: "The body holds more than one JSON value."}
	}
	return nil
}

var timestampType = reflect.TypeFor[Timestamp]()

func decodeError(err error) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr) && typeErr.Type == timestampType:
		return &Error{Status: http.StatusUnprocessableEntity, Code: "invalid_timestamp",
			Message: "Timestamps are RFC 3339 strings such as 2026-01-02T15:04:05Z.", Field: typeErr.Field}
	case errors.As(err, &typeErr):
		expected := typeErr.Type.Kind().String()
		switch typeErr.Type.Kind() {
		case reflect.Struct, reflect.Map:
			expected = "object"
		case reflect.Slice, reflect.Array:
			expected = "array"
		case reflect.Pointer:
			expected = typeErr.Type.Elem().Kind().String()
		}
		return &Error{Status: http.StatusUnprocessableEntity, Code: "invalid_type",
			Message: "Expected " + expected + ", got " + typeErr.Value + ".", Field: typeErr.Field}
	case errors.As(err, &syntaxErr), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return &Error{Status: http.StatusBadRequest, Code: "invalid_json", Message: "The body is not valid JSON."}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &Error{Status: http.StatusUnprocessableEntity, Code: "unknown_field",
			Message: "This field is not part of the request.", Field: field}
	}
	return &Error{Status: http.StatusBadRequest, Code: "invalid_json", Message: "The body is not valid JSON."}
}

// Timestamp is an RFC 3339 time in a request body. A malformed one is
// reported as invalid_timestamp with its field.
type Timestamp struct{ time.Time }

// UnmarshalJSON implements json.Unmarshaler.
func (t *Timestamp) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		if parsed, err := time.Parse(time.RFC3339Nano, s); err == nil {
			t.Time = parsed
			return nil
		}
	}
	return &json.UnmarshalTypeError{Value: "string " + string(b), Type: timestampType}
}
