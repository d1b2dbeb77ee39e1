// Package webtest holds the test helpers that more than one HTTP surface's
// tests use: sending a request through an app and reading the response,
// and creating a tenant with its keys; and, for the benchmarks that time
// console pages, a member signed in (console.go). It is imported by tests
// and benchmarks only, and knows the app only as something that answers
// app.Test, so it needs no web framework.
package webtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/tandemhq/tandem/tenants"
)

// App is what Do sends requests through: a *fiber.App.
type App interface {
	Test(req *http.Request, msTimeout ...int) (*http.Response, error)
}

// Response is a response read in full, its JSON decoded when the body is
// an object.
type Response struct {
	Status int
	Body   []byte
	JSON   map[string]any
	Header http.Header
}

// ErrorCode is the error.code of an error response, or "".
func (r Response) ErrorCode() string {
	if e, ok := r.JSON["error"].(map[string]any); ok {
		code, _ := e["code"].(string)
		return code
	}
	return ""
}

// Do sends one request through app. body may be nil, a string (sent as is)
// or anything else (sent as JSON); headers are name, value pairs.
func Do(t testing.TB, app App, method, path string, body any, headers ...string) Response {
	t.Helper()
	var reader io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		reader = bytes.NewBufferString(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		reader = bytes.NewReader(raw)
	}
	req := httptest.NewRequest(method, path, reader)
	if reader != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	out := Response{Status: resp.StatusCode, Body: raw, Header: resp.Header}
	// JSON lines (a tenant export) are many documents, read by the test.
	if len(raw) > 0 && raw[0] == '{' && resp.Header.Get("Content-Type") != "application/x-ndjson" {
		if err := json.Unmarshal(raw, &out.JSON); err != nil {
			t.Fatalf("%s %s: response is not JSON: %s", method, path, raw)
		}
	}
	return out
}

var tenantCounter atomic.Int64

// NewTenant creates a tenant, with its owner and keys, through the
// restricted login db.
func NewTenant(t testing.TB, db *gorm.DB) tenants.Created {
	t.Helper()
	n := tenantCounter.Add(1)
	created, err := tenants.Create(context.Background(), db, tenants.NewTenant{
		Name: fmt.Sprintf("API tenant %d", n), OwnerEmail: fmt.Sprintf("api%d@example.com", n), OwnerPassword: "correct horse battery",
	})
	if err != nil {
		t.Fatal(err)
	}
	return created
}

// ClosedDB is a pool on url that can no longer reach the database: for
// the answers of a server whose database is gone.
func ClosedDB(t testing.TB, url string) *gorm.DB {
	t.Helper()
	db, err := gorm.Open(postgres.Open(url), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatal(err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		t.Fatal(err)
	}
	sqlDB.Close()
	return db
}
