package console

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/views"
)

// Webhooks: owners and admins (models.PermWebhooksManage) add endpoints
// (the secret shown once), and on an endpoint's page change or disable it,
// rotate its secret, send a test event, read its delivery log and replay
// one delivery or everything failed since a time. Changes to an endpoint
// are audited (webhook_endpoint.created, .updated, .deleted, .secret_rotated).

// readWebhookForm reads the endpoint form as typed.
func readWebhookForm(c *fiber.Ctx) views.WebhookForm {
	return views.WebhookForm{URL: strings.TrimSpace(formValue(c, "url")), Description: strings.TrimSpace(formValue(c, "description")),
		Events: formList(c, "events"), Enabled: formValue(c, "enabled") != ""}
}

// webhookInput is models' input for the form; status only when editing.
func webhookInput(f views.WebhookForm, editing bool) models.WebhookEndpointInput {
	in := models.WebhookEndpointInput{URL: &f.URL, Description: &f.Description, Events: f.Events}
	if in.Events == nil {
		in.Events = []string{}
	}
	if editing {
		status := models.EndpointDisabled
		if f.Enabled {
			status = models.EndpointEnabled
		}
		in.Status = &status
	}
	return in
}

// webhookFormError places a validation error next to its input; other
// errors are returned as they are.
func webhookFormError(f *views.WebhookForm, err error) error {
	var ve *models.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	field := ve.Field
	if field != "url" && field != "description" {
		field = "events"
	}
	f.Errors = map[string]string{field: sentence(ve.Message)}
	return nil
}

// checkWebhookURL runs the URL check, a DNS lookup, only for a signed-in
// member whose session grants PermWebhooksManage: a visitor must not make
// the server resolve names. The lookup stays outside h.console's
// transaction, which it would hold open; h.console then checks the member
// against the database (the session's role may be a request behind) and
// sends anyone else to the login page. CSRF was checked by the middleware.
func (h *handler) checkWebhookURL(c *fiber.Ctx, url string) error {
	ctx := c.UserContext()
	if h.sessions.GetString(ctx, sessMemberID) == "" || !models.Can(h.sessions.GetString(ctx, sessRole), models.PermWebhooksManage) {
		return nil
	}
	return models.CheckWebhookURL(ctx, h.cfg.WebhookPolicy, url)
}

// showWebhooksPage lists the endpoints, with the add form; ?after= pages
// on (a tenant has at most its plan's cap, less than a page, unless it
// had more before the cap).
func (h *handler) showWebhooksPage(c *fiber.Ctx) error {
	after := c.Query("after")
	return h.console(c, models.PermWebhooksManage, func(ctx context.Context, s consoleSession) error {
		return h.renderWebhooksPage(ctx, c, views.WebhooksPage{Form: views.WebhookForm{Events: []string{"*"}}, After: after})
	})
}

func (h *handler) renderWebhooksPage(ctx context.Context, c *fiber.Ctx, p views.WebhooksPage) error {
	eps, more, err := models.ListWebhookEndpoints(ctx, models.Page{Limit: models.MaxPageSize, After: p.After})
	if err != nil {
		return err
	}
	p.Endpoints = eps
	if more {
		p.Pager.Next = "/webhooks?after=" + eps[len(eps)-1].ID
	}
	if p.After != "" {
		p.Pager.First = "/webhooks"
	}
	if p.Count, p.Limit, err = models.WebhookEndpointCount(ctx); err != nil {
		return err
	}
	pending, err := models.PendingWebhookDeliveries(ctx)
	if err != nil {
		return err
	}
	p.Backlogged = pending > models.MaxPendingWebhookDeliveries
	return h.page(c, views.WebhooksListPage(p))
}

// createWebhookEndpoint adds an endpoint and shows its secret once.
func (h *handler) createWebhookEndpoint(c *fiber.Ctx) error {
	form := readWebhookForm(c)
	urlErr := h.checkWebhookURL(c, form.URL)
	return h.console(c, models.PermWebhooksManage, func(ctx context.Context, s consoleSession) error {
		err := urlErr
		var ep models.WebhookEndpoint
		if err == nil {
			ep, err = models.CreateWebhookEndpoint(ctx, h.cfg.Secrets, webhookInput(form, false))
		}
		if err != nil {
			if err := webhookFormError(&form, err); err != nil {
				return err
			}
			c.Status(http.StatusUnprocessableEntity)
			return rollback(h.renderWebhooksPage(ctx, c, views.WebhooksPage{Form: form}))
		}
		c.Status(http.StatusCreated)
		return h.renderWebhooksPage(ctx, c, views.WebhooksPage{Form: views.WebhookForm{Events: []string{"*"}}, Secret: ep.Secret})
	})
}

// showWebhookEndpointPage shows an endpoint, its actions and its log.
func (h *handler) showWebhookEndpointPage(c *fiber.Ctx) error {
	id := c.Params("id")
	return h.console(c, models.PermWebhooksManage, func(ctx context.Context, s consoleSession) error {
		return h.renderWebhookEndpointPage(ctx, c, id, nil, "")
	})
}

