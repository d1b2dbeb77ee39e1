package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
)

// docChecker checks responses against the document and remembers which
// documented responses it saw.
type docChecker struct {
	doc  *oaDocument
	ops  map[string]*oaOperation // "POST /v1/claims"
	seen map[string]bool         // "POST /v1/claims 201"
}

func newDocChecker(t *testing.T) *docChecker {
	doc, ops := openAPIDoc(t)
	dc := &docChecker{doc: doc, ops: map[string]*oaOperation{}, seen: map[string]bool{}}
	for _, r := range ops {
		dc.ops[r.Method+" "+r.Path] = r.Op
	}
	return dc
}

// call sends a request to the documented operation route ("POST
// /v1/rewards/{id}/redeem"), with params filling the path's parameters in
// order, and checks the answer against the document.
func (dc *docChecker) call(t *testing.T, a *apiTenant, route string, params []string, body any, headers ...string) apiResponse {
	t.Helper()
	method, path, _ := strings.Cut(route, " ")
	i := 0
	concrete := pathParamPattern.ReplaceAllStringFunc(path, func(string) string {
		if i >= len(params) {
			t.Fatalf("%s: too few path parameters", route)
		}
		i++
		return url.PathEscape(params[i-1])
	})
	r := a.call(t, method, concrete, body, headers...)
	dc.check(t, route, r)
	return r
}

// check asserts that the document lists the response's status (and for
// an error, its code), that its body matches the documented schema, and
// that the rate-limit and idempotency headers it carries are documented.
func (dc *docChecker) check(t *testing.T, route string, r apiResponse) {
	t.Helper()
	op := dc.ops[route]
	if op == nil {
		t.Fatalf("%s is not documented", route)
	}
	status := strconv.Itoa(r.Status)
	ref, ok := op.Responses.get(status)
	if !ok {
		t.Errorf("%s answered %s, which the document does not list: %s", route, status, r.Body)
		return
	}
	resp := dc.doc.response(ref)
	if r.Status >= 400 && !slices.Contains(resp.ErrorCodes, r.ErrorCode()) {
		t.Errorf("%s answered %s %q, which the document does not list (it lists %v): %s", route, status, r.ErrorCode(), resp.ErrorCodes, r.Body)
	}
	if media, ok := resp.Content[fiber.MIMEApplicationJSON]; ok {
		var body any
		if err := json.Unmarshal(r.Body, &body); err != nil {
			t.Errorf("%s %s: the body is not JSON: %s", route, status, r.Body)
		} else if errs := dc.doc.validate(media.Schema, body, "body"); len(errs) > 0 {
			t.Errorf("%s %s: the body does not match the document:\n  %s\n%s", route, status, strings.Join(errs, "\n  "), r.Body)
		}
	}
	if r.Status < 300 || r.Status == http.StatusTooManyRequests {
		for _, h := range []string{"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "RateLimit-Policy", "Retry-After", "Idempotent-Replayed"} {
			if _, documented := resp.Headers.get(h); r.Header.Get(h) != "" && !documented {
				t.Errorf("%s %s: header %s is sent but not documented", route, status, h)
			}
		}
	}
	dc.seen[route+" "+status] = true
}

// validate checks a decoded JSON value against a schema of the document
// (the subset of JSON Schema it uses) and returns what does not match.
func (d *oaDocument) validate(s *oaSchema, v any, at string) []string {
	s = d.schema(s)
	if s == nil {
		return nil
	}
	if len(s.OneOf) > 0 {
		var first []string
		for _, o := range s.OneOf {
			errs := d.validate(o, v, at)
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
			prop, ok := s.Properties.get(name)
			if !ok {
				if s.AdditionalProperties != nil && !*s.AdditionalProperties {
					errs = append(errs, fmt.Sprintf("%s: property %s is not documented", at, name))
				}
				continue
			}
			errs = append(errs, d.validate(prop, value, at+"."+name)...)
		}
	case []any:
		if s.MaxItems != nil && len(x) > *s.MaxItems {
			errs = append(errs, fmt.Sprintf("%s: more than %d items", at, *s.MaxItems))
		}
		for i, item := range x {
			errs = append(errs, d.validate(s.Items, item, fmt.Sprintf("%s[%d]", at, i))...)
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

func TestOpenAPIOperationsAnswer(t *testing.T) {
	dc := newDocChecker(t)
	a := newAPITenant(t)
	_, ops := openAPIDoc(t)
	for _, r := range ops {
		route := r.Method + " " + r.Path
		params := make([]string, len(pathParamPattern.FindAllString(r.Path, -1)))
		for i := range params {
			params[i] = "no-such-thing"
		}
		var body any
		if r.Op.RequestBody != nil {
			body = "{}"
		}
		resp := dc.call(t, a, route, params, body)
		switch {
		case resp.Status == http.StatusNotFound && resp.ErrorCode() == "not_found",
			resp.Status == http.StatusMethodNotAllowed:
			t.Errorf("%s: no such route (%d %s)", route, resp.Status, resp.Body)
		case resp.Status >= 500:
			t.Errorf("%s: %d %s", route, resp.Status, resp.Body)
		}
		// Bad paging parameters are answered as documented.
		for _, p := range r.Op.Parameters {
			if p = dc.doc.parameter(p); p != nil && p.In == "query" {
				concrete := pathParamPattern.ReplaceAllString(r.Path, "no-such-thing")
				for _, q := range []string{"?limit=0", "?limit=x", "?starting_after=nope"} {
					dc.check(t, route, a.call(t, r.Method, concrete+q, nil))
				}
				break
			}
		}
		// The request schemas say additionalProperties: false; the
		// server agrees.
		if r.Op.RequestBody != nil {
			resp := dc.call(t, a, route, params, `{"no_such_field": 1}`)
			if resp.Status != http.StatusUnprocessableEntity || resp.ErrorCode() != "unknown_field" {
				t.Errorf("%s with an unknown field: %d %s", route, resp.Status, resp.Body)
			}
			dc.call(t, a, route, params, `{"`)
			dc.call(t, a, route, params, `{}`, "Content-Type", "text/plain")
		}
	}
}
