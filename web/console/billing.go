package console

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"github.com/tandemhq/tandem/internal/stripebilling"
	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/views"
)

// Billing: owners (models.PermBillingManage) see their plan and usage,
// upgrade through Stripe Checkout and manage payment in Stripe's Customer
// Portal. The plan itself changes only when Stripe's webhook says so
// (web/stripehook), never from here. Stripe is called outside the tenant
// transaction, which is over by then: a slow Stripe holds no connection.

// errStripeDown is Stripe failing to answer; nothing has changed.
var errStripeDown = &pageError{http.StatusServiceUnavailable, "Stripe is not answering",
	"We could not reach Stripe, our payment provider. Your plan is unchanged; please try again in a few minutes."}

// showBillingPage shows the plan, the usage against its limits and the plans.
func (h *handler) showBillingPage(c *fiber.Ctx) error {
	return h.console(c, models.PermBillingManage, func(ctx context.Context, s consoleSession) error {
		page := views.Billing{Enabled: h.cfg.Billing.Enabled(), ForSale: map[string]bool{}}
		if !page.Enabled {
			return h.page(c, views.BillingPage(page))
		}
		var err error
		if page.Current, err = models.CurrentBilling(ctx); err != nil {
			return err
		}
		if page.Usage, err = models.CurrentUsage(ctx, time.Now()); err != nil {
			return err
		}
		if page.Plans, err = models.ListPlans(ctx); err != nil {
			return err
		}
		for _, p := range page.Plans {
			page.ForSale[p.ID] = h.cfg.Billing.Sells(p.ID)
		}
		return h.page(c, views.BillingPage(page))
	})
}

// startCheckout sends the owner to Stripe Checkout for the chosen plan.
func (h *handler) startCheckout(c *fiber.Ctx) error {
	plan := c.FormValue("plan")
	tenantID, current, ok, err := h.billingOf(c)
	if err != nil || !ok {
		return err
	}
	back := h.cfg.PublicURL + "/billing"
	url, err := h.cfg.Billing.CheckoutURL(c.UserContext(), tenantID, plan, current.CustomerID, back+"?checkout=done", back)
	if err != nil {
		return stripeError(err)
	}
	return c.Redirect(url, fiber.StatusSeeOther)
}

// openCustomerPortal sends the owner to Stripe's Customer Portal.
func (h *handler) openCustomerPortal(c *fiber.Ctx) error {
	_, current, ok, err := h.billingOf(c)
	if err != nil || !ok {
		return err
	}
	url, err := h.cfg.Billing.PortalURL(c.UserContext(), current.CustomerID, h.cfg.PublicURL+"/billing")
	if err != nil {
		return stripeError(err)
	}
	return c.Redirect(url, fiber.StatusSeeOther)
}

// billingOf reads the signed-in owner's tenant and billing. ok is false
// when h.console answered already (no session: sent to log in).
func (h *handler) billingOf(c *fiber.Ctx) (tenantID uuid.UUID, current models.Billing, ok bool, err error) {
	err = h.console(c, models.PermBillingManage, func(ctx context.Context, s consoleSession) error {
		tenantID, ok = s.Tenant.ID, true
		current, err = models.CurrentBilling(ctx)
		return err
	})
	return tenantID, current, ok && err == nil, err
}

// stripeError turns a failed Stripe call into the page it is answered with:
// the refusals of billing as they are, anything else as Stripe being down.
func stripeError(err error) error {
	var de *models.Error
	switch {
	case errors.As(err, &de):
		return err
	case errors.Is(err, stripebilling.ErrOff):
		return errPageNotFound
	}
	slog.Error("console: stripe call failed", "err", err)
	return errStripeDown
}
