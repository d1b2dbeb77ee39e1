package api

import (
	"net/http"
	"strings"

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
	key, err := h.keys.Verify(c.UserContext(), strings.TrimSpace(token))
	if err != nil {
		return err
	}
	if key.Kind != tenants.KindSecret {
		return newAPIError(http.StatusForbidden, "secret_key_required", "This endpoint needs a secret key (sk_…); publishable keys are for the widget.")
	}
	c.Locals(localKey, key)
	return c.Next()
}

// apiKey is the verified key of the request.
func apiKey(c *fiber.Ctx) tenants.Key {
	key, _ := c.Locals(localKey).(tenants.Key)
	return key
}
