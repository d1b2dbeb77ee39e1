package api

import (
	"context"
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/web/internal/jsonbody"
	"github.com/tandemhq/tandem/web/internal/surface"
)

// webhookEndpointRequest creates or changes an endpoint; an absent field
// is left as it is (url and events are required to create).
type webhookEndpointRequest struct {
	URL         *string  `json:"url"`
	Events      []string `json:"events"`
	Description *string  `json:"description"`
	Status      *string  `json:"status"`
}

func (r webhookEndpointRequest) input() models.WebhookEndpointInput {
	return models.WebhookEndpointInput{URL: r.URL, Events: r.Events, Description: r.Description, Status: r.Status}
}

// checkWebhookURL refuses, before the transaction, a URL webhooks may not
// reach (422 webhook_url_blocked, invalid_webhook_url).
func (h *handler) checkWebhookURL(c *fiber.Ctx, url *string) error {
	if url == nil {
		return nil
	}
	return models.CheckWebhookURL(c.UserContext(), h.cfg.WebhookPolicy, *url)
}

// createWebhookEndpoint adds an endpoint; its secret is in this answer only.
func (h *handler) createWebhookEndpoint(c *fiber.Ctx) error {
	var req webhookEndpointRequest
	if err := jsonbody.Read(c, &req); err != nil {
		return err
	}
	if err := required("url", req.URL != nil); err != nil {
		return err
	}
	if err := h.checkWebhookURL(c, req.URL); err != nil {
		return err
	}
	return h.inTenantWithSecret(c, func(ctx context.Context) error {
		ep, err := models.CreateWebhookEndpoint(ctx, h.cfg.Secrets, req.input())
		if err != nil {
			return err
		}
		return c.Status(http.StatusCreated).JSON(ep)
	})
}

// listWebhookEndpoints returns a page of the tenant's endpoints, oldest
// first.
func (h *handler) listWebhookEndpoints(c *fiber.Ctx) error {
	page, err := pageParams(c)
	if err != nil {
		return err
	}
	return h.inTenant(c, func(ctx context.Context) error {
		eps, more, err := models.ListWebhookEndpoints(ctx, page)
		if err != nil {
			return err
		}
		return c.JSON(surface.NewList(eps, more))
	})
}

// showWebhookEndpoint returns one endpoint (never its secret).
func (h *handler) showWebhookEndpoint(c *fiber.Ctx) error {
	id, err := idParam(c, models.ErrWebhookEndpointNotFound)
	if err != nil {
		return err
	}
	return h.inTenant(c, func(ctx context.Context) error {
		ep, err := models.GetWebhookEndpoint(ctx, id)
		if err != nil {
			return err
		}
		return c.JSON(ep)
	})
}

// updateWebhookEndpoint changes an endpoint's url, events, description or
// status (enabled, disabled).
func (h *handler) updateWebhookEndpoint(c *fiber.Ctx) error {
	id, err := idParam(c, models.ErrWebhookEndpointNotFound)
	if err != nil {
		return err
	}
	var req webhookEndpointRequest
	if err := jsonbody.Read(c, &req); err != nil {
		return err
	}
	if err := h.checkWebhookURL(c, req.URL); err != nil {
		return err
	}
	return h.inTenant(c, func(ctx context.Context) error {
		ep, err := models.UpdateWebhookEndpoint(ctx, id, req.input())
		if err != nil {
			return err
		}
		return c.JSON(ep)
	})
}

// deleteWebhookEndpoint removes an endpoint and its delivery log.
func (h *handler) deleteWebhookEndpoint(c *fiber.Ctx) error {
	id, err := idParam(c, models.ErrWebhookEndpointNotFound)
	if err != nil {
		return err
	}
	return h.inTenant(c, func(ctx context.Context) error {
		if err := models.DeleteWebhookEndpoint(ctx, id); err != nil {
			return err
		}
		return c.SendStatus(http.StatusNoContent)
	})
}

// rotateWebhookSecret gives an endpoint a new secret, in this answer only;
// the old one keeps signing beside it for 24 hours.
func (h *handler) rotateWebhookSecret(c *fiber.Ctx) error {
	if err := noBody(c); err != nil {
		return err
	}
	id, err := idParam(c, models.ErrWebhookEndpointNotFound)
	if err != nil {
		return err
	}
	return h.inTenantWithSecret(c, func(ctx context.Context) error {
		ep, err := models.RotateWebhookSecret(ctx, h.cfg.Secrets, id)
		if err != nil {
			return err
		}
		return c.JSON(ep)
	})
}

// sendWebhookTest queues a webhook.test message to the endpoint.
func (h *handler) sendWebhookTest(c *fiber.Ctx) error {
	if err := noBody(c); err != nil {
		return err
	}
	id, err := idParam(c, models.ErrWebhookEndpointNotFound)
	if err != nil {
		return err
	}
	return h.inTenant(c, func(ctx context.Context) error {
		msg, err := models.SendWebhookTest(ctx, id)
		if err != nil {
			return err
		}
		return c.Status(http.StatusAccepted).JSON(fiber.Map{"message_id": msg, "type": models.WebhookTestType})
	})
}

// listWebhookDeliveries returns an endpoint's delivery log, newest first,
// each delivery with its attempts.
func (h *handler) listWebhookDeliveries(c *fiber.Ctx) error {
	id, err := idParam(c, models.ErrWebhookEndpointNotFound)
	if err != nil {
		return err
	}
	page, err := pageParams(c)
	if err != nil {
		return err
	}
	return h.inTenant(c, func(ctx context.Context) error {
		ds, more, err := models.ListWebhookDeliveries(ctx, id, page)
		if err != nil {
			return err
		}
		return c.JSON(surface.NewList(ds, more))
	})
}

// replayRequest replays every failed delivery of an endpoint since a time.
type replayRequest struct {
	Since *jsonbody.Timestamp `json:"since"`
}

// replayWebhookDeliveries sends again the endpoint's deliveries that
// failed since the given time.
func (h *handler) replayWebhookDeliveries(c *fiber.Ctx) error {
	id, err := idParam(c, models.ErrWebhookEndpointNotFound)
	if err != nil {
		return err
	}
	var req replayRequest
	if err := jsonbody.Read(c, &req); err != nil {
		return err
	}
	if err := required("since", req.Since != nil); err != nil {
		return err
	}
	return h.inTenant(c, func(ctx context.Context) error {
		n, err := models.ReplayFailedWebhooks(ctx, id, req.Since.Time)
		if err != nil {
			return err
		}
		return c.Status(http.StatusAccepted).JSON(fiber.Map{"replayed": n})
	})
}

// replayWebhookDelivery sends one finished delivery again, same webhook-id
// and body.
func (h *handler) replayWebhookDelivery(c *fiber.Ctx) error {
	if err := noBody(c); err != nil {
		return err
	}
	id, err := idParam(c, models.ErrWebhookDeliveryNotFound)
	if err != nil {
		return err
	}
	return h.inTenant(c, func(ctx context.Context) error {
		if _, err := models.ReplayWebhookDelivery(ctx, id); err != nil {
			return err
		}
		return c.Status(http.StatusAccepted).JSON(fiber.Map{"replayed": 1})
	})
}
