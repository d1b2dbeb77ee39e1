package api

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/tenants"
)

const localKey = "api_key"

// requireSecretKey lets a request through only with a valid secret key
// (Authorization: Bearer sk_…); the key decides the tenant. A valid
// publishable key is told it needs a secret one.
func (h *handler) requireSecretKey(c *fiber.Ctx) error {
	auth := c.Get(fiber.HeaderAuthorization)
	token, ok := strings.CutPrefix(auth, "Bearer ")
	if !ok {
		return tenants.ErrInvalidKey
	}
	key, err := h.keys.VerifyAdmitted(c.UserContext(), strings.TrimSpace(token), func() error { return h.admitKeyCheck(c) })
	if err != nil {
		return err
	}
	if key.Kind != tenants.KindSecret {
		return newAPIError(http.StatusForbidden, "secret_key_required", "This endpoint needs a secret key (sk_…); publishable keys are for the widget.")
	}
	c.Locals(localKey, key)
	return c.Next()
}

// Key checks that need an argon2id hash (a well-formed key this machine
// has not verified in the last 30 s, web's keyCacheTTL) are limited per client
// address, before any hashing: keyChecksPerAddress a minute. A backend
// presents a handful of keys, each missing the cache about twice a minute
// per machine, so this leaves room for 30 keys behind one address; a
// flood of unknown keys costs at most one hash a second per address. A
// cached key is never counted, so a valid key keeps working even from an
// address that is being refused.
const (
	keyChecksPerAddress = 60
	keyCheckWindow      = time.Minute
)

// admitKeyCheck counts a key check that needs a hash against the client's
// address (c.IP(): the proxy's header when one is configured), and answers
// 429 rate_limited with Retry-After once the address has used its checks.
func (h *handler) admitKeyCheck(c *fiber.Ctx) error {
	ok, wait := h.keyChecks.Allow(c.IP())
	if ok {
		return nil
	}
	retry := strconv.Itoa(int(math.Ceil(wait.Seconds())))
	c.Set(fiber.HeaderRetryAfter, retry)
	return newAPIError(http.StatusTooManyRequests, "rate_limited",
		"Too many API keys to check from this address; retry after "+retry+" seconds.")
}

// apiKey is the verified key of the request.
func apiKey(c *fiber.Ctx) tenants.Key {
	key, _ := c.Locals(localKey).(tenants.Key)
	return key
}
