package surface

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sentence writes an error message in the one style the JSON surfaces
// answer with: a sentence, capitalised and ending in a full stop (or a
// question mark, when it suggests something). Models word their refusals
// as clauses ("no such reward"), the web layers as sentences; this makes
// them one. A message that starts with the field at fault or with an
// identifier (starting_after, "x") keeps it as sent: capitalising it would
// name something that does not exist.
func Sentence(message, field string) string {
	message = strings.TrimSpace(message)
	if message == "" {
		return message
	}
	first, _, _ := strings.Cut(message, " ")
	if isPlainWord(first) && first != field {
		r, size := utf8.DecodeRuneInString(message)
		message = string(unicode.ToUpper(r)) + message[size:]
	}
	switch message[len(message)-1] {
	case '.', '?', '!':
		return message
	}
	return message + "."
}

// isPlainWord reports whether w is an ordinary lower-case word, not an
// identifier (snake_case, a path, a quoted value).
func isPlainWord(w string) bool {
	if w == "" {
		return false
	}
	for _, r := range w {
		if !unicode.IsLower(r) && r != '\'' && r != ',' && r != ':' && r != ';' {
			return false
		}
	}
	return true
}
