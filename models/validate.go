package models

import (
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"
)

// These mirror the schema's CHECK constraints so that bad input gets a
// precise field error before it reaches the database, which stays the
// referee if the two ever drift.
var (
	slugPattern  = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)
	codePattern  = regexp.MustCompile(`^[2-9A-HJ-NP-Z]{8}$`)
	emailPattern = regexp.MustCompile(`^[^@\s\x00]+@[^@\s\x00]+$`)
	phonePattern = regexp.MustCompile(`^\+?[0-9]{4,20}$`)
	// The schema's participants.stripe_customer_id check.
	stripeCustomerPattern = regexp.MustCompile(`^cus_[A-Za-z0-9]{1,250}$`)
)

// RewardKinds lists the kinds a reward can have.
var RewardKinds = []string{"credit", "coupon", "cash", "ticket", "custom", RewardStripeCoupon, RewardStripeBalance}

// MaxPropertiesBytes bounds an event's properties object.
const MaxPropertiesBytes = 16 << 10

// validateEventName: ^[a-z][a-z0-9_]{0,62}$, the schema's rule. It and
// validateExternalID check by hand rather than by regular expression: every
// event of a batch has both, and the two expressions were a tenth of the
// server's time under make bench's batches.
func validateEventName(field, name string) error {
	ok := len(name) >= 1 && len(name) <= 63 && name[0] >= 'a' && name[0] <= 'z'
	for i := 1; ok && i < len(name); i++ {
		c := name[i]
		ok = c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_'
	}
	if !ok {
		return invalid(field, "invalid_event_name", "event names are 1-63 characters of a-z, 0-9 and _, starting with a letter")
	}
	return nil
}

func validateSlug(field, slug string) error {
	if !slugPattern.MatchString(slug) {
		return invalid(field, "invalid_slug", "slugs are 1-63 characters of a-z, 0-9 and -, starting with a letter or digit")
	}
	return nil
}

// validateExternalID: ^[[:graph:]]{1,128}$ (ASCII ! to ~), the schema's rule.
func validateExternalID(field, id string) error {
	ok := len(id) >= 1 && len(id) <= 128
	for i := 0; ok && i < len(id); i++ {
		ok = id[i] >= '!' && id[i] <= '~'
	}
	if !ok {
		return invalid(field, "invalid_external_id", "external ids are 1-128 printable characters without spaces")
	}
	return nil
}

// IsText reports whether PostgreSQL can store s as text at all: valid
// UTF-8 without NUL. Anything else fails in the database, so every surface
// refuses it first, as bad input.
func IsText(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

func validateText(field, s string, minLen, maxLen int) error {
	n := utf8.RuneCountInString(s)
	if !IsText(s) || n < minLen || n > maxLen {
		return invalid(field, "invalid_length", "must be %d to %d characters", minLen, maxLen)
	}
	return nil
}

func validateURL(field, raw string) error {
	if raw == "" {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.ContainsAny(raw, " \t\r\n") {
		return invalid(field, "invalid_url", "must be an absolute http or https URL")
	}
	if !strings.HasPrefix(raw, u.Scheme+"://") {
		// url.Parse reads HTTP:// as http: say so, rather than store what the
		// schema's lower-case pattern refuses.
		return invalid(field, "invalid_url", "the URL must start with http:// or https:// in lower case")
	}
	return nil
}

func validateProperties(field string, raw json.RawMessage) error {
	if len(raw) == 0 {
		return nil
	}
	if len(raw) > MaxPropertiesBytes {
		return invalid(field, "too_large", "properties are at most %d bytes", MaxPropertiesBytes)
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil || obj == nil {
		return invalid(field, "invalid_properties", "properties must be a JSON object")
	}
	if !jsonbAccepts(raw) {
		return invalid(field, "invalid_properties", "properties must be UTF-8 without NUL characters or unpaired surrogates")
	}
	if !jsonbNumbersFit(raw) {
		return invalid(field, "invalid_properties", "property numbers must have an exponent between %d and %d", -maxJSONExponent, maxJSONExponent)
	}
	return nil
}

// NormalizeCode reads an invite or referrer code as typed by a person:
// case-insensitive, surrounding spaces ignored.
func NormalizeCode(code string) (string, error) {
	c := strings.ToUpper(strings.TrimSpace(code))
	if !codePattern.MatchString(c) {
		return "", invalid("code", "invalid_code", "codes are 8 characters of 2-9 and A-Z without I and O")
	}
	return c, nil
}
