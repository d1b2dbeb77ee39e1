// Package stripehook receives Stripe's webhook at POST /stripe/webhook:
// the events that keep each tenant's plan in step with its Stripe
// subscription (package internal/stripebilling does the work). It answers Stripe, not
// people: 200 once an event is applied or known to need nothing, 400 for a
// payload that is not signed with the webhook secret or cannot be read
// (retrying would not help), 404 while billing is off, and 500 when applying failed (Stripe
// retries later; applying is idempotent).
package stripehook

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/internal/stripebilling"
	"github.com/tandemhq/tandem/web/internal/surface"
)

// Path is where Stripe sends the events (the endpoint configured in
// Stripe's dashboard).
const Path = "/stripe/webhook"

type handler struct {
	billing *stripebilling.Billing
}

// Mount registers the webhook on app.
func Mount(app *fiber.App, b *stripebilling.Billing) {
	h := &handler{billing: b}
	app.Post(Path, h.receiveStripeEvent)
	app.All(Path, surface.Unmatched)
}

// receiveStripeEvent verifies the raw body's signature and applies the
// event. Nothing is changed unless the signature holds.
func (h *handler) receiveStripeEvent(c *fiber.Ctx) error {
	outcome, err := h.billing.HandleWebhook(c.UserContext(), c.Body(), c.Get("Stripe-Signature"))
	switch {
	case errors.Is(err, stripebilling.ErrBadSignature):
		slog.Warn("stripehook: payload refused", "err", err)
		return answer(c, http.StatusBadRequest, fiber.Map{"error": fiber.Map{"code": "invalid_signature",
			"message": "The payload is not signed with this endpoint's secret, or its signature is too old."}})
	case errors.Is(err, stripebilling.ErrBadPayload):
		slog.Warn("stripehook: event unreadable", "err", err)
		return answer(c, http.StatusBadRequest, fiber.Map{"error": fiber.Map{"code": "invalid_event",
			"message": "The event is signed but its content cannot be read."}})
	case errors.Is(err, stripebilling.ErrOff):
		return answer(c, http.StatusNotFound, fiber.Map{"error": fiber.Map{"code": "billing_off",
			"message": "Billing is off on this server."}})
	case err != nil:
		return err
	}
	return answer(c, http.StatusOK, fiber.Map{"received": true, "outcome": outcome})
}

func answer(c *fiber.Ctx, status int, body fiber.Map) error {
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(status).JSON(body)
}
