package api

import (
	"context"
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
	"github.com/tandemhq/tandem/web/internal/jsonbody"
)

type widgetTokenRequest struct {
	Participant *string `json:"participant"`
	Campaign    *string `json:"campaign"`
	// ExpiresIn is the token's life in seconds: 1 to 86400, 3600 when
	// absent.
	ExpiresIn *int `json:"expires_in"`
}

type widgetTokenJSON struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
}

// mintWidgetToken mints a participant token for the widget: the tenant's
// backend asks for it when it renders a page with the widget for a
// signed-in user, who then acts as host in one campaign, and nowhere else.
// The token is in this answer only (widget_tokens keeps its SHA-256), so it
// takes no Idempotency-Key.
func (h *handler) mintWidgetToken(c *fiber.Ctx) error {
	var req widgetTokenRequest
	if err := jsonbody.Read(c, &req); err != nil {
		return err
	}
	if err := required("participant", req.Participant != nil); err != nil {
		return err
	}
	if err := required("campaign", req.Campaign != nil); err != nil {
		return err
	}
	lifetime := models.DefaultWidgetTokenLifetime
	if req.ExpiresIn != nil {
		if *req.ExpiresIn < 1 || *req.ExpiresIn > int(models.MaxWidgetTokenLifetime/time.Second) {
			return models.ErrTokenLifetime
		}
		lifetime = time.Duration(*req.ExpiresIn) * time.Second
	}
	if !models.IsText(*req.Campaign) {
		return models.ErrCampaignNotFound
	}
	key := apiKey(c)
	return h.inTenantWithSecret(c, func(ctx context.Context) error {
		token, t, err := tenants.MintWidgetToken(ctx, key.ID, *req.Participant, *req.Campaign, lifetime)
		if err != nil {
			return err
		}
		return c.Status(http.StatusCreated).JSON(widgetTokenJSON{Token: token, ExpiresAt: t.ExpiresAt.UTC()})
	})
}

type widgetSettingsRequest struct {
	AllowedOrigins *[]string `json:"allowed_origins"`
}

// showWidgetSettings returns the origins the widget's API answers (none
// until the tenant saves some).
func (h *handler) showWidgetSettings(c *fiber.Ctx) error {
	return h.inTenant(c, func(ctx context.Context) error {
		s, err := models.GetWidgetSettings(ctx)
		if err != nil {
			return err
		}
		return c.JSON(s)
	})
}

// saveWidgetSettings replaces the origins the widget's API answers.
func (h *handler) saveWidgetSettings(c *fiber.Ctx) error {
	var req widgetSettingsRequest
	if err := jsonbody.Read(c, &req); err != nil {
		return err
	}
	if err := required("allowed_origins", req.AllowedOrigins != nil); err != nil {
		return err
	}
	return h.inTenant(c, func(ctx context.Context) error {
		s, err := models.SaveWidgetSettings(ctx, *req.AllowedOrigins)
		if err != nil {
			return err
		}
		return c.JSON(s)
	})
}
