package tandem

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// APIError is an answer other than 2xx. Find it with errors.As:
//
//	var apiErr *tandem.APIError
//	if errors.As(err, &apiErr) && apiErr.Code == "guest_already_referred" { … }
type APIError struct {
	// StatusCode is the HTTP status (404, 409, 422, …).
	StatusCode int
	// Code is the stable snake_case code programs test (campaign_not_found);
	// empty when the answer did not come from Tandem (a proxy's 502).
	Code string
	// Message explains the error to people; it may change.
	Message string
	// Field names the offending request field, query parameter or header
	// when there is one (quest.steps[1], events[3].name).
	Field string
	// Limit is the plan limit reached, with plan_limit_reached.
	Limit string
	// RequestID is the request's X-Request-Id: quote it to support.
	RequestID string
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "tandem: %d", e.StatusCode)
	if e.Code != "" {
		b.WriteString(" " + e.Code)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.Field != "" {
		b.WriteString(" (field " + e.Field + ")")
	}
	if e.RequestID != "" {
		b.WriteString(" [request " + e.RequestID + "]")
	}
	return b.String()
}

// apiError reads the error shape {"error": {code, message, field, …}}; an
// answer without it (from a proxy) keeps its status and the start of its body.
func (a *answer) apiError() error {
	e := &APIError{StatusCode: a.status, RequestID: a.header.Get("X-Request-Id")}
	var shape struct {
		Error struct {
			Code, Message, Field, Limit string
			RequestID                   string `json:"request_id"`
		} `json:"error"`
	}
	if err := json.Unmarshal(a.body, &shape); err == nil && shape.Error.Code != "" {
		se := shape.Error
		e.Code, e.Message, e.Field, e.Limit = se.Code, se.Message, se.Field, se.Limit
		if se.RequestID != "" {
			e.RequestID = se.RequestID
		}
		return e
	}
	e.Message = http.StatusText(a.status)
	if body := strings.TrimSpace(string(a.body)); body != "" {
		if len(body) > 200 {
			body = body[:200] + "…"
		}
		e.Message += ": " + body
	}
	return e
}
