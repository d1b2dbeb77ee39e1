package api

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tandemhq/tandem/internal/ratelimit/addrlimit"
)

// Found in the hardening review: unknown keys were free to flood, each costing an
// argon2id hash. Checks that need a hash are limited per client address
// before any hashing; cached keys are never counted.
func TestUnknownKeysAreLimitedPerAddressBeforeHashing(t *testing.T) {
	a, b, c := newAPITenant(t), newAPITenant(t), newAPITenant(t)
	app, h := newTestAppAt(testConfig{DB: env.App, PublicURL: "https://tandem.test", ClientIPHeader: "Fly-Client-IP"}, time.Now)
	h.keyChecks = addrlimit.New(3, time.Minute)
	const flooder, other = "198.51.100.7", "203.0.113.9"
	send := func(addr, key string, want int) apiResponse {
		t.Helper()
		r := doRequest(t, app, "GET", "/v1/campaigns", nil, "Authorization", "Bearer "+key, "Fly-Client-IP", addr)
		if r.Status != want {
			t.Fatalf("key %.12s… from %s: %d %s, want %d", key, addr, r.Status, r.Body, want)
		}
		return r
	}
	unknown := func(i int) string { return "sk_" + strings.Repeat(string(rune('a'+i)), 48) }

	send(flooder, a.secretKey, http.StatusOK) // 1st check: hashed, then cached
	send(flooder, unknown(0), http.StatusUnauthorized)
	send(flooder, unknown(1), http.StatusUnauthorized)
	hashed := h.keys.Hashed()
	for i := 2; i < 10; i++ {
		r := send(flooder, unknown(i), http.StatusTooManyRequests)
		retry, err := strconv.Atoi(r.Header.Get("Retry-After"))
		if r.ErrorCode() != "rate_limited" || err != nil || retry < 1 || retry > 60 {
			t.Fatalf("refused key check: code %q, Retry-After %q", r.ErrorCode(), r.Header.Get("Retry-After"))
		}
	}
	if got := h.keys.Hashed(); got != hashed {
		t.Errorf("%d more hashes after the address's limit, want none", got-hashed)
	}
	// Malformed keys cost no hash and stay a plain 401.
	send(flooder, "sk_nope", http.StatusUnauthorized)
	// The flooder's own valid key is cached: never counted, never slowed.
	send(flooder, a.secretKey, http.StatusOK)
	// Another address has its own checks, with a key not yet cached.
	send(other, b.secretKey, http.StatusOK)
	// A key not yet cached from the refused address waits like any other.
	send(flooder, c.secretKey, http.StatusTooManyRequests)
	if got := h.keys.Hashed(); got != hashed+1 {
		t.Errorf("%d hashes after the limit, want 1 (the other address's key)", got-hashed)
	}
}
