package views

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/tandemhq/tandem/models"
)

// Money in the console. Amounts are stored as integer minor units with an
// ISO 4217 code (rule 8) and typed and shown in major units: "10.00" USD is
// 1000, "1000" JPY is 1000. How many decimals a currency has is this small
// table; every code not in it has two, which is right for nearly all of
// them. Amounts in different currencies are never added: a sum is one
// figure per currency.

// zeroDecimalCurrencies have no minor unit.
var zeroDecimalCurrencies = map[string]bool{
	"BIF": true, "CLP": true, "DJF": true, "GNF": true, "ISK": true, "JPY": true, "KMF": true, "KRW": true,
	"PYG": true, "RWF": true, "UGX": true, "UYI": true, "VND": true, "VUV": true, "XAF": true, "XOF": true, "XPF": true,
}

// threeDecimalCurrencies have a thousandth as their minor unit.
var threeDecimalCurrencies = map[string]bool{
	"BHD": true, "IQD": true, "JOD": true, "KWD": true, "LYD": true, "OMR": true, "TND": true,
}

// CurrencyDecimals is how many decimals an amount in currency has.
func CurrencyDecimals(currency string) int {
	switch {
	case zeroDecimalCurrencies[currency]:
		return 0
	case threeDecimalCurrencies[currency]:
		return 3
	}
	return 2
}

// CommonCurrencies are offered as suggestions in currency inputs (any ISO
// code may be typed).
var CommonCurrencies = []string{"USD", "EUR", "GBP", "CAD", "AUD", "CHF", "JPY", "SEK", "NOK", "DKK", "PLN", "BRL", "INR", "MXN"}

var currencySymbols = map[string]string{"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}

// MajorUnits writes minor units of currency as a plain decimal for an
// input: 1000 USD is "10.00".
func MajorUnits(minor int64, currency string) string {
	d := CurrencyDecimals(currency)
	neg := minor < 0
	if neg {
		minor = -minor
	}
	s := strconv.FormatInt(minor, 10)
	if d > 0 {
		if len(s) <= d {
			s = strings.Repeat("0", d-len(s)+1) + s
		}
		s = s[:len(s)-d] + "." + s[len(s)-d:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// FormatMoney writes an amount for people: "$1,234.50", "¥1,000",
// "CHF 12.00".
func FormatMoney(minor int64, currency string) string {
	plain := MajorUnits(minor, currency)
	whole, frac, _ := strings.Cut(plain, ".")
	neg := strings.HasPrefix(whole, "-")
	whole = strings.TrimPrefix(whole, "-")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	s := b.String()
	if frac != "" {
		s += "." + frac
	}
	if sym, ok := currencySymbols[currency]; ok {
		s = sym + s
	} else {
		s = currency + " " + s
	}
	if neg {
		s = "-" + s
	}
	return s
}

// RewardValue is what a reward is worth, in short: its amount when it
// has one, else its quantity and kind ("2 tickets").
func RewardValue(r models.Reward) string {
	if r.Amount != nil && r.Currency != "" {
		return FormatMoney(*r.Amount, r.Currency)
	}
	return countOf(max(r.Quantity, 1), r.Kind)
}

// countOf is "1 ticket", "3 tickets".
func countOf(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// SumRewards adds rewards up the only ways that make sense: amounts per
// currency, and rewards without an amount per kind by quantity, each in
// the order it first appears. "$30.00 + €5.00 + 2 tickets"; "nothing" for
// none.
func SumRewards(rs []models.Reward) string {
	var keys []string // "money:USD", "count:ticket", in order of appearance
	sums := map[string]int64{}
	for _, r := range rs {
		key, n := "count:"+r.Kind, int64(max(r.Quantity, 1))
		if r.Amount != nil && r.Currency != "" {
			key, n = "money:"+r.Currency, *r.Amount
		} else if r.Kind == "" {
			continue
		}
		if _, seen := sums[key]; !seen {
			keys = append(keys, key)
		}
		sums[key] += n
	}
	parts := make([]string, 0, len(keys))
	for _, key := range keys {
		what, name, _ := strings.Cut(key, ":")
		if what == "money" {
			parts = append(parts, FormatMoney(sums[key], name))
		} else {
			parts = append(parts, countOf(int(sums[key]), name))
		}
	}
	if len(parts) == 0 {
		return "nothing"
	}
	return strings.Join(parts, " + ")
}

// MilestoneTotal is what a host has earned after Count successful
// referrals: "3 referrals = $30.00".
type MilestoneTotal struct {
	Count int
	Value string
}

// Label is the total as a sentence fragment.
func (t MilestoneTotal) Label() string {
	return countOf(t.Count, "referral") + " = " + t.Value
}

// MilestoneTotals is the running total at each row of a milestone table:
// the sum of every row up to and including it (rows sit at strictly
// increasing counts; a count between two rows earns nothing). Rows that
// are not yet valid are skipped, so a half-typed table still adds up.
func MilestoneTotals(ms []models.Milestone) []MilestoneTotal {
	var out []MilestoneTotal
	var sofar []models.Reward
	last := 0
	for _, m := range ms {
		if m.Count <= last {
			continue
		}
		last = m.Count
		sofar = append(sofar, m.Reward)
		out = append(out, MilestoneTotal{Count: m.Count, Value: SumRewards(sofar)})
	}
	return out
}
