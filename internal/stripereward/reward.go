package stripereward

import (
	"context"
	"fmt"
	"strings"

	"github.com/stripe/stripe-go/v76"
)

// Reward is what a fulfilment needs to know of a reward token.
type Reward struct {
	// ID is the token's id: the Idempotency-Key of what it creates.
	ID          string
	Kind        string // stripe_coupon or stripe_balance
	Description string
	// Amount is in minor units of Currency (ISO 4217, upper case), ours:
	// converted to Stripe's where they differ (stripeDecimals).
	Amount   int64
	Currency string
	// PercentOff, when above 0, makes a coupon a percentage off instead
	// of Amount.
	PercentOff float64
	// Customer is the participant's Stripe customer, "" when unknown.
	Customer string
}

// Result is what a fulfilment made.
type Result struct {
	// Object is the coupon's or the balance transaction's Stripe id.
	Object string
	// Code is a coupon's promotion code, what the participant redeems.
	Code string
}

// Fulfil makes the reward's Stripe objects with key.
func (s *Stripe) Fulfil(ctx context.Context, key string, r Reward) (Result, error) {
	switch r.Kind {
	case "stripe_coupon":
		return s.coupon(ctx, key, r)
	case "stripe_balance":
		return s.balance(ctx, key, r)
	}
	return Result{}, fmt.Errorf("fulfil: %s is not fulfilled through Stripe", r.Kind)
}

// coupon makes a once-only coupon for the amount or the percentage and its
// single-use promotion code, restricted to the customer when known: two
// objects, each with its own key derived from the reward id.
func (s *Stripe) coupon(ctx context.Context, key string, r Reward) (Result, error) {
	api := s.api(key)
	cp := &stripe.CouponParams{
		Duration:       stripe.String(string(stripe.CouponDurationOnce)),
		MaxRedemptions: stripe.Int64(1),
		Name:           stripe.String(shorten(r.Description, 40)),
		Metadata:       map[string]string{"tandem_reward": r.ID},
	}
	if r.PercentOff > 0 {
		cp.PercentOff = stripe.Float64(r.PercentOff)
	} else {
		amount, err := stripeAmount(r.Amount, r.Currency)
		if err != nil {
			return Result{}, err
		}
		cp.AmountOff = stripe.Int64(amount)
		cp.Currency = stripe.String(strings.ToLower(r.Currency))
	}
	cp.Context = ctx
	cp.SetIdempotencyKey(r.ID)
	coupon, err := api.Coupons.New(cp)
	if err != nil {
		return Result{}, fmt.Errorf("create coupon: %w", err)
	}
	pp := &stripe.PromotionCodeParams{
		Coupon:         stripe.String(coupon.ID),
		MaxRedemptions: stripe.Int64(1),
		Metadata:       map[string]string{"tandem_reward": r.ID},
	}
	if r.Customer != "" {
		pp.Customer = stripe.String(r.Customer)
	}
	pp.Context = ctx
	pp.SetIdempotencyKey(r.ID + "-promotion-code")
	promo, err := api.PromotionCodes.New(pp)
	if err != nil {
		return Result{}, fmt.Errorf("create promotion code: %w", err)
	}
	return Result{Object: coupon.ID, Code: promo.Code}, nil
}

// balance credits the customer's balance (a negative amount is a credit
// in Stripe's terms).
func (s *Stripe) balance(ctx context.Context, key string, r Reward) (Result, error) {
	if r.Customer == "" {
		return Result{}, ErrNoCustomer
	}
	amount, err := stripeAmount(r.Amount, r.Currency)
	if err != nil {
		return Result{}, err
	}
	p := &stripe.CustomerBalanceTransactionParams{
		Customer:    stripe.String(r.Customer),
		Amount:      stripe.Int64(-amount),
		Currency:    stripe.String(strings.ToLower(r.Currency)),
		Description: stripe.String(shorten(r.Description, 350)),
		Metadata:    map[string]string{"tandem_reward": r.ID},
	}
	p.Context = ctx
	p.SetIdempotencyKey(r.ID)
	tx, err := s.api(key).CustomerBalanceTransactions.New(p)
	if err != nil {
		return Result{}, fmt.Errorf("credit customer balance: %w", err)
	}
	return Result{Object: tx.ID}, nil
}

// shorten cuts s to at most n runes, for Stripe's length limits.
func shorten(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}