// renderWebhookEndpointPage renders the endpoint's page; form, when not
// nil, is the form as typed (with its errors).
func (h *handler) renderWebhookEndpointPage(ctx context.Context, c *fiber.Ctx, id string, form *views.WebhookForm, secret string) error {
	ep, err := models.GetWebhookEndpoint(ctx, id)
	if err != nil {
		return err
	}
	deliveries, more, err := models.ListWebhookDeliveries(ctx, id, models.Page{Limit: models.MaxPageSize})
	if err != nil {
		return err
	}
	p := views.WebhookEndpointPage{Endpoint: ep, Deliveries: deliveries, More: more, Secret: secret,
		Form: views.WebhookForm{URL: ep.URL, Description: ep.Description, Events: ep.Events, Enabled: ep.Status == models.EndpointEnabled}}
	if form != nil {
		p.Form = *form
	}
	return h.page(c, views.WebhookEndpointDetailPage(p))
}

// updateWebhookEndpoint saves the endpoint's settings.
func (h *handler) updateWebhookEndpoint(c *fiber.Ctx) error {
	id := c.Params("id")
	form := readWebhookForm(c)
	urlErr := h.checkWebhookURL(c, form.URL)
	return h.console(c, models.PermWebhooksManage, func(ctx context.Context, s consoleSession) error {
		err := urlErr
		if err == nil {
			_, err = models.UpdateWebhookEndpoint(ctx, id, webhookInput(form, true))
		}
		if err != nil {
			if err := webhookFormError(&form, err); err != nil {
				return err
			}
			c.Status(http.StatusUnprocessableEntity)
			return rollback(h.renderWebhookEndpointPage(ctx, c, id, &form, ""))
		}
		h.flash(c, views.FlashSuccess, "The endpoint is saved.")
		return h.redirect(c, "/webhooks/"+id)
	})
}

// rotateWebhookSecret gives the endpoint a new secret, shown once.
func (h *handler) rotateWebhookSecret(c *fiber.Ctx) error {
	id := c.Params("id")
	return h.console(c, models.PermWebhooksManage, func(ctx context.Context, s consoleSession) error {
		ep, err := models.RotateWebhookSecret(ctx, h.cfg.Secrets, id)
		if err != nil {
			return err
		}
		return h.renderWebhookEndpointPage(ctx, c, id, nil, ep.Secret)
	})
}

// sendWebhookTest queues a webhook.test message to the endpoint.
func (h *handler) sendWebhookTest(c *fiber.Ctx) error {
	id := c.Params("id")
	return h.console(c, models.PermWebhooksManage, func(ctx context.Context, s consoleSession) error {
		if _, err := models.SendWebhookTest(ctx, id); err != nil {
			return err
		}
		h.flash(c, views.FlashSuccess, "A test event is on its way; reload to see its delivery.")
		return h.redirect(c, "/webhooks/"+id)
	})
}

// replayFailedWebhooks sends again what failed since the given time.
func (h *handler) replayFailedWebhooks(c *fiber.Ctx) error {
	id := c.Params("id")
	errs := map[string]string{}
	since := parseFormTime(formValue(c, "since"), "since", errs)
	return h.console(c, models.PermWebhooksManage, func(ctx context.Context, s consoleSession) error {
		if since == nil {
			h.flash(c, views.FlashError, "Enter the date and time to replay from.")
			return h.redirect(c, "/webhooks/"+id)
		}
		n, err := models.ReplayFailedWebhooks(ctx, id, *since)
		if err != nil {
			return err
		}
		h.flash(c, views.FlashSuccess, fmt.Sprintf("%d failed deliveries go out again.", n))
		return h.redirect(c, "/webhooks/"+id)
	})
}

// replayWebhookDelivery sends one finished delivery again.
func (h *handler) replayWebhookDelivery(c *fiber.Ctx) error {
	id := c.Params("id")
	return h.console(c, models.PermWebhooksManage, func(ctx context.Context, s consoleSession) error {
		endpoint, err := models.ReplayWebhookDelivery(ctx, id)
		if err != nil {
			return err
		}
		h.flash(c, views.FlashSuccess, "The delivery goes out again, with the same webhook-id.")
		return h.redirect(c, "/webhooks/"+endpoint)
	})
}

// deleteWebhookEndpoint removes the endpoint and its log.
func (h *handler) deleteWebhookEndpoint(c *fiber.Ctx) error {
	id := c.Params("id")
	return h.console(c, models.PermWebhooksManage, func(ctx context.Context, s consoleSession) error {
		if err := models.DeleteWebhookEndpoint(ctx, id); err != nil {
			return err
		}
		h.flash(c, views.FlashSuccess, "The endpoint is deleted.")
		return h.redirect(c, "/webhooks")
	})
}
