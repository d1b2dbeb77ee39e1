// Package money holds Tandem's currency rules: how many decimals each
// currency has, how an amount is written, and how amounts add up. An
// amount is an integer of minor units with its ISO 4217 code ("10.00" USD
// is 1000, "1000" JPY is 1000), and amounts in different currencies are
// never added: a sum is one figure per currency.
//
// It is a leaf, importing nothing of Tandem's, so that models (which
// stores and sums amounts), views (which shows them), the CSV export and
// the API all use the same rules.
package money

import (
	"cmp"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/currency"
)

// codePattern is the shape of an ISO 4217 code, as the schema checks it.
var codePattern = regexp.MustCompile(`^[A-Z]{3}$`)

// newerCodes are current ISO 4217 codes that golang.org/x/text/currency
// (v0.43, whose list follows CLDR) does not know yet: the bolívar soberano
// and digital (VES, VED), the ouguiya (MRU), Uruguay's wage index unit
// (UYW), the leone (SLE), the Zimbabwe gold (ZWG) and the Caribbean guilder
// (XCG). x/text also keeps withdrawn codes (HRK, VEF, MRO), which stay valid
// here: an amount declared in one still means what it did.
var newerCodes = map[string]bool{"VES": true, "VED": true, "MRU": true, "UYW": true, "SLE": true, "ZWG": true, "XCG": true}

// ValidCode reports whether code is an ISO 4217 code, in capitals as
// stored (x/text's ParseISO also takes lower case, which the schema
// refuses).
func ValidCode(code string) bool {
	if !codePattern.MatchString(code) {
		return false
	}
	if newerCodes[code] {
		return true
	}
	_, err := currency.ParseISO(code)
	return err == nil
}

// MaxAmount is the largest amount of one reward, in minor units: ten
// billion in a two-decimal currency. The schema caps every declared amount
// at it (reward_amount_cap), so that sums of any number of rewards stay far
// from overflowing the integers they are added in.
const MaxAmount = 1_000_000_000_000

// zeroDecimal currencies have no minor unit.
var zeroDecimal = map[string]bool{
	"BIF": true, "CLP": true, "DJF": true, "GNF": true, "ISK": true, "JPY": true, "KMF": true, "KRW": true,
	"PYG": true, "RWF": true, "UGX": true, "UYI": true, "VND": true, "VUV": true, "XAF": true, "XOF": true, "XPF": true,
}

// threeDecimal currencies have a thousandth as their minor unit.
var threeDecimal = map[string]bool{
	"BHD": true, "IQD": true, "JOD": true, "KWD": true, "LYD": true, "OMR": true, "TND": true,
}

// Decimals is how many decimals an amount in currency has: the exponent of
// its minor unit. Every code not in the two small tables above has two,
// which is right for nearly all of them. The tables are kept by hand after
// ISO 4217 rather than taken from x/text/currency's Standard rounding: that
// one follows CLDR, which gives other digits for about 25 current
// currencies (IQD 0 where ISO has 3, IDR, COP and PKR 0 where ISO has 2), so
// taking it would change what every stored amount in those currencies means.
func Decimals(currency string) int {
	switch {
	case zeroDecimal[currency]:
		return 0
	case threeDecimal[currency]:
		return 3
	}
	return 2
}

// MajorUnits writes minor units of currency as a plain decimal, for an
// input or a file: 1000 USD is "10.00", 1000 JPY is "1000".
func MajorUnits(minor int64, currency string) string {
	d := Decimals(currency)
	neg := minor < 0
	s := strconv.FormatInt(minor, 10)
	if neg {
		s = s[1:]
	}
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

var symbols = map[string]string{"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}

// Format writes an amount for people: "$1,234.50", "¥1,000",
// "CHF 12.00".
func Format(minor int64, currency string) string {
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
	if sym, ok := symbols[currency]; ok {
		s = sym + s
	} else {
		s = currency + " " + s
	}
	if neg {
		s = "-" + s
	}
	return s
}

// Total is a sum of amounts in one currency, in minor units, and how many
// amounts it adds up.
type Total struct {
	Currency string `json:"currency"`
	Amount   int64  `json:"amount"`
	Count    int    `json:"count"`
}

// Sum adds amounts up per currency. The zero value is an empty sum.
type Sum struct {
	totals map[string]*Total
}

// Add adds amount in currency.
func (s *Sum) Add(amount int64, currency string) {
	if s.totals == nil {
		s.totals = map[string]*Total{}
	}
	t := s.totals[currency]
	if t == nil {
		t = &Total{Currency: currency}
		s.totals[currency] = t
	}
	t.Amount += amount
	t.Count++
}

// Totals returns one total per currency added, by currency code.
func (s *Sum) Totals() []Total {
	var out []Total // nil for an empty sum
	for _, t := range s.totals {
		out = append(out, *t)
	}
	slices.SortFunc(out, func(x, y Total) int { return cmp.Compare(x.Currency, y.Currency) })
	return out
}
