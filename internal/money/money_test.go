package money

import (
	"reflect"
	"testing"
)

func TestFormat(t *testing.T) {
	for _, c := range []struct {
		minor    int64
		currency string
		major    string
		people   string
	}{
		{1000, "USD", "10.00", "$10.00"},
		{123450, "USD", "1234.50", "$1,234.50"},
		{5, "EUR", "0.05", "€0.05"},
		{1000, "JPY", "1000", "¥1,000"},
		{1200, "CHF", "12.00", "CHF 12.00"},
		{1234, "KWD", "1.234", "KWD 1.234"},
		{-150, "GBP", "-1.50", "-£1.50"},
		{0, "USD", "0.00", "$0.00"},
	} {
		if got := MajorUnits(c.minor, c.currency); got != c.major {
			t.Errorf("MajorUnits(%d, %s) = %q, want %q", c.minor, c.currency, got, c.major)
		}
		if got := Format(c.minor, c.currency); got != c.people {
			t.Errorf("Format(%d, %s) = %q, want %q", c.minor, c.currency, got, c.people)
		}
	}
}

func TestDecimals(t *testing.T) {
	for code, want := range map[string]int{"USD": 2, "JPY": 0, "KWD": 3, "XXY": 2} {
		if got := Decimals(code); got != want {
			t.Errorf("Decimals(%s) = %d, want %d", code, got, want)
		}
	}
}

func TestValidCode(t *testing.T) {
	for code, want := range map[string]bool{"USD": true, "usd": false, "US": false, "USDD": false, "": false,
		"EUR": true, "JPY": true, "ISK": true, "MGA": true, "KWD": true,
		// Current codes x/text does not know, from the explicit list.
		"VES": true, "VED": true, "MRU": true, "UYW": true, "SLE": true, "ZWG": true, "XCG": true,
		// The right shape, but no currency.
		"ABC": false, "XYZ": false, "QQQ": false, "EUX": false,
	} {
		if got := ValidCode(code); got != want {
			t.Errorf("ValidCode(%q) = %v, want %v", code, got, want)
		}
	}
}

func TestSumNeverAddsAcrossCurrencies(t *testing.T) {
	var s Sum
	if s.Totals() != nil {
		t.Fatal("an empty sum has totals")
	}
	s.Add(1000, "USD")
	s.Add(500, "EUR")
	s.Add(250, "USD")
	want := []Total{{"EUR", 500, 1}, {"USD", 1250, 2}}
	if got := s.Totals(); !reflect.DeepEqual(got, want) {
		t.Fatalf("Totals() = %v, want %v", got, want)
	}
}
