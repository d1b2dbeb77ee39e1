package models

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// jsonbAccepts reports whether PostgreSQL's jsonb takes the text of raw,
// which must already be valid JSON. Go's JSON parser is more lenient than
// jsonb in three ways: it passes invalid UTF-8 through a RawMessage, and it
// accepts the escape \u0000 (jsonb cannot hold NUL) and unpaired UTF-16
// surrogate escapes such as \ud800. Each of these would fail the insert
// with a database error instead of a field error.
func jsonbAccepts(raw []byte) bool {
	if !utf8.Valid(raw) {
		return false
	}
	highSurrogate := false // the previous escape opened a surrogate pair
	for i := 0; i < len(raw); i++ {
		if raw[i] != '\\' {
			if highSurrogate {
				return false
			}
			continue
		}
		// Outside strings valid JSON has no backslash, so this is an escape.
		if i+1 >= len(raw) {
			return false
		}
		if raw[i+1] != 'u' {
			if highSurrogate {
				return false
			}
			i++
			continue
		}
		if i+5 >= len(raw) {
			return false
		}
		r, err := strconv.ParseUint(string(raw[i+2:i+6]), 16, 32)
		if err != nil {
			return false
		}
		i += 5
		switch {
		case r == 0:
			return false
		case r >= 0xD800 && r < 0xDC00:
			if highSurrogate {
				return false
			}
			highSurrogate = true
		case r >= 0xDC00 && r < 0xE000:
			if !highSurrogate {
				return false
			}
			highSurrogate = false
		default:
			if highSurrogate {
				return false
			}
		}
	}
	return !highSurrogate
}

// maxJSONExponent bounds the decimal exponent of a number in event
// properties. jsonb stores numbers as numeric, which refuses more than
// 131072 digits before the point or 16383 after it (1e131072 and 1e-16384
// fail the insert); no real property needs a thousandth of that.
const maxJSONExponent = 1000

// jsonbNumbersFit reports whether every number in raw (valid JSON) has a
// decimal exponent within ±maxJSONExponent, counting the digits it is
// written with: 1e999 and 0.000…1 (999 zeros) pass, 1e1001 does not.
func jsonbNumbersFit(raw []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return true
		}
		if err != nil {
			return false
		}
		if n, ok := tok.(json.Number); ok && !numberFits(string(n)) {
			return false
		}
	}
}

// numberFits reports whether a JSON number literal's magnitude lies within
// 10^±maxJSONExponent. Zero has no magnitude, but numeric keeps the scale
// it is written with (0e-16384 overflows it): zero fits when its exponent
// is at least -maxJSONExponent.
func numberFits(n string) bool {
	mantissa, exp := n, 0
	if i := strings.IndexAny(n, "eE"); i >= 0 {
		e, err := strconv.Atoi(n[i+1:])
		if err != nil || e > 1e6 || e < -1e6 {
			return false
		}
		mantissa, exp = n[:i], e
	}
	mantissa = strings.TrimPrefix(mantissa, "-")
	intPart, frac, _ := strings.Cut(mantissa, ".")
	digits := strings.TrimLeft(intPart+frac, "0")
	if digits == "" {
		return exp >= -maxJSONExponent && len(intPart)+len(frac) <= 2*maxJSONExponent
	}
	// The position of the leading digit: 10^lead <= |n| < 10^(lead+1).
	lead := exp + len(intPart) - 1
	if strings.Trim(intPart, "0") == "" {
		lead = exp - (len(frac) - len(strings.TrimLeft(frac, "0"))) - 1
	}
	return lead >= -maxJSONExponent && lead <= maxJSONExponent && len(intPart)+len(frac) <= 2*maxJSONExponent
}
