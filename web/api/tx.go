package api

import (
	"context"
	"crypto/sha256"
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

// inTenant runs fn in the tenant transaction of the request's API key, with
// the key as the audit actor. fn writes the response; if fn fails, nothing
// it did is kept. fn may run more than once (a deadlock is retried), so it
// must only write the response at its end.
//
// A POST with an Idempotency-Key header is done once: the key, a hash of
// the request and the successful response are stored in the same
// transaction, and a repeat gets the stored response. The same key with a
// different request is idempotency_key_reused. Failures store nothing,
// since they changed nothing: a retry runs again.
func (h *handler) inTenant(c *fiber.Ctx, fn func(ctx context.Context) error) error {
	key := apiKey(c)
	ctx := models.WithActor(c.UserContext(), "key:"+key.ID)
	idemKey := ""
	if c.Method() == fiber.MethodPost {
		var err error
		if idemKey, err = idempotencyKeyHeader(c); err != nil {
			return err
		}
	}
	return tenants.WithTenant(ctx, h.cfg.DB, key.TenantID, func(ctx context.Context) error {
		if idemKey == "" {
			return fn(ctx)
		}
		hash := requestHash(c)
		stored, err := models.BeginIdempotent(ctx, idemKey, hash)
		if err != nil {
			return err
		}
		if stored != nil {
			c.Set("Idempotent-Replayed", "true")
			c.Status(stored.Status).Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
			return c.Send(stored.Body)
		}
		if err := fn(ctx); err != nil {
			return err
		}
		resp := c.Response()
		return models.FinishIdempotent(ctx, idemKey, resp.StatusCode(), resp.Body())
	})
}

// errSecretNotReplayed refuses an Idempotency-Key where the answer holds a
// secret shown once (a webhook signing secret, a widget token): a stored
// answer would keep it in clear in api_idempotency, where the secret's own
// table keeps it sealed or hashed. A replay without the secret would not be
// the answer either, and minting again is what a retry needs anyway.
var errSecretNotReplayed = &apiError{Status: http.StatusUnprocessableEntity, Code: "idempotency_key_unsupported",
	Message: "This request answers with a secret, which is never stored for replay: send it without Idempotency-Key.",
	Field:   "Idempotency-Key"}

// inTenantWithSecret is inTenant for a request whose answer shows a secret
// once (see errSecretNotReplayed).
func (h *handler) inTenantWithSecret(c *fiber.Ctx, fn func(ctx context.Context) error) error {
	if c.Get("Idempotency-Key") != "" {
		return errSecretNotReplayed
	}
	return h.inTenant(c, fn) // without the header: nothing is stored for replay
}

// idempotencyKeyHeader reads the Idempotency-Key header, trimmed, and
// refuses a key the database could not store as text: over 255 bytes, with
// a NUL, or not UTF-8. An absent header is "".
func idempotencyKeyHeader(c *fiber.Ctx) (string, error) {
	key := strings.TrimSpace(c.Get("Idempotency-Key"))
	switch {
	case len(key) > 255:
		return "", &apiError{Status: http.StatusBadRequest, Code: "invalid_idempotency_key",
			Message: "Idempotency keys are at most 255 characters.", Field: "Idempotency-Key"}
	case !models.IsText(key):
		return "", &apiError{Status: http.StatusBadRequest, Code: "invalid_idempotency_key",
			Message: "Idempotency keys are UTF-8 text without NUL characters.", Field: "Idempotency-Key"}
	}
	return key, nil
}

// requestHash identifies a request for idempotency: method, path and body.
func requestHash(c *fiber.Ctx) [32]byte {
	h := sha256.New()
	h.Write([]byte(c.Method() + " " + c.Path() + "\n"))
	h.Write(c.Body())
	var sum [32]byte
	copy(sum[:], h.Sum(nil))
	return sum
}
