// Package stripebilling is how tenants pay for Tandem: Stripe Checkout to
// subscribe to a plan, the Customer Portal to manage payment, and the
// webhook that keeps each tenant's plan in step with its subscription.
// The plans, their limits and the rules that enforce them are in the
// schema (migrations/00025_billing.sql); this package only talks to Stripe
// and hands verified events to tenants.ApplyStripeEvent.
//
// Without a Stripe secret key billing is off: Enabled is false, sign-up
// creates unmetered tenants and nothing here calls Stripe.
package stripebilling

import (
	"net/http"
	"time"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/client"
	"gorm.io/gorm"

	"github.com/tandemhq/tandem/models"
)

// Config is billing's configuration, from the environment (cmd/tandem).
type Config struct {
	// SecretKey is Stripe's secret key (STRIPE_SECRET_KEY); empty turns
	// billing off.
	SecretKey string
	// WebhookSecret verifies the webhook's signatures (STRIPE_WEBHOOK_SECRET).
	WebhookSecret string
	// APIBase overrides Stripe's API URL (STRIPE_API_BASE; tests point it
	// at stripe-mock).
	APIBase string
	// Prices are the Stripe price ids of the paid plans, by plan id
	// (STRIPE_PRICE_GROWTH, STRIPE_PRICE_SCALE).
	Prices map[string]string
}

// Enabled reports whether billing is on.
func (c Config) Enabled() bool { return c.SecretKey != "" }

// webhookTolerance is how old a webhook's signature may be: older is a
// replay, refused (Stripe's own default).
const webhookTolerance = 5 * time.Minute

// stripeTimeout bounds one call to Stripe, so a slow Stripe cannot hold a
// console request for long.
const stripeTimeout = 15 * time.Second

// Billing talks to Stripe for the tenants of db.
type Billing struct {
	cfg    Config
	db     *gorm.DB
	stripe *client.API // nil when billing is off
}

// New returns billing for cfg; with billing off it never calls Stripe.
func New(cfg Config, db *gorm.DB) *Billing {
	b := &Billing{cfg: cfg, db: db}
	if cfg.Enabled() {
		bc := &stripe.BackendConfig{HTTPClient: &http.Client{Timeout: stripeTimeout},
			LeveledLogger: &stripe.LeveledLogger{Level: stripe.LevelNull}} // we log failures ourselves
		if cfg.APIBase != "" {
			bc.URL = stripe.String(cfg.APIBase)
		}
		b.stripe = client.New(cfg.SecretKey, stripe.NewBackendsWithConfig(bc))
	}
	return b
}

// Enabled reports whether billing is on.
func (b *Billing) Enabled() bool { return b.cfg.Enabled() }

// Sells reports whether plan can be bought through Checkout: a paid plan
// with a configured price.
func (b *Billing) Sells(plan string) bool {
	return b.Enabled() && plan != models.PlanFree && b.cfg.Prices[plan] != ""
}

// planOfPrice is the plan a Stripe price buys, "" for none of ours.
func (b *Billing) planOfPrice(price string) string {
	for plan, p := range b.cfg.Prices {
		if p != "" && p == price {
			return plan
		}
	}
	return ""
}
