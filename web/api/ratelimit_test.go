package api

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/internal/ratelimit/keylimit"
	"github.com/tandemhq/tandem/internal/webtest"
	"github.com/tandemhq/tandem/tenants"
)

// rateClock is a fixed instant 30 s into a minute, so that no test
// straddles a window boundary.
func rateClock() time.Time { return time.Date(2030, 1, 2, 3, 4, 30, 0, time.UTC) }

// newRateLimitedApp is one web machine limiting each key to limit
// requests a minute; it is shut down (flushing its counts) at cleanup.
func newRateLimitedApp(t *testing.T, limit int) (*fiber.App, *keylimit.Limiter) {
	t.Helper()
	app, h := newTestAppAt(testConfig{DB: env.App, PublicURL: "https://tandem.test", RateLimitPerMinute: limit}, rateClock)
	t.Cleanup(func() { _ = app.Shutdown() })
	return app, h.limiter
}

func flushRateLimits(t *testing.T, l *keylimit.Limiter) {
	t.Helper()
	if err := l.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// callKey sends an authenticated request through app and checks its status.
func callKey(t *testing.T, app *fiber.App, key string, wantStatus int) apiResponse {
	t.Helper()
	r := doRequest(t, app, "GET", "/v1/campaigns", nil, "Authorization", "Bearer "+key)
	if r.Status != wantStatus {
		t.Fatalf("status %d, want %d: %s", r.Status, wantStatus, r.Body)
	}
	return r
}

func TestRateLimitHeadersAnd429(t *testing.T) {
	a := newAPITenant(t)
	app, _ := newRateLimitedApp(t, 5)
	for i := 1; i <= 5; i++ {
		r := callKey(t, app, a.secretKey, http.StatusOK)
		for name, want := range map[string]string{"RateLimit-Limit": "5", "RateLimit-Remaining": strconv.Itoa(5 - i), "RateLimit-Reset": "30"} {
			if got := r.Header.Get(name); got != want {
				t.Errorf("request %d: %s = %q, want %q", i, name, got, want)
			}
		}
	}
	r := callKey(t, app, a.secretKey, http.StatusTooManyRequests)
	if r.ErrorCode() != "rate_limited" || r.Header.Get("Retry-After") != "30" || r.Header.Get("RateLimit-Remaining") != "0" {
		t.Errorf("429: code %q, Retry-After %q, Remaining %q", r.ErrorCode(), r.Header.Get("Retry-After"), r.Header.Get("RateLimit-Remaining"))
	}
}

// Two machines on one database share each key's budget once they have
// flushed, and one key's budget is not another's.
func TestRateLimitSharedAcrossMachines(t *testing.T) {
	a, b := newAPITenant(t), newAPITenant(t)
	machine1, limiter1 := newRateLimitedApp(t, 5)
	machine2, limiter2 := newRateLimitedApp(t, 5)

	for range 3 {
		callKey(t, machine1, a.secretKey, http.StatusOK)
	}
	flushRateLimits(t, limiter1)
	// machine2 has not heard of a's key yet: it judges by its own count,
	// and learns the total (3 + 2) at its flush.
	for range 2 {
		callKey(t, machine2, a.secretKey, http.StatusOK)
	}
	flushRateLimits(t, limiter2)
	callKey(t, machine2, a.secretKey, http.StatusTooManyRequests)
	// machine1 learns what machine2 counted at its next flush.
	flushRateLimits(t, limiter1)
	callKey(t, machine1, a.secretKey, http.StatusTooManyRequests)

	// Another tenant's key is untouched on both machines.
	if r := callKey(t, machine1, b.secretKey, http.StatusOK); r.Header.Get("RateLimit-Remaining") != "4" {
		t.Errorf("tenant b's key: remaining %q, want 4", r.Header.Get("RateLimit-Remaining"))
	}
	callKey(t, machine2, b.secretKey, http.StatusOK)
}

// A machine that shuts down hands its unflushed counts over; rows are
// tenant data, written through the tenant transaction.
func TestRateLimitFlushesOnShutdown(t *testing.T) {
	a := newAPITenant(t)
	app, _ := newRateLimitedApp(t, 100)
	for range 4 {
		callKey(t, app, a.secretKey, http.StatusOK)
	}
	if err := app.Shutdown(); err != nil {
		t.Fatal(err)
	}
	var stored int
	err := env.Owner.Raw(`SELECT coalesce(sum(requests), 0) FROM api_rate_limits WHERE tenant_id = ? AND window_start = ?`,
		a.created.TenantID, rateClock().Truncate(time.Minute)).Scan(&stored).Error
	if err != nil {
		t.Fatal(err)
	}
	if stored != 4 {
		t.Errorf("stored %d requests, want 4", stored)
	}
}

func TestRateLimitOff(t *testing.T) {
	a := newAPITenant(t)
	r := a.call(t, "GET", "/v1/campaigns", nil)
	if r.Status != http.StatusOK || r.Header.Get("RateLimit-Limit") != "" {
		t.Errorf("with no limit configured: %d, RateLimit-Limit %q", r.Status, r.Header.Get("RateLimit-Limit"))
	}
}

// Found in the hardening review: requests the server fails (5xx) do not use up the
// key's quota; requests it answers, 4xx included, do.
func TestRateLimitCountsOnlyAnsweredRequests(t *testing.T) {
	a := newAPITenant(t)
	// The key is verified (and cached) while the database is up; then the
	// app's pool is closed, so that every request fails with a 500.
	keys := tenants.NewVerifier(env.App, time.Minute)
	if _, err := keys.Verify(context.Background(), a.secretKey); err != nil {
		t.Fatal(err)
	}
	app := fiber.New(fiber.Config{DisableStartupMessage: true, ErrorHandler: RenderError})
	h := mount(app, Deps{DB: webtest.ClosedDB(t, env.AppURL), Keys: keys, RateLimitPerMinute: 3}, rateClock)
	t.Cleanup(func() { _ = app.Shutdown() })
	for i := 1; i <= 6; i++ {
		r := callKey(t, app, a.secretKey, http.StatusInternalServerError)
		if got := r.Header.Get("RateLimit-Remaining"); got != "2" {
			t.Fatalf("failed request %d: RateLimit-Remaining %q, want 2 (failures are given back)", i, got)
		}
	}

	// The database is back: answered requests count, 4xx as well as 2xx.
	h.cfg.DB = env.App
	callKey(t, app, a.secretKey, http.StatusOK)
	if r := doRequest(t, app, "GET", "/v1/campaigns/nope", nil, "Authorization", "Bearer "+a.secretKey); r.Status != http.StatusNotFound {
		t.Fatalf("an unknown campaign: %d %s", r.Status, r.Body)
	}
	if r := doRequest(t, app, "POST", "/v1/participants", "{", "Authorization", "Bearer "+a.secretKey); r.Status != http.StatusBadRequest {
		t.Fatalf("broken JSON: %d %s", r.Status, r.Body)
	}
	callKey(t, app, a.secretKey, http.StatusTooManyRequests)
}
