// Package stripereward makes the Stripe objects a reward stands for, in the
// tenant's own Stripe account and with the tenant's own key: a coupon with
// a single-use promotion code (stripe_coupon) or a customer balance credit
// (stripe_balance). It knows Stripe and nothing of the database: package
// jobs reads the reward and records what came of it, through tenants.
//
// Every object is created with an Idempotency-Key derived from the reward
// id, so a run repeated after a crash, or two runs at once, make one object.
package stripereward

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/client"
)

// callTimeout bounds one call to Stripe.
const callTimeout = 15 * time.Second

// keyPattern is a secret (sk_) or restricted (rk_) key, test or live.
var keyPattern = regexp.MustCompile(`^(sk|rk)_(test|live)_[A-Za-z0-9]{8,247}$`)

// ErrKeyFormat: not a Stripe secret or restricted key.
var ErrKeyFormat = errors.New("fulfil: not a Stripe secret or restricted key (sk_… or rk_…)")

// ErrNoCustomer: a balance credit needs the participant's Stripe customer.
var ErrNoCustomer = errors.New("the participant has no stripe_customer_id")

// Stripe calls the Stripe API at one base URL for every tenant's key.
type Stripe struct {
	backends *stripe.Backends
}

// New returns the client; apiBase overrides Stripe's URL (STRIPE_API_BASE)
// when not empty.
func New(apiBase string) *Stripe {
	bc := &stripe.BackendConfig{
		HTTPClient: &http.Client{Timeout: callTimeout},
		// River retries a failed run with its backoff; retrying inside
		// the run as well would only hold the worker.
		MaxNetworkRetries: stripe.Int64(0),
		LeveledLogger:     &stripe.LeveledLogger{Level: stripe.LevelNull}, // failures are recorded on the reward
	}
	if apiBase != "" {
		bc.URL = stripe.String(apiBase)
	}
	return &Stripe{backends: stripe.NewBackendsWithConfig(bc)}
}

// Mask is all Tandem shows of a key: its prefix and last four characters.
// key must have passed CheckFormat.
func Mask(key string) string {
	prefix := key[:strings.LastIndexByte(key[:8], '_')+1]
	return prefix + "…" + key[len(key)-4:]
}

// CheckFormat reports whether key looks like a Stripe secret or restricted key.
func CheckFormat(key string) error {
	if !keyPattern.MatchString(key) {
		return ErrKeyFormat
	}
	return nil
}

// Check makes one cheap call with key (retrieving the balance) and says
// whether Stripe accepts it.
func (s *Stripe) Check(ctx context.Context, key string) error {
	if err := CheckFormat(key); err != nil {
		return err
	}
	p := &stripe.BalanceParams{}
	p.Context = ctx
	if _, err := s.api(key).Balance.Get(p); err != nil {
		return fmt.Errorf("fulfil: check key: %w", err)
	}
	return nil
}

func (s *Stripe) api(key string) *client.API { return client.New(key, s.backends) }

// Rejected reports whether err is Stripe refusing the key itself (401 or
// 403), as opposed to Stripe being unreachable or failing.
func Rejected(err error) bool {
	var se *stripe.Error
	return errors.As(err, &se) && (se.HTTPStatusCode == http.StatusUnauthorized || se.HTTPStatusCode == http.StatusForbidden)
}
