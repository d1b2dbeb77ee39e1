package api

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/web/internal/jsonbody"
)

// retentionRequest is PUT /v1/settings/retention's body: every period,
// each required (a PUT replaces them all).
type retentionRequest struct {
	EventPropertiesDays *int `json:"event_properties_days"`
	IdempotencyHours    *int `json:"idempotency_hours"`
	WebhookDays         *int `json:"webhook_days"`
}

// showRetention returns the tenant's retention periods (the defaults
// until it saves its own, updated_at null).
func (h *handler) showRetention(c *fiber.Ctx) error {
	return h.inTenant(c, func(ctx context.Context) error {
		r, err := models.GetRetention(ctx)
		if err != nil {
			return err
		}
		return c.JSON(r)
	})
}

// saveRetention replaces the tenant's retention periods.
func (h *handler) saveRetention(c *fiber.Ctx) error {
	var req retentionRequest
	if err := jsonbody.Read(c, &req); err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		v    *int
	}{{"event_properties_days", req.EventPropertiesDays}, {"idempotency_hours", req.IdempotencyHours}, {"webhook_days", req.WebhookDays}} {
		if err := required(f.name, f.v != nil); err != nil {
			return err
		}
	}
	return h.inTenant(c, func(ctx context.Context) error {
		r, err := models.SaveRetention(ctx, models.Retention{EventPropertiesDays: *req.EventPropertiesDays,
			IdempotencyHours: *req.IdempotencyHours, WebhookDays: *req.WebhookDays})
		if err != nil {
			return err
		}
		return c.JSON(r)
	})
}
