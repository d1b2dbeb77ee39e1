package widget

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/internal/dbtest"
	"github.com/tandemhq/tandem/internal/webtest"
	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
	"github.com/tandemhq/tandem/web/internal/openapi/openapitest"
)

var env *dbtest.Env

func TestMain(m *testing.M) { dbtest.Main(m, "widget", &env) }

const (
	shop     = "https://shop.example"
	evil     = "https://evil.example"
	tandemAt = "https://tandem.test"
)

// clock is a controllable time for token expiry.
type clock struct{ offset atomic.Int64 }

func (c *clock) now() time.Time           { return time.Now().Add(time.Duration(c.offset.Load())) }
func (c *clock) advance(by time.Duration) { c.offset.Add(int64(by)) }

// newApp serves the widget's API as web.New mounts it, on clk.
func newApp(clk *clock) *fiber.App {
	app := fiber.New(fiber.Config{DisableStartupMessage: true, Immutable: true})
	Mount(app, Deps{DB: env.App, PublicURL: tandemAt, Keys: tenants.NewVerifier(env.App, time.Minute), Now: clk.now})
	return app
}

// widgetTenant is a tenant with a published campaign, allowed origins and
// a way to mint tokens.
type widgetTenant struct {
	t       *testing.T
	created tenants.Created
	app     *fiber.App
	clock   *clock
}

func newWidgetTenant(t *testing.T, origins ...string) *widgetTenant {
	t.Helper()
	w := &widgetTenant{t: t, created: webtest.NewTenant(t, env.App), clock: &clock{}}
	w.app = newApp(w.clock)
	w.in(func(ctx context.Context) error {
		_, err := models.SaveWidgetSettings(ctx, origins)
		return err
	})
	return w
}

// in runs fn in the tenant's transaction, failing the test on error.
func (w *widgetTenant) in(fn func(ctx context.Context) error) {
	w.t.Helper()
	env.InTenant(w.t, w.created.TenantID, fn)
}

// publish publishes a campaign whose quest is steps, with a $10 first
// milestone for the host.
func (w *widgetTenant) publish(slug, mode string, steps ...string) {
	w.t.Helper()
	w.in(func(ctx context.Context) error {
		for _, s := range steps {
			if _, _, err := models.DefineEvent(ctx, s, "Step "+s); err != nil {
				return err
			}
		}
		amount := int64(1000)
		rules := models.Rules{Steps: steps, Milestones: []models.Milestone{{Count: 1,
			Reward: models.Reward{Description: "$10 credit", Kind: "cash", Amount: &amount, Currency: "USD"}}}}
		if _, _, err := models.SaveCampaignDraft(ctx, slug, models.CampaignInput{Name: "Campaign " + slug, Mode: mode, Rules: rules}); err != nil {
			return err
		}
		_, err := models.PublishCampaign(ctx, slug, models.InflightKeep)
		return err
	})
}

// secretKeyID is the id of the tenant's secret key.
func (w *widgetTenant) secretKeyID() string {
	w.t.Helper()
	var id string
	w.in(func(ctx context.Context) error {
		keys, err := models.ListAPIKeys(ctx)
		for _, k := range keys {
			if k.Kind == models.APIKeySecret {
				id = k.ID
			}
		}
		return err
	})
	return id
}

// mint mints a token for participant in campaign, living lifetime.
func (w *widgetTenant) mint(participant, campaign string, lifetime time.Duration) string {
	w.t.Helper()
	key := w.secretKeyID()
	var token string
	w.in(func(ctx context.Context) error {
		var err error
		token, _, err = tenants.MintWidgetToken(ctx, key, participant, campaign, lifetime)
		return err
	})
	return token
}

// get sends a request to the widget's API with a token and an Origin.
func (w *widgetTenant) get(path, token, origin string) webtest.Response {
	w.t.Helper()
	return w.do("GET", path, nil, token, origin)
}

func (w *widgetTenant) do(method, path string, body any, token, origin string) webtest.Response {
	w.t.Helper()
	var headers []string
	if token != "" {
		headers = append(headers, "Authorization", "Bearer "+token)
	}
	if origin != "" {
		headers = append(headers, "Origin", origin)
	}
	return w.doWith(method, path, body, headers...)
}

// doWith sends a request with headers as name, value pairs, and checks
// the answer against the widget's OpenAPI document when the request is
// one of its operations (not a preflight, nor a path no route serves).
func (w *widgetTenant) doWith(method, path string, body any, headers ...string) webtest.Response {
	w.t.Helper()
	r := webtest.Do(w.t, w.app, method, path, body, headers...)
	dc := docChecker(w.t)
	if route, ok := dc.Route(method, path); ok {
		dc.Check(w.t, route, r)
	}
	return r
}

// docChecker is the package's one checker of answers against the
// document (openapitest), made by the first test that needs it.
func docChecker(t testing.TB) *openapitest.Checker {
	docCheckerOnce.Do(func() {
		theDocChecker = openapitest.New(t, openapiJSON, "Access-Control-Allow-Origin", "Retry-After")
	})
	return theDocChecker
}

var (
	docCheckerOnce sync.Once
	theDocChecker  *openapitest.Checker
)

// want fails unless r has status and, for an error, code.
func want(t *testing.T, what string, r webtest.Response, status int, code string) {
	t.Helper()
	if r.Status != status || r.ErrorCode() != code {
		t.Fatalf("%s: %d %s, want %d %s", what, r.Status, r.Body, status, code)
	}
}

// event records one event for participant.
func (w *widgetTenant) event(participant, name string) {
	w.t.Helper()
	w.in(func(ctx context.Context) error {
		_, _, err := models.IngestEvent(ctx, models.EventInput{Participant: participant, Name: name})
		return err
	})
}
