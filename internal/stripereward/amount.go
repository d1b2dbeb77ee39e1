package stripereward

import (
	"fmt"
	"strconv"
)

// stripeDecimals lists the currencies whose minor unit in Stripe's API is
// not ours (ISO 4217, as internal/money counts them): an amount is
// converted before it is sent, or Stripe would read it 100 times too big
// or too small. Every other currency's minor unit is the same in both.
// (The table lives here rather than in internal/money because only the
// calls to Stripe need it; amount_test.go holds the "ours" side to money.)
var stripeDecimals = map[string]struct{ ours, stripe int }{
	// ISO 4217 gives the króna no minor unit, but Stripe's API kept it
	// two-decimal for compatibility, and since 2023 wants whole krónur: a
	// multiple of 100.
	"ISK": {ours: 0, stripe: 2},
	// ISO 4217 gives the ariary two decimals; Stripe counts it in whole
	// ariary (a zero-decimal currency).
	"MGA": {ours: 2, stripe: 0},
}

// stripeAmount converts amount, in our minor units of currency (upper
// case), into Stripe's. An amount with a fraction Stripe's unit cannot
// hold is refused rather than rounded: a reward is paid as declared or not
// at all.
func stripeAmount(amount int64, currency string) (int64, error) {
	d, ok := stripeDecimals[currency]
	if !ok {
		return amount, nil
	}
	scale := int64(1)
	for range max(d.ours-d.stripe, d.stripe-d.ours) {
		scale *= 10
	}
	if d.stripe > d.ours {
		return amount * scale, nil
	}
	if amount%scale != 0 {
		return 0, fmt.Errorf("fulfil: %s %s has a fraction Stripe cannot take: Stripe counts %s in units of %s",
			strconv.FormatInt(amount, 10), currency, currency, strconv.FormatInt(scale, 10))
	}
	return amount / scale, nil
}
