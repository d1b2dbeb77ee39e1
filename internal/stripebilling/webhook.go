package stripebilling

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"time"

	"github.com/google/uuid"
	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

// tenantMetadataKey names the tenant in a subscription's metadata.
const tenantMetadataKey = "tandem_tenant_id"

// ErrBadSignature is a webhook payload that is unsigned, signed with
// another secret, signed too long ago, or not a Stripe event.
var ErrBadSignature = errors.New("billing: webhook payload refused: missing, wrong or stale signature")

// ErrBadPayload is a signed event whose content billing cannot read (a
// malformed object or id): retrying it would fail the same way.
var ErrBadPayload = errors.New("billing: webhook event unreadable")

// stripeIDs are the shapes of the Stripe ids billing keeps (the schema
// checks them too: migrations/00025_billing.sql).
var stripeIDs = map[string]*regexp.Regexp{
	"evt": regexp.MustCompile(`^evt_[A-Za-z0-9]{1,250}$`),
	"cus": regexp.MustCompile(`^cus_[A-Za-z0-9]{1,250}$`),
	"sub": regexp.MustCompile(`^sub_[A-Za-z0-9]{1,250}$`),
}

// The outcomes of HandleWebhook besides models.StripeEvent…: an event type
// billing does not follow, and an event whose tenant is unknown here.
const (
	OutcomeNotFollowed   = "not_followed"
	OutcomeUnknownTenant = "unknown_tenant"
)

// HandleWebhook verifies a webhook delivery (the raw body and its
// Stripe-Signature header) and applies its event to its tenant, once. It
// returns the outcome; ErrBadSignature means the payload was refused and
// nothing changed, ErrBadPayload that a signed event could not be read
// (nothing changed either); ErrOff that billing is off.
func (b *Billing) HandleWebhook(ctx context.Context, payload []byte, signature string) (string, error) {
	if !b.Enabled() || b.cfg.WebhookSecret == "" {
		return "", ErrOff
	}
	ev, err := webhook.ConstructEventWithOptions(payload, signature, b.cfg.WebhookSecret,
		webhook.ConstructEventOptions{Tolerance: webhookTolerance, IgnoreAPIVersionMismatch: true})
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrBadSignature, err)
	}
	e, tenantID, customer, err := b.readEvent(ev)
	if err != nil {
		return "", err
	}
	if e.Type == "" {
		return OutcomeNotFollowed, nil
	}
	if tenantID == uuid.Nil && customer != "" {
		// uuid.Nil when no tenant has the customer.
		if tenantID, err = tenants.FindTenantByStripeCustomer(ctx, b.db, customer); err != nil {
			return "", err
		}
	}
	if tenantID == uuid.Nil {
		slog.Warn("billing: stripe event for no known tenant", "event", e.ID, "type", e.Type)
		return OutcomeUnknownTenant, nil
	}
	return tenants.ApplyStripeEvent(ctx, b.db, tenantID, e)
}

// readEvent reduces a verified event to what billing keeps, with the tenant
// it names (uuid.Nil when only its customer can tell). An event of a type
// billing does not follow comes back with an empty Type.
func (b *Billing) readEvent(ev stripe.Event) (e models.StripeEvent, tenantID uuid.UUID, customer string, err error) {
	e = models.StripeEvent{ID: ev.ID, Type: string(ev.Type), Created: time.Unix(ev.Created, 0).UTC()}
	e, tenantID, customer, err = b.readObject(ev, e)
	if err != nil || e.Type == "" {
		return e, tenantID, customer, err
	}
	for prefix, id := range map[string]string{"evt": e.ID, "cus": e.CustomerID, "sub": e.SubscriptionID} {
		if (id != "" || prefix == "evt") && !stripeIDs[prefix].MatchString(id) {
			return models.StripeEvent{}, uuid.Nil, "", fmt.Errorf("%w: event %q: malformed id %q", ErrBadPayload, ev.ID, id)
		}
	}
	return e, tenantID, customer, nil
}

// readObject reads the event's object by its type.
func (b *Billing) readObject(ev stripe.Event, e models.StripeEvent) (models.StripeEvent, uuid.UUID, string, error) {
	var raw json.RawMessage // none: a followed event then fails to read
	if ev.Data != nil {
		raw = ev.Data.Raw
	}
	switch ev.Type {
	case "checkout.session.completed":
		var s stripe.CheckoutSession
		if err := json.Unmarshal(raw, &s); err != nil {
			return e, uuid.Nil, "", fmt.Errorf("%w: event %q: %v", ErrBadPayload, ev.ID, err)
		}
		e.Status = "none"
		e.CustomerID, e.SubscriptionID = customerID(s.Customer), subscriptionID(s.Subscription)
		return e, parseTenant(s.ClientReferenceID), e.CustomerID, nil
	case "customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted":
		var s stripe.Subscription
		if err := json.Unmarshal(raw, &s); err != nil {
			return e, uuid.Nil, "", fmt.Errorf("%w: event %q: %v", ErrBadPayload, ev.ID, err)
		}
		e.Status, e.CustomerID, e.SubscriptionID = string(s.Status), customerID(s.Customer), s.ID
		if ev.Type == "customer.subscription.deleted" {
			e.Status = string(stripe.SubscriptionStatusCanceled)
		}
		if s.Items != nil && len(s.Items.Data) > 0 && s.Items.Data[0].Price != nil {
			e.Plan = b.planOfPrice(s.Items.Data[0].Price.ID)
		}
		return e, parseTenant(s.Metadata[tenantMetadataKey]), e.CustomerID, nil
	case "invoice.payment_failed":
		var inv stripe.Invoice
		if err := json.Unmarshal(raw, &inv); err != nil {
			return e, uuid.Nil, "", fmt.Errorf("%w: event %q: %v", ErrBadPayload, ev.ID, err)
		}
		e.Status, e.CustomerID, e.SubscriptionID = string(stripe.SubscriptionStatusPastDue), customerID(inv.Customer), subscriptionID(inv.Subscription)
		var tenant uuid.UUID
		if inv.SubscriptionDetails != nil {
			tenant = parseTenant(inv.SubscriptionDetails.Metadata[tenantMetadataKey])
		}
		return e, tenant, e.CustomerID, nil
	}
	return models.StripeEvent{}, uuid.Nil, "", nil
}

// parseTenant reads a tenant id, uuid.Nil when there is none.
func parseTenant(s string) uuid.UUID {
	id, err := uuid.Parse(s)
	if err != nil {
		return uuid.Nil
	}
	return id
}

func customerID(c *stripe.Customer) string {
	if c == nil {
		return ""
	}
	return c.ID
}

func subscriptionID(s *stripe.Subscription) string {
	if s == nil {
		return ""
	}
	return s.ID
}
