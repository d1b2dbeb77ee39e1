package models

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"testing"
)

func TestJSONBNumbersFit(t *testing.T) {
	for raw, want := range map[string]bool{
		`{"a": 1}`:                                  true,
		`{"a": 0.000e99999}`:                        true, // zero, with any scale of 0
		`{"a": 0e-1000}`:                            true,
		`{"a": [0e-17000]}`:                         false, // numeric keeps the scale: overflow
		`{"a": 0.0e-1001}`:                          false,
		`{"a": 1e1000, "b": -1e-1000}`:              true,
		`{"a": 123.45e998}`:                         true, // 1.2345e1000
		`{"a": [1, {"b": 1e131072}]}`:               false,
		`{"a": 1e-16384}`:                           false,
		`{"a": 1e1001}`:                             false,
		`{"a": 0.0001e-997}`:                        false, // 1e-1001
		`{"a": 1` + strings.Repeat("0", 1000) + `}`: true,  // 1e1000, written out
		`{"a": 1` + strings.Repeat("0", 1001) + `}`: false, // 1e1001, written out
		`{"a": 1e99999999999999999999}`:             false,
	} {
		if got := jsonbNumbersFit([]byte(raw)); got != want {
			t.Errorf("jsonbNumbersFit(%.60s) = %v, want %v", raw, got, want)
		}
	}
}

// FuzzNumberFits holds numberFits to math/big's reading of the same
// literal, away from the boundary where the two may round differently.
func FuzzNumberFits(f *testing.F) {
	for _, seed := range []string{"1", "-0.5", "1e1000", "1e-1001", "123.456e-3", "0.000", "9e999", "1e131072"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, n string) {
		x, ok := new(big.Float).SetPrec(64).SetString(n)
		if !ok || strings.ContainsAny(n, "_xXpP+") || strings.HasPrefix(strings.TrimPrefix(n, "-"), ".") ||
			strings.Contains(n, "inf") || strings.Contains(n, "Inf") || strings.Contains(n, "nan") {
			return // not a JSON number
		}
		got := numberFits(n)
		if _, e, _ := strings.Cut(strings.ToLower(n), "e"); len(strings.TrimLeft(e, "-+0")) > 5 {
			return // math/big's exponent arithmetic is not a reference out there
		}
		if x.Sign() == 0 {
			// Zero fits when its written exponent is at least
			// -maxJSONExponent: PostgreSQL keeps the scale it is written
			// with, and refuses a scale over 16383 (0e-16384).
			exp := 0
			if _, e, ok := strings.Cut(strings.ToLower(n), "e"); ok {
				exp, _ = strconv.Atoi(e)
			}
			if len(n) <= 2*maxJSONExponent && got != (exp >= -maxJSONExponent) {
				t.Fatalf("numberFits(%q) = %v for zero with exponent %d", n, got, exp)
			}
			return
		}
		mant := new(big.Float)
		exp2 := x.MantExp(mant) // |x| = mant × 2^exp2, 0.5 <= |mant| < 1
		lead := math.Floor(float64(exp2-1) * math.Log10(2))
		if math.Abs(lead) > maxJSONExponent-3 && math.Abs(lead) < maxJSONExponent+3 {
			return // near the bound: rounding decides
		}
		want := math.Abs(lead) <= maxJSONExponent
		if len(strings.TrimLeft(n, "-")) > 2*maxJSONExponent {
			return // the digit count bound decides
		}
		if got != want {
			t.Fatalf("numberFits(%q) = %v, but its magnitude is about 10^%v", n, got, lead)
		}
	})
}
