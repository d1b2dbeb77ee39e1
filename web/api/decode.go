package api

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

// MaxBodyBytes bounds every request body (a batch of 1000 events fits).
const MaxBodyBytes = 2 << 20

// decodeJSON reads the request body into dst strictly: one JSON object, no
// unknown fields, no trailing data, every type as declared. Each failure is
// a 4xx naming the offending field where there is one.
func decodeJSON(c *fiber.Ctx, dst any) error {
	body, err := jsonBody(c)
	if err != nil {
		return err
	}
	return decodeStrict(body, dst)
}

// jsonBody is the request's body, unless its declared content type is not
// JSON.
func jsonBody(c *fiber.Ctx) ([]byte, error) {
	if ct := c.Get(fiber.HeaderContentType); ct != "" && !strings.HasPrefix(strings.ToLower(ct), fiber.MIMEApplicationJSON) {
		return nil, newAPIError(http.StatusUnsupportedMediaType, "unsupported_media_type", "Send the body as application/json.")
	}
	return c.Body(), nil
}

func decodeStrict(body []byte, dst any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return newAPIError(http.StatusBadRequest, "invalid_json", "The request needs a JSON object body.")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return newAPIError(http.StatusBadRequest, "invalid_json", "The body holds more than one JSON value.")
	}
	return nil
}

var timestampType = reflect.TypeFor[Timestamp]()

func decodeError(err error) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr) && typeErr.Type == timestampType:
		return &apiError{Status: http.StatusUnprocessableEntity, Code: "invalid_timestamp",
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
		return &apiError{Status: http.StatusUnprocessableEntity, Code: "invalid_type",
			Message: "Expected " + expected + ", got " + typeErr.Value + ".", Field: typeErr.Field}
	case errors.As(err, &syntaxErr), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return newAPIError(http.StatusBadRequest, "invalid_json", "The body is not valid JSON.")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &apiError{Status: http.StatusUnprocessableEntity, Code: "unknown_field",
			Message: "This field is not part of the request.", Field: field}
	}
	return newAPIError(http.StatusBadRequest, "invalid_json", "The body is not valid JSON.")
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

// timePtr returns nil for an absent timestamp.
func timePtr(t *Timestamp) *time.Time {
	if t == nil {
		return nil
	}
	return &t.Time
}

// required reports a missing required field.
func required(field string, present bool) error {
	if present {
		return nil
	}
	return &apiError{Status: http.StatusUnprocessableEntity, Code: "missing_field", Message: "This field is required.", Field: field}
}
