package console

import (
	"strconv"
	"strings"

	"github.com/tandemhq/tandem/internal/money"
)

// parseAmount reads an amount typed in major units ("10", "10.5", "10.50")
// into the minor units models stores (1050 for USD; money.Decimals
// knows the currencies without decimals, such as JPY, and with three). An
// empty input is no amount. The message, when the input cannot be read,
// says how to fix it.
func parseAmount(typed, currency string) (*int64, string) {
	s := strings.TrimSpace(typed)
	if s == "" {
		return nil, ""
	}
	decimals := money.Decimals(currency)
	switch {
	case strings.HasPrefix(s, "-"):
		return nil, "Enter an amount of zero or more."
	case strings.Contains(s, ","):
		return nil, "Use a dot for decimals and no thousands separator, such as 1250.50."
	}
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" {
		whole = "0" // ".50"
	}
	if !digitsOnly(whole) || !digitsOnly(frac) || (strings.Contains(s, ".") && frac == "" && whole == "0") {
		return nil, "Enter just the number, such as 10.00."
	}
	// Zeros past the currency's decimals change nothing: 10.000 USD is fine.
	if len(frac) > decimals {
		if strings.Trim(frac[decimals:], "0") != "" {
			return nil, tooManyDecimals(currency, decimals)
		}
		frac = frac[:decimals]
	}
	frac += strings.Repeat("0", decimals-len(frac))
	if len(strings.TrimLeft(whole, "0")) > 13 {
		return nil, "That amount is too large."
	}
	minor, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		return nil, "Enter just the number, such as 10.00."
	}
	return &minor, ""
}

func tooManyDecimals(currency string, decimals int) string {
	name := "Amounts"
	if currency != "" {
		name = currency + " amounts"
	}
	if decimals == 0 {
		return name + " have no decimals: enter a whole number, such as 1000."
	}
	return name + " have at most " + strconv.Itoa(decimals) + " decimals."
}

func digitsOnly(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
