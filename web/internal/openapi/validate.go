package openapi

import (
	"fmt"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Validate checks a decoded JSON value against a schema of the document
// (the subset of JSON Schema it uses) and returns what does not match.
func (d *Document) Validate(s *Schema, v any, at string) []string {
	s = d.Schema(s)
	if s == nil {
		return nil
	}
	if len(s.OneOf) > 0 {
		var first []string
		for _, o := range s.OneOf {
			errs := d.Validate(o, v, at)
			if len(errs) == 0 {
				return nil
			}
			if first == nil {
				first = errs
			}
		}
		return append([]string{at + ": matches none of oneOf"}, first...)
	}
	if len(s.Type) > 0 && !slices.ContainsFunc(s.Type, func(name string) bool { return jsonTypeIs(v, name) }) {
		return []string{fmt.Sprintf("%s: %v is not %s", at, v, strings.Join(s.Type, " or "))}
	}
	var errs []string
	if s.Const != nil && !reflect.DeepEqual(s.Const, v) {
		errs = append(errs, fmt.Sprintf("%s: %v is not %v", at, v, s.Const))
	}
	if len(s.Enum) > 0 && !slices.ContainsFunc(s.Enum, func(e any) bool { return reflect.DeepEqual(e, v) }) {
		errs = append(errs, fmt.Sprintf("%s: %v is not one of %v", at, v, s.Enum))
	}
	switch x := v.(type) {
	case string:
		if s.Pattern != "" && !regexp.MustCompile(s.Pattern).MatchString(x) {
			errs = append(errs, fmt.Sprintf("%s: %q does not match %s", at, x, s.Pattern))
		}
		if n := utf8.RuneCountInString(x); (s.MinLength != nil && n < *s.MinLength) || (s.MaxLength != nil && n > *s.MaxLength) {
			errs = append(errs, fmt.Sprintf("%s: %q has the wrong length", at, x))
		}
		switch s.Format {
		case "date-time":
			if _, err := time.Parse(time.RFC3339Nano, x); err != nil {
				errs = append(errs, fmt.Sprintf("%s: %q is not an RFC 3339 time", at, x))
			}
		case "uri":
			if u, err := url.Parse(x); err != nil || u.Scheme == "" || u.Host == "" {
				errs = append(errs, fmt.Sprintf("%s: %q is not an absolute URI", at, x))
			}
		}
	case float64:
		if (s.Minimum != nil && x < *s.Minimum) || (s.Maximum != nil && x > *s.Maximum) {
			errs = append(errs, fmt.Sprintf("%s: %v is out of range", at, x))
		}
	case map[string]any:
		for _, name := range s.Required {
			if _, ok := x[name]; !ok {
				errs = append(errs, fmt.Sprintf("%s: required property %s is missing", at, name))
			}
		}
		for name, value := range x {
			prop, ok := s.Properties.Get(name)
			if !ok {
				if s.AdditionalProperties != nil && !*s.AdditionalProperties {
					errs = append(errs, fmt.Sprintf("%s: property %s is not documented", at, name))
				}
				continue
			}
			errs = append(errs, d.Validate(prop, value, at+"."+name)...)
		}
	case []any:
		if s.MaxItems != nil && len(x) > *s.MaxItems {
			errs = append(errs, fmt.Sprintf("%s: more than %d items", at, *s.MaxItems))
		}
		for i, item := range x {
			errs = append(errs, d.Validate(s.Items, item, fmt.Sprintf("%s[%d]", at, i))...)
		}
	}
	return errs
}

func jsonTypeIs(v any, name string) bool {
	switch x := v.(type) {
	case nil:
		return name == "null"
	case bool:
		return name == "boolean"
	case string:
		return name == "string"
	case float64:
		return name == "number" || (name == "integer" && x == float64(int64(x)))
	case []any:
		return name == "array"
	case map[string]any:
		return name == "object"
	}
	return false
}
