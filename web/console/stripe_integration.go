package console

import (
	"context"
	"log/slog"
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/internal/stripereward"
	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/views"
)

// The Stripe page: owners and admins (models.PermStripeManage) connect the
// tenant's own Stripe account, which Stripe rewards are made in, replace
// its key or remove it, as PUT and DELETE /v1/integrations/stripe do.
// models audits both (stripe.connected, stripe.disconnected). The key is
// checked with Stripe between two tenant transactions, the first of which
// checks the member's permission: a slow Stripe holds no connection, and
// nobody who may not connect a key gets Stripe asked about one.

// showStripePage shows whether Stripe is connected, with the form.
func (h *handler) showStripePage(c *fiber.Ctx) error {
	return h.console(c, models.PermStripeManage, func(ctx context.Context, s consoleSession) error {
		return h.renderStripePage(ctx, c, views.StripeSettings{})
	})
}

func (h *handler) renderStripePage(ctx context.Context, c *fiber.Ctx, p views.StripeSettings) error {
	conn, err := models.GetStripeConnection(ctx)
	if err != nil {
		return err
	}
	p.Connection = conn
	return h.page(c, views.StripePage(p))
}

// connectStripe checks the key's form, then the key with one call to
// Stripe, and stores it sealed; a refused key gets the form again with the
// reason, and the connection as it was.
func (h *handler) connectStripe(c *fiber.Ctx) error {
	key := formValue(c, "api_key")
	problem := stripeKeyFormatProblem(key)
	allowed := false
	err := h.console(c, models.PermStripeManage, func(ctx context.Context, s consoleSession) error {
		if problem != "" {
			c.Status(http.StatusUnprocessableEntity)
			return h.renderStripePage(ctx, c, views.StripeSettings{Errors: map[string]string{"api_key": problem}})
		}
		allowed = true
		return nil
	})
	if err != nil || !allowed {
		return err
	}

	page := views.StripeSettings{}
	status := http.StatusOK
	if err := h.cfg.Stripe.Check(c.UserContext(), key); err != nil {
		if stripereward.Rejected(err) {
			status = http.StatusUnprocessableEntity
			page.Errors = map[string]string{"api_key": "Stripe refused this key: check that it is copied whole and has not been rolled or deleted."}
		} else {
			// Stripe's error names the request, never the key.
			slog.Warn("console: checking a Stripe key failed", "err", err)
			status = http.StatusBadGateway
			page.Unreachable = true
		}
	}
	return h.console(c, models.PermStripeManage, func(ctx context.Context, s consoleSession) error {
		if status != http.StatusOK {
			c.Status(status)
			return h.renderStripePage(ctx, c, page)
		}
		conn, err := models.SaveStripeConnection(ctx, h.cfg.Secrets, key, stripereward.Mask(key))
		if err != nil {
			return err
		}
		h.flash(c, views.FlashSuccess, "Stripe is connected with "+*conn.APIKey+". Stripe rewards are made in this account from now on.")
		return h.redirect(c, "/integrations/stripe")
	})
}

// stripeKeyFormatProblem says what is wrong with key before Stripe is
// asked, "" when it looks like a secret or restricted key.
func stripeKeyFormatProblem(key string) string {
	switch {
	case key == "":
		return "Enter a Stripe secret key (sk_…) or restricted key (rk_…)."
	case strings.HasPrefix(key, "pk_"):
		return "This is a publishable key (pk_…), which cannot make coupons or credits: enter a secret key (sk_…) or restricted key (rk_…)."
	case stripereward.CheckFormat(key) != nil:
		return "This is not a Stripe secret key (sk_…) or restricted key (rk_…): copy the whole key from Stripe's dashboard, under Developers → API keys."
	}
	return ""
}

// disconnectStripe forgets the key: Stripe rewards fail from then on
// until one is connected again.
func (h *handler) disconnectStripe(c *fiber.Ctx) error {
	return h.console(c, models.PermStripeManage, func(ctx context.Context, s consoleSession) error {
		if err := models.DeleteStripeConnection(ctx); err != nil {
			return err
		}
		h.flash(c, views.FlashSuccess, "Stripe is disconnected, and its key deleted.")
		return h.redirect(c, "/integrations/stripe")
	})
}
