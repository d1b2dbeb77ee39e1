package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/tandemhq/tandem/internal/dbtest"
	"github.com/tandemhq/tandem/internal/webtest"
)

var env *dbtest.Env

func TestMain(m *testing.M) { dbtest.Main(m, "web", &env) }

func TestHealthz(t *testing.T) {
	for _, tc := range []struct {
		name       string
		db         func(t *testing.T) *gorm.DB
		wantStatus int
		wantBody   string
	}{
		{
			name:       "database answers",
			db:         func(*testing.T) *gorm.DB { return env.App },
			wantStatus: http.StatusOK,
			wantBody:   `{"status":"ok","version":"v1.2.3-test"}`,
		},
		{
			name:       "database gone",
			db:         closedDB,
			wantStatus: http.StatusServiceUnavailable,
			wantBody:   `{"error":{"code":"database_unavailable","message":"The database is not answering.","request_id":"{id}"}}`,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			app := New(Config{DB: tc.db(t), PublicURL: "http://localhost", Version: "v1.2.3-test"})
			resp, err := app.Test(httptest.NewRequest(http.MethodGet, "/healthz", nil))
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			tc.wantBody = strings.ReplaceAll(tc.wantBody, "{id}", resp.Header.Get("X-Request-Id"))
			if resp.StatusCode != tc.wantStatus || string(body) != tc.wantBody {
				t.Errorf("got %d %s, want %d %s", resp.StatusCode, body, tc.wantStatus, tc.wantBody)
			}
		})
	}
}

// An unknown API route answers in the JSON error shape; an unknown console
// route gets the console's 404 page (TestConsoleErrorPages).
func TestUnknownRouteUsesErrorShape(t *testing.T) {
	created := webtest.NewTenant(t, env.App)
	r := webtest.Do(t, New(Config{DB: env.App, PublicURL: "https://tandem.test"}), http.MethodGet, "/v1/nope", nil,
		"Authorization", "Bearer "+created.SecretKey)
	want := `{"error":{"code":"not_found","message":"Cannot GET /v1/nope.","request_id":"` + r.Header.Get("X-Request-Id") + `"}}`
	if r.Status != http.StatusNotFound || string(r.Body) != want {
		t.Errorf("got %d %s", r.Status, r.Body)
	}
}

// closedDB is a pool that can no longer reach the database.
func closedDB(t *testing.T) *gorm.DB { return webtest.ClosedDB(t, env.AppURL) }
