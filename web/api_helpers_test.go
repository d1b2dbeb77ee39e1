package web

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

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/tenants"
)

// apiTenant is a tenant with its keys and an app to call.
type apiTenant struct {
	app            *fiber.App
	created        tenants.Created
	secretKey      string
	publishableKey string
}

var apiTenantCounter atomic.Int64

// newAPITenant creates a tenant through the restricted login and an app
// serving the API.
func newAPITenant(t testing.TB) *apiTenant {
	t.Helper()
	n := apiTenantCounter.Add(1)
	created, err := tenants.Create(context.Background(), env.App, tenants.NewTenant{
		Name: fmt.Sprintf("API tenant %d", n), OwnerEmail: fmt.Sprintf("api%d@example.com", n), OwnerPassword: "correct horse battery",
	})
	if err != nil {
		t.Fatal(err)
	}
	return &apiTenant{app: New(Config{DB: env.App, PublicURL: "https://tandem.test"}), created: created,
		secretKey: created.SecretKey, publishableKey: created.PublishableKey}
}

// apiResponse is a decoded JSON response.
type apiResponse struct {
	Status int
	Body   []byte
	JSON   map[string]any
	Header http.Header
}

// errorCode is the error.code of an error response, or "".
func (r apiResponse) errorCode() string {
	if e, ok := r.JSON["error"].(map[string]any); ok {
		code, _ := e["code"].(string)
		return code
	}
	return ""
}

// call sends one request with the tenant's secret key. body may be nil, a
// string (sent as is) or anything else (sent as JSON).
func (a *apiTenant) call(t testing.TB, method, path string, body any, headers ...string) apiResponse {
	t.Helper()
	return doRequest(t, a.app, method, path, body, append([]string{"Authorization", "Bearer " + a.secretKey}, headers...)...)
}

func doRequest(t testing.TB, app *fiber.App, method, path string, body any, headers ...string) apiResponse {
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
	out := apiResponse{Status: resp.StatusCode, Body: raw, Header: resp.Header}
	if len(raw) > 0 && raw[0] == '{' {
		if err := json.Unmarshal(raw, &out.JSON); err != nil {
			t.Fatalf("%s %s: response is not JSON: %s", method, path, raw)
		}
	}
	return out
}
