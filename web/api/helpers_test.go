package api

import (
	"os"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/tandemhq/tandem/internal/dbtest"
	"github.com/tandemhq/tandem/internal/safehttp"
	"github.com/tandemhq/tandem/internal/secretbox"
	"github.com/tandemhq/tandem/internal/stripemock"
	"github.com/tandemhq/tandem/internal/stripereward"
	"github.com/tandemhq/tandem/internal/webtest"
	"github.com/tandemhq/tandem/tenants"
)

var env *dbtest.Env

func TestMain(m *testing.M) { dbtest.Main(m, "api", &env) }

// testConfig is what the API's tests vary in the app they serve.
type testConfig struct {
	DB                 *gorm.DB
	PublicURL          string
	RateLimitPerMinute int
	ClientIPHeader     string // Fiber's ProxyHeader, as web.New sets it
	WebhookPolicy      safehttp.Policy
	// Mutable serves Fiber's zero-copy views of the request (web.New never
	// does), for the benchmark that prices Immutable.
	Mutable bool
}

// testBox encrypts the tests' webhook secrets.
var testBox = func() *secretbox.Box {
	box, err := secretbox.New(make([]byte, secretbox.KeySize))
	if err != nil {
		panic(err)
	}
	return box
}()

// newTestApp serves the API as web.New mounts it: the same body limit,
// and RenderError as the app's fallback.
func newTestApp(cfg testConfig) *fiber.App {
	app, _ := newTestAppAt(cfg, time.Now)
	return app
}

// newTestAppAt is newTestApp with the clock the rate limiter reads, and
// the handler.
func newTestAppAt(cfg testConfig, now func() time.Time) (*fiber.App, *handler) {
	app := fiber.New(fiber.Config{DisableStartupMessage: true, Immutable: !cfg.Mutable, ErrorHandler: RenderError, BodyLimit: MaxBodyBytes,
		ProxyHeader: cfg.ClientIPHeader})
	h := mount(app, Deps{DB: cfg.DB, PublicURL: cfg.PublicURL, Keys: tenants.NewVerifier(cfg.DB, 30*time.Second),
		RateLimitPerMinute: cfg.RateLimitPerMinute, Secrets: testBox, WebhookPolicy: cfg.WebhookPolicy,
		// The run's stripe-mock (withpg), never Stripe itself.
		Stripe: stripereward.New(os.Getenv(stripemock.EnvVar))}, now)
	return app, h
}

// apiTenant is a tenant with its keys and an app to call.
type apiTenant struct {
	app            *fiber.App
	created        tenants.Created
	secretKey      string
	publishableKey string
}

// newAPITenant creates a tenant through the restricted login and an app
// serving the API.
func newAPITenant(t testing.TB) *apiTenant {
	t.Helper()
	created := webtest.NewTenant(t, env.App)
	return &apiTenant{app: newTestApp(testConfig{DB: env.App, PublicURL: "https://tandem.test"}), created: created,
		secretKey: created.SecretKey, publishableKey: created.PublishableKey}
}

// apiResponse is a decoded JSON response.
type apiResponse = webtest.Response

// call sends one request with the tenant's secret key. body may be nil, a
// string (sent as is) or anything else (sent as JSON).
func (a *apiTenant) call(t testing.TB, method, path string, body any, headers ...string) apiResponse {
	t.Helper()
	return doRequest(t, a.app, method, path, body, append([]string{"Authorization", "Bearer " + a.secretKey}, headers...)...)
}

// doRequest sends one request through app.
func doRequest(t testing.TB, app *fiber.App, method, path string, body any, headers ...string) apiResponse {
	t.Helper()
	return webtest.Do(t, app, method, path, body, headers...)
}
