package api

import (
	"net/http"
	"time"

	"github.com/tandemhq/tandem/web/internal/jsonbody"
)

// MaxBodyBytes bounds every request body (a batch of 1000 events fits).
const MaxBodyBytes = 2 << 20

// Bodies are read by jsonbody, the decoder every surface shares; describe
// answers its refusals in the API's error shape.

// timePtr returns nil for an absent timestamp.
func timePtr(t *jsonbody.Timestamp) *time.Time {
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
