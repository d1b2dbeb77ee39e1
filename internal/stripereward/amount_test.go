package stripereward

import (
	"testing"

	"github.com/tandemhq/tandem/internal/money"
)

func TestStripeAmount(t *testing.T) {
	for _, c := range []struct {
		amount   int64
		currency string
		want     int64
	}{
		{1500, "ISK", 150_000}, // 1,500 krónur: Stripe's ISK is two-decimal
		{150_000, "MGA", 1500}, // 1,500.00 ariary: Stripe's MGA is zero-decimal
		{0, "MGA", 0},
		{1000, "USD", 1000},
		{500, "JPY", 500},
		{1234, "KWD", 1234},
		{1000, "UGX", 1000}, // zero-decimal for both
	} {
		got, err := stripeAmount(c.amount, c.currency)
		if err != nil || got != c.want {
			t.Errorf("stripeAmount(%d, %s) = %d, %v; want %d", c.amount, c.currency, got, err, c.want)
		}
	}
	// 1.50 ariary: no whole number of Stripe's units.
	if got, err := stripeAmount(150, "MGA"); err == nil {
		t.Errorf("stripeAmount(150, MGA) = %d, want an error", got)
	}
}

// The table's "ours" side is what internal/money says, so a change there
// cannot leave the conversion scaling from the wrong unit.
func TestStripeDecimalsOursAreMoneys(t *testing.T) {
	for code, d := range stripeDecimals {
		if got := money.Decimals(code); got != d.ours {
			t.Errorf("%s: internal/money has %d decimals, the table says ours are %d", code, got, d.ours)
		}
		if d.ours == d.stripe {
			t.Errorf("%s: the same decimals in Stripe; it does not belong in the table", code)
		}
	}
}
