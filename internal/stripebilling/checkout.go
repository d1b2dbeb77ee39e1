package stripebilling

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/stripe/stripe-go/v76"

	"github.com/tandemhq/tandem/internal/metrics"
	"github.com/tandemhq/tandem/models"
)

// ErrOff is returned when billing is asked for while it is off.
var ErrOff = errors.New("billing: off (no STRIPE_SECRET_KEY)")

// ErrNotForSale is an upgrade to a plan Checkout does not sell.
var ErrNotForSale = &models.Error{Kind: models.Invalid, Code: "plan_not_for_sale", Message: "this plan cannot be bought"}

// ErrNoCustomer is the Customer Portal asked for by a tenant that never
// subscribed.
var ErrNoCustomer = &models.Error{Kind: models.Conflict, Code: "no_stripe_customer",
	Message: "there is no payment to manage yet: choose a plan first"}

// CheckoutURL starts a Stripe Checkout session (subscription mode) for
// tenantID to buy plan, and returns the page to send the owner to.
// customerID, when the tenant already has one, is reused. The tenant's id
// travels as client_reference_id and in the subscription's metadata, so
// every event of the subscription names its tenant, in whatever order the
// events arrive.
func (b *Billing) CheckoutURL(ctx context.Context, tenantID uuid.UUID, plan, customerID, successURL, cancelURL string) (string, error) {
	if !b.Enabled() {
		return "", ErrOff
	}
	if !b.Sells(plan) {
		return "", ErrNotForSale
	}
	params := &stripe.CheckoutSessionParams{
		Mode:              stripe.String(string(stripe.CheckoutSessionModeSubscription)),
		LineItems:         []*stripe.CheckoutSessionLineItemParams{{Price: stripe.String(b.cfg.Prices[plan]), Quantity: stripe.Int64(1)}},
		ClientReferenceID: stripe.String(tenantID.String()),
		SuccessURL:        stripe.String(successURL),
		CancelURL:         stripe.String(cancelURL),
		SubscriptionData: &stripe.CheckoutSessionSubscriptionDataParams{
			Metadata: map[string]string{tenantMetadataKey: tenantID.String()},
		},
	}
	if customerID != "" {
		params.Customer = stripe.String(customerID)
	}
	params.Context = ctx
	s, err := b.stripe.CheckoutSessions.New(params)
	observeStripe("checkout", err)
	if err != nil {
		return "", fmt.Errorf("billing: checkout session: %w", err)
	}
	return s.URL, nil
}

// PortalURL opens a Customer Portal session for customerID and returns its
// page; the portal sends the owner back to returnURL.
func (b *Billing) PortalURL(ctx context.Context, customerID, returnURL string) (string, error) {
	if !b.Enabled() {
		return "", ErrOff
	}
	if customerID == "" {
		return "", ErrNoCustomer
	}
	params := &stripe.BillingPortalSessionParams{Customer: stripe.String(customerID), ReturnURL: stripe.String(returnURL)}
	params.Context = ctx
	s, err := b.stripe.BillingPortalSessions.New(params)
	observeStripe("portal", err)
	if err != nil {
		return "", fmt.Errorf("billing: portal session: %w", err)
	}
	return s.URL, nil
}

// observeStripe counts a call to Stripe's API by outcome: ok, refused
// (Stripe answered with an error) or error (no answer).
func observeStripe(call string, err error) {
	var se *stripe.Error
	result := "ok"
	switch {
	case errors.As(err, &se):
		result = "refused"
	case err != nil:
		result = "error"
	}
	metrics.StripeCalls.WithLabelValues(call, result).Inc()
}
