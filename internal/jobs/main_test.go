package jobs_test

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/internal/dbtest"
	"github.com/tandemhq/tandem/internal/jobs"
	"github.com/tandemhq/tandem/internal/safehttp"
	"github.com/tandemhq/tandem/internal/secretbox"
	"github.com/tandemhq/tandem/internal/webtest"
	"github.com/tandemhq/tandem/tenants"
	"github.com/tandemhq/tandem/web"
)

var env *dbtest.Env

func TestMain(m *testing.M) { dbtest.Main(m, "jobs", &env) }

// testBox encrypts the tests' webhook secrets.
var testBox = func() *secretbox.Box {
	box, err := secretbox.New(bytes.Repeat([]byte{3}, secretbox.KeySize))
	if err != nil {
		panic(err)
	}
	return box
}()

// local lets webhooks reach the tests' receivers on loopback.
var local = safehttp.Policy{AllowPrivateNetworks: true}

// testSchedule is a short retry schedule: the deliveries' timing is not
// what the tests measure.
var testSchedule = []time.Duration{10 * time.Millisecond, 10 * time.Millisecond, 20 * time.Millisecond}

// startServer starts one "server"'s job runner: its own River pool and
// client on the package's database, logged in as tandem_app and working as
// River's role (jobs.OpenPool, as serve does), stopped at cleanup.
func startServer(t *testing.T, now func() time.Time, options ...func(*jobs.Config)) jobs.Config {
	t.Helper()
	pool, err := jobs.OpenPool(context.Background(), env.AppURL, 8)
	if err != nil {
		t.Fatal(err)
	}
	cfg := jobs.Config{DB: env.App, Pool: pool, Secrets: testBox, Render: web.WebhookData("https://tandem.test"), Policy: local,
		RetrySchedule: testSchedule, Now: now, FetchPollInterval: 100 * time.Millisecond, ExpiryInterval: time.Hour,
		Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))}
	for _, option := range options {
		option(&cfg)
	}
	runner, err := jobs.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := runner.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := runner.Stop(ctx, time.Second); err != nil {
			t.Error(err)
		}
		pool.Close()
	})
	return cfg
}

// apiClient serves the application as tandem serve does, to a new
// tenant's secret key: call sends one request and checks its status.
type apiClient struct {
	t       *testing.T
	app     *fiber.App
	created tenants.Created
}

func newAPIClient(t *testing.T) *apiClient {
	app := web.New(web.Config{DB: env.App, PublicURL: "https://tandem.test", Secrets: testBox, WebhookPolicy: local})
	return &apiClient{t: t, app: app, created: webtest.NewTenant(t, env.App)}
}

func (a *apiClient) call(method, path string, body any, status int) webtest.Response {
	a.t.Helper()
	r := webtest.Do(a.t, a.app, method, path, body, "Authorization", "Bearer "+a.created.SecretKey)
	if r.Status != status {
		a.t.Fatalf("%s %s: %d %s", method, path, r.Status, r.Body)
	}
	return r
}
