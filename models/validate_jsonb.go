package models

import (
	"strconv"
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
