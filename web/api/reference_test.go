package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"net/url"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
	"github.com/tandemhq/tandem/web/internal/surface"
)

// The tests in this file keep the OpenAPI document honest: it is
// well-formed, it lists exactly the routes Fiber serves under /v1, every
// documented operation answers, every response the API gives in a walk
// through both campaign modes is documented (status, error code, headers)
// and matches its schema, the request schemas name exactly the fields the
// handlers decode, and the reference page shows all of it.

func openAPIDoc(t *testing.T) (*oaDocument, []oaRoute) {
	t.Helper()
	doc, err := loadOpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	ops, err := doc.operations()
	if err != nil {
		t.Fatal(err)
	}
	return doc, ops
}

var pathParamPattern = regexp.MustCompile(`\{([^}]+)\}`)

func TestOpenAPIDocumentIsWellFormed(t *testing.T) {
	doc, ops := openAPIDoc(t)
	if !strings.HasPrefix(doc.OpenAPI, "3.1.") {
		t.Errorf("openapi is %q, want 3.1.x", doc.OpenAPI)
	}
	if doc.Info.Title == "" || doc.Info.Version == "" {
		t.Error("info needs a title and a version")
	}

	// Every local reference resolves.
	var raw any
	if err := json.Unmarshal(openapiJSON, &raw); err != nil {
		t.Fatal(err)
	}
	walkRefs(raw, func(ref string) {
		if !strings.HasPrefix(ref, "#/") {
			t.Errorf("reference %q is not local", ref)
			return
		}
		node := raw
		for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
			m, _ := node.(map[string]any)
			if node = m[part]; node == nil {
				t.Errorf("reference %q does not resolve", ref)
				return
			}
		}
	})

	tags := map[string]bool{}
	for _, tag := range doc.Tags {
		tags[tag.Name] = true
	}
	ids := map[string]bool{}
	for _, r := range ops {
		name := r.Method + " " + r.Path
		op := r.Op
		if op.OperationID == "" || ids[op.OperationID] {
			t.Errorf("%s: operationId %q is missing or not unique", name, op.OperationID)
		}
		ids[op.OperationID] = true
		if op.Summary == "" || len(op.Tags) != 1 || !tags[op.Tags[0]] {
			t.Errorf("%s: needs a summary and one declared tag", name)
		}
		if !strings.HasPrefix(r.Path, "/v1/") {
			t.Errorf("%s: every API path starts with /v1/", name)
		}
		public := op.Security != nil && len(*op.Security) == 0

		// Path parameters: declared exactly as the template names them.
		var declared, inPath []string
		idempotencyHeader := false
		for _, p := range op.Parameters {
			p = doc.parameter(p)
			if p == nil {
				t.Errorf("%s: a parameter does not resolve", name)
				continue
			}
			switch p.In {
			case "path":
				declared = append(declared, p.Name)
				if !p.Required {
					t.Errorf("%s: path parameter %s must be required", name, p.Name)
				}
			case "header":
				idempotencyHeader = idempotencyHeader || p.Name == "Idempotency-Key"
			}
		}
		for _, m := range pathParamPattern.FindAllStringSubmatch(r.Path, -1) {
			inPath = append(inPath, m[1])
		}
		sort.Strings(declared)
		sort.Strings(inPath)
		if !slices.Equal(declared, inPath) {
			t.Errorf("%s: path parameters %v, template has %v", name, declared, inPath)
		}
		// Every keyed POST takes an Idempotency-Key, except the batch,
		// which refuses one (each event carries its own key).
		if r.Method == "POST" && !public && !idempotencyHeader && r.Path != "/v1/events/batch" {
			t.Errorf("%s: a POST documents the Idempotency-Key header", name)
		}

		if rb := op.RequestBody; rb != nil {
			media, ok := rb.Content[fiber.MIMEApplicationJSON]
			if !ok || media.Schema == nil {
				t.Errorf("%s: the request body is application/json with a schema", name)
			} else {
				// decodeJSON refuses unknown fields at every depth.
				checkClosed(t, doc, name+" request", media.Schema, map[*oaSchema]bool{})
			}
		}

		// Responses: a success, and every error in the one error shape
		// with its codes listed.
		success := false
		for _, e := range op.Responses {
			status, err := strconv.Atoi(e.Key)
			resp := doc.response(e.Value)
			if err != nil || resp == nil {
				t.Errorf("%s: response %q is not a status or does not resolve", name, e.Key)
				continue
			}
			if status < 300 {
				success = true
				continue
			}
			media, ok := resp.Content[fiber.MIMEApplicationJSON]
			if !ok || media.Schema == nil || media.Schema.Ref != "#/components/schemas/Error" {
				t.Errorf("%s %d: errors answer the Error schema", name, status)
			}
			if len(resp.ErrorCodes) == 0 {
				t.Errorf("%s %d: lists no error codes (x-error-codes)", name, status)
			}
			for _, code := range resp.ErrorCodes {
				if !strings.Contains(resp.Description, "`"+code+"`") {
					t.Errorf("%s %d: the description does not name %s", name, status, code)
				}
			}
		}
		if !success {
			t.Errorf("%s: documents no success response", name)
		}
		want := []string{"500"}
		if !public {
			want = append(want, "401", "403", "429")
		}
		for _, status := range want {
			if _, ok := op.Responses.get(status); !ok {
				t.Errorf("%s: documents no %s", name, status)
			}
		}
	}
}

// walkRefs calls fn with every $ref in a decoded JSON document.
func walkRefs(node any, fn func(string)) {
	switch n := node.(type) {
	case map[string]any:
		for k, v := range n {
			if s, ok := v.(string); ok && k == "$ref" {
				fn(s)
			} else {
				walkRefs(v, fn)
			}
		}
	case []any:
		for _, v := range n {
			walkRefs(v, fn)
		}
	}
}

// checkClosed asserts that every object schema under s with properties
// refuses other properties. A free object (properties of an event) has
// none and stays open.
func checkClosed(t *testing.T, doc *oaDocument, at string, s *oaSchema, seen map[*oaSchema]bool) {
	t.Helper()
	s = doc.schema(s)
	if s == nil || seen[s] {
		return
	}
	seen[s] = true
	for _, o := range s.OneOf {
		checkClosed(t, doc, at, o, seen)
	}
	if s.Items != nil {
		checkClosed(t, doc, at+"[]", s.Items, seen)
	}
	if s.Type.has("object") && (len(s.Properties) > 0 || s.AdditionalProperties != nil) &&
		(s.AdditionalProperties == nil || *s.AdditionalProperties) {
		t.Errorf("%s: the server refuses unknown fields, so the schema says additionalProperties: false", at)
	}
	for _, p := range s.Properties {
		checkClosed(t, doc, at+"."+p.Key, p.Value, seen)
	}
}

// fiberPath turns an OpenAPI path template into Fiber's form.
func fiberPath(p string) string {
	return pathParamPattern.ReplaceAllString(p, ":$1")
}

func TestOpenAPIListsEveryRoute(t *testing.T) {
	_, ops := openAPIDoc(t)
	documented := map[string]bool{}
	for _, r := range ops {
		documented[r.Method+" "+fiberPath(r.Path)] = true
	}
	served := map[string]bool{}
	for _, route := range newTestApp(testConfig{DB: env.App}).GetRoutes(true) {
		if route.Method == fiber.MethodHead || len(route.Handlers) == 0 ||
			!(route.Path == "/v1" || strings.HasPrefix(route.Path, "/v1/")) {
			continue
		}
		served[route.Method+" "+route.Path] = true
	}
	for route := range served {
		if !documented[route] {
			t.Errorf("%s is served but not in openapi.json", route)
		}
	}
	for route := range documented {
		if !served[route] {
			t.Errorf("%s is in openapi.json but Fiber has no such route", route)
		}
	}
}

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

// TestOpenAPIDescribesResponses walks a campaign in each mode through
// every documented operation, checking each answer against the document,
// and then that every documented success was seen.
func TestOpenAPIDescribesResponses(t *testing.T) {
	dc := newDocChecker(t)
	a := newAPITenant(t)
	app := newTestApp(testConfig{DB: env.App, PublicURL: "https://tandem.test", RateLimitPerMinute: 100_000})
	t.Cleanup(func() { _ = app.Shutdown() })
	a.app = app

	get := func(r apiResponse, path ...string) string {
		t.Helper()
		var v any = r.JSON
		for _, p := range path {
			if i, err := strconv.Atoi(p); err == nil {
				list, _ := v.([]any)
				if i >= len(list) {
					t.Fatalf("no %v in %s", path, r.Body)
				}
				v = list[i]
				continue
			}
			m, _ := v.(map[string]any)
			v = m[p]
		}
		s, ok := v.(string)
		if !ok {
			t.Fatalf("no string at %v in %s", path, r.Body)
		}
		return s
	}
	want := func(r apiResponse, status int) {
		t.Helper()
		if r.Status != status {
			t.Fatalf("got %d, want %d: %s", r.Status, status, r.Body)
		}
	}

	want(dc.call(t, &apiTenant{app: a.app}, "GET /v1/openapi.json", nil, nil), 200)

	want(dc.call(t, a, "POST /v1/event-definitions", nil, map[string]any{"name": "signed_up", "description": "Finished sign-up"}), 201)
	want(dc.call(t, a, "POST /v1/event-definitions", nil, map[string]any{"name": "signed_up", "description": "Finished sign-up"}), 200)
	want(dc.call(t, a, "POST /v1/event-definitions", nil, map[string]any{"name": "first_order"}), 201)
	want(dc.call(t, a, "GET /v1/event-definitions", nil, nil), 200)

	cash := map[string]any{"description": "$10 credit", "kind": "cash", "amount": 1000, "currency": "USD"}
	want(dc.call(t, a, "PUT /v1/campaigns/{slug}", []string{"spring"}, map[string]any{
		"name": "Spring", "mode": "invitation", "quest": map[string]any{"steps": []string{"signed_up", "first_order"}},
		"host_milestones": []any{map[string]any{"count": 1, "reward": cash}}, "repeat_last_milestone": true,
		"guest_reward":         map[string]any{"description": "Two raffle tickets", "kind": "ticket", "quantity": 2},
		"invitation_ttl_hours": 48, "signup_url": "https://example.com/signup", "starts_at": nil,
	}), 200)
	want(dc.call(t, a, "GET /v1/campaigns/{slug}/preview-publish", []string{"spring"}, nil), 200)
	want(dc.call(t, a, "POST /v1/campaigns/{slug}/publish", []string{"spring"}, map[string]any{"inflight": "keep"}, "Idempotency-Key", "publish-spring"), 200)
	replay := dc.call(t, a, "POST /v1/campaigns/{slug}/publish", []string{"spring"}, map[string]any{"inflight": "keep"}, "Idempotency-Key", "publish-spring")
	if replay.Status != 200 || replay.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replayed publish: %d %v %s", replay.Status, replay.Header, replay.Body)
	}
	want(dc.call(t, a, "GET /v1/campaigns/{slug}", []string{"spring"}, nil), 200)

	want(dc.call(t, a, "POST /v1/participants", nil, map[string]any{"external_id": "host-1", "email": "hana@example.com", "display_name": "Hana"}), 201)
	want(dc.call(t, a, "POST /v1/participants", nil, map[string]any{"external_id": "host-1", "phone": "+15550100"}), 200)
	want(dc.call(t, a, "GET /v1/participants/{external_id}", []string{"host-1"}, nil), 200)

	// Two guests finish the quest: the host earns the milestone twice
	// (repeat_last_milestone), the guests their tickets.
	for i, guest := range []string{"guest-1", "guest-2"} {
		inv := dc.call(t, a, "POST /v1/campaigns/{slug}/invitations", []string{"spring"}, map[string]any{"host": "host-1", "channel": "email", "recipient": guest + "@example.com"})
		want(inv, 201)
		want(dc.call(t, a, "POST /v1/claims", nil, map[string]any{"code": strings.ToLower(get(inv, "code")), "guest": guest}), 201)
		if i == 0 {
			want(dc.call(t, a, "POST /v1/events", nil, map[string]any{"participant": guest, "name": "signed_up", "idempotency_key": "g1-signup"}), 202)
			want(dc.call(t, a, "POST /v1/events", nil, map[string]any{"participant": guest, "name": "signed_up"}, "Idempotency-Key", "g1-signup"), 202)
			want(dc.call(t, a, "POST /v1/events", nil, map[string]any{"participant": guest, "name": "first_order", "properties": map[string]any{"total": 42}}), 202)
			continue
		}
		batch := dc.call(t, a, "POST /v1/events/batch", nil, map[string]any{"events": []any{
			map[string]any{"participant": guest, "name": "first_order", "occurred_at": time.Now().Add(-time.Minute).Format(time.RFC3339)},
			map[string]any{"participant": guest, "name": "signed_up", "occurred_at": time.Now().Add(-time.Hour).Format(time.RFC3339), "idempotency_key": "g2-signup"},
			map[string]any{"participant": guest, "name": "signed_up", "idempotency_key": "g2-signup"},
			map[string]any{"participant": guest, "name": "no_such_event"},
			map[string]any{"participant": guest},
		}})
		want(batch, 200)
	}
	want(dc.call(t, a, "GET /v1/participants/{external_id}/invitations", []string{"host-1"}, nil), 200)
	want(dc.call(t, a, "GET /v1/participants/{external_id}/rewards", []string{"guest-1"}, nil), 200)
	rewards := dc.call(t, a, "GET /v1/participants/{external_id}/rewards", []string{"host-1"}, nil, "Idempotency-Key", "ignored-on-get")
	want(rewards, 200)
	want(dc.call(t, a, "POST /v1/rewards/{id}/redeem", []string{get(rewards, "data", "0", "id")}, nil), 200)
	want(dc.call(t, a, "POST /v1/rewards/{id}/void", []string{get(rewards, "data", "0", "id")}, "{}"), 409)
	want(dc.call(t, a, "POST /v1/rewards/{id}/void", []string{get(rewards, "data", "1", "id")}, nil), 200)

	raffle := dc.call(t, a, "POST /v1/raffles", nil, map[string]any{"campaign": "spring", "winners": 1})
	want(raffle, 201)
	want(dc.call(t, a, "GET /v1/raffles/{id}", []string{get(raffle, "id")}, nil), 200)

	// The other mode: a host's reusable code.
	want(dc.call(t, a, "PUT /v1/campaigns/{slug}", []string{"friends"}, map[string]any{
		"name": "Friends", "mode": "referrer_code", "quest": map[string]any{"steps": []string{"signed_up"}},
	}), 200)
	want(dc.call(t, a, "POST /v1/campaigns/{slug}/publish", []string{"friends"}, nil), 200)
	want(dc.call(t, a, "POST /v1/campaigns/{slug}/referrer-code", []string{"friends"}, map[string]any{"participant": "host-1"}), 200)
	want(dc.call(t, a, "GET /v1/campaigns", nil, nil), 200)
	want(dc.call(t, a, "PUT /v1/widget/settings", nil, map[string]any{"allowed_origins": []string{"https://shop.example", "http://localhost:3000"}}), 200)
	want(dc.call(t, a, "POST /v1/widget/tokens", nil, map[string]any{"participant": "host-1", "campaign": "friends", "expires_in": 600}), 201)
	for _, action := range []string{"pause", "resume", "end"} {
		want(dc.call(t, a, "POST /v1/campaigns/{slug}/"+action, []string{"friends"}, nil), 200)
	}

	// Stripe: the tenant's account, a Stripe reward and its fulfilment.
	want(dc.call(t, a, "GET /v1/integrations/stripe", nil, nil), 200)
	want(dc.call(t, a, "PUT /v1/integrations/stripe", nil, map[string]any{"api_key": "sk_test_referenceKey1"}), 200)
	want(dc.call(t, a, "PUT /v1/campaigns/{slug}", []string{"coupons"}, map[string]any{
		"name": "Coupons", "mode": "invitation", "quest": map[string]any{"steps": []string{"signed_up"}},
		"host_milestones": []any{map[string]any{"count": 1, "reward": cash}},
		"guest_reward":    map[string]any{"description": "$5 off", "kind": "stripe_coupon", "amount": 500, "currency": "USD"},
	}), 200)
	want(dc.call(t, a, "POST /v1/campaigns/{slug}/publish", []string{"coupons"}, nil), 200)
	want(dc.call(t, a, "POST /v1/participants", nil, map[string]any{"external_id": "guest-3", "stripe_customer_id": "cus_Guest3"}), 201)
	inv := dc.call(t, a, "POST /v1/campaigns/{slug}/invitations", []string{"coupons"}, map[string]any{"host": "host-1"})
	want(dc.call(t, a, "POST /v1/claims", nil, map[string]any{"code": get(inv, "code"), "guest": "guest-3"}), 201)
	want(dc.call(t, a, "POST /v1/events", nil, map[string]any{"participant": "guest-3", "name": "signed_up"}), 202)
	coupon := dc.call(t, a, "GET /v1/participants/{external_id}/rewards", []string{"guest-3"}, nil)
	if get(coupon, "data", "0", "fulfilment", "status") != "pending" {
		t.Fatalf("a Stripe reward starts pending: %s", coupon.Body)
	}
	// No job runs here: the fulfilment is made to fail as a run would.
	if err := env.Owner.Exec(`UPDATE reward_fulfilments SET status = 'failed', error = 'Stripe is down', attempts = 1
		WHERE reward_id = ?`, get(coupon, "data", "0", "id")).Error; err != nil {
		t.Fatal(err)
	}
	want(dc.call(t, a, "POST /v1/rewards/{id}/retry-fulfilment", []string{get(coupon, "data", "0", "id")}, nil), 200)
	want(dc.call(t, a, "POST /v1/rewards/{id}/retry-fulfilment", []string{get(coupon, "data", "0", "id")}, nil), 409)
	want(dc.call(t, a, "DELETE /v1/integrations/stripe", nil, nil), 204)

	// Webhooks: an endpoint, its life, a test message and its log.
	ep := dc.call(t, a, "POST /v1/webhook-endpoints", nil, map[string]any{"url": "https://93.184.216.34/hook", "events": []string{"*"}})
	want(ep, 201)
	whe := get(ep, "id")
	want(dc.call(t, a, "POST /v1/webhook-endpoints", nil, map[string]any{"url": "https://127.0.0.1/hook", "events": []string{"*"}}), 422)
	want(dc.call(t, a, "GET /v1/webhook-endpoints", nil, nil), 200)
	want(dc.call(t, a, "GET /v1/webhook-endpoints/{id}", []string{whe}, nil), 200)
	want(dc.call(t, a, "PATCH /v1/webhook-endpoints/{id}", []string{whe}, map[string]any{"description": "CRM"}), 200)
	want(dc.call(t, a, "POST /v1/webhook-endpoints/{id}/rotate-secret", []string{whe}, nil), 200)
	want(dc.call(t, a, "POST /v1/webhook-endpoints/{id}/test", []string{whe}, nil), 202)
	log := dc.call(t, a, "GET /v1/webhook-endpoints/{id}/deliveries", []string{whe}, nil)
	want(log, 200)
	whd := get(log, "data", "0", "id")
	want(dc.call(t, a, "POST /v1/webhook-deliveries/{id}/replay", []string{whd}, nil), 409)
	err := tenants.WithTenant(context.Background(), env.App, a.created.TenantID, func(ctx context.Context) error {
		_, err := models.RecordWebhookAttempt(ctx, whd, models.WebhookAttempt{At: time.Now(), Error: "no answer"}, true)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	want(dc.call(t, a, "POST /v1/webhook-deliveries/{id}/replay", []string{whd}, nil), 202)
	want(dc.call(t, a, "POST /v1/webhook-endpoints/{id}/replay", []string{whe}, map[string]any{"since": "2026-01-01T00:00:00Z"}), 202)
	want(dc.call(t, a, "DELETE /v1/webhook-endpoints/{id}", []string{whe}, nil), 204)

	// Over the rate limit.
	now := time.Now()
	limitedApp, _ := newTestAppAt(testConfig{DB: env.App, RateLimitPerMinute: 1}, func() time.Time { return now })
	t.Cleanup(func() { _ = limitedApp.Shutdown() })
	limited := &apiTenant{app: limitedApp, secretKey: a.secretKey}
	dc.call(t, limited, "GET /v1/campaigns", nil, nil)
	if r := dc.call(t, limited, "GET /v1/campaigns", nil, nil); r.Status != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" {
		t.Errorf("over the limit: %d %v", r.Status, r.Header)
	}

	for route, op := range dc.ops {
		for _, e := range op.Responses {
			if strings.HasPrefix(e.Key, "2") && !dc.seen[route+" "+e.Key] {
				t.Errorf("%s %s is documented but no test saw it", route, e.Key)
			}
		}
	}
}

// TestOpenAPIRequestSchemasMatchHandlers compares each request schema with
// the struct its handler decodes into, field by field and at every depth.
func TestOpenAPIRequestSchemasMatchHandlers(t *testing.T) {
	doc, _ := openAPIDoc(t)
	for name, v := range map[string]any{
		"EventDefinitionRequest": eventDefinitionRequest{},
		"CampaignDraftRequest":   campaignRequest{},
		"PublishRequest":         publishRequest{},
		"ParticipantRequest":     participantRequest{},
		"ReferrerCodeRequest":    referrerCodeRequest{},
		"InvitationRequest":      invitationRequest{},
		"ClaimRequest":           claimRequest{},
		"EventRequest":           eventRequest{},
		"EventBatchRequest":      batchRequest{},
		"RaffleRequest":          raffleRequest{},
		"WidgetTokenRequest":     widgetTokenRequest{},
		"WidgetSettingsRequest":  widgetSettingsRequest{},
		"EmptyRequest":           struct{}{},
		"WebhookEndpointRequest": webhookEndpointRequest{},
		"WebhookReplayRequest":   replayRequest{},
	} {
		s, ok := doc.Components.Schemas.get(name)
		if !ok {
			t.Errorf("no schema %s", name)
			continue
		}
		compareSchema(t, doc, name, s, reflect.TypeOf(v))
	}
}

func compareSchema(t *testing.T, doc *oaDocument, at string, s *oaSchema, typ reflect.Type) {
	t.Helper()
	s = doc.schema(nonNull(s))
	for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice {
		typ = typ.Elem()
		if s != nil && s.Type.has("array") {
			s = doc.schema(s.Items)
		}
	}
	if s == nil || typ.Kind() != reflect.Struct || !s.Type.has("object") || (len(s.Properties) == 0 && typ.NumField() > 0 && s.AdditionalProperties == nil) {
		return
	}
	fields := jsonFields(typ)
	var got, documented []string
	for name := range fields {
		got = append(got, name)
	}
	for _, p := range s.Properties {
		documented = append(documented, p.Key)
	}
	sort.Strings(got)
	sort.Strings(documented)
	if !slices.Equal(got, documented) {
		t.Errorf("%s: the handler decodes %v, the document says %v", at, got, documented)
	}
	for _, p := range s.Properties {
		if ft, ok := fields[p.Key]; ok {
			compareSchema(t, doc, at+"."+p.Key, p.Value, ft)
		}
	}
}

// jsonFields maps the JSON names of a struct's fields to their types,
// through embedded structs, as encoding/json sees them.
func jsonFields(typ reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < typ.NumField(); i++ {
		f := typ.Field(i)
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		if name == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			for k, v := range jsonFields(f.Type) {
				out[k] = v
			}
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

func TestOpenAPIDocumentIsServed(t *testing.T) {
	app := newTestApp(testConfig{DB: env.App})
	r := doRequest(t, app, "GET", "/v1/openapi.json", nil)
	if r.Status != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("got %d %s", r.Status, r.Header.Get("Content-Type"))
	}
	if !bytes.Equal(r.Body, openapiJSON) || !json.Valid(r.Body) {
		t.Error("the served document is not the embedded one, or not JSON")
	}
	// Public: a wrong key does not matter.
	if r := doRequest(t, app, "GET", "/v1/openapi.json", nil, "Authorization", "Bearer sk_nope"); r.Status != http.StatusOK {
		t.Errorf("with a bad key: %d", r.Status)
	}
}

func TestAPIReferencePage(t *testing.T) {
	_, ops := openAPIDoc(t)
	r := doRequest(t, newTestApp(testConfig{DB: env.App}), "GET", "/docs/api", nil)
	if r.Status != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("got %d %s", r.Status, r.Header.Get("Content-Type"))
	}
	page, err := goquery.NewDocumentFromReader(bytes.NewReader(r.Body))
	if err != nil {
		t.Fatal(err)
	}
	if n := page.Find("script").Length(); n > 0 {
		t.Errorf("the page has %d script elements; it needs none", n)
	}
	if page.Find(`[data-testid="openapi-link"]`).AttrOr("href", "") != "/v1/openapi.json" {
		t.Error("the page does not link the document")
	}
	doc, _ := openAPIDoc(t)
	for _, op := range ops {
		sel := page.Find(fmt.Sprintf(`[data-testid="operation"][data-method=%q][data-path=%q]`, op.Method, op.Path))
		if sel.Length() != 1 {
			t.Errorf("%s %s: %d sections on the page, want 1", op.Method, op.Path, sel.Length())
			continue
		}
		if got := strings.TrimSpace(sel.Find("code.path").Text()); got != op.Path {
			t.Errorf("%s %s: the heading shows %q", op.Method, op.Path, got)
		}
		if !strings.Contains(sel.Text(), op.Op.Summary) {
			t.Errorf("%s %s: the summary is missing", op.Method, op.Path)
		}
		var codes []string
		sel.Find(`[data-testid="error-code"]`).Each(func(_ int, s *goquery.Selection) { codes = append(codes, s.Text()) })
		for _, e := range op.Op.Responses {
			if sel.Find(fmt.Sprintf(`[data-testid="response"][data-status=%q]`, e.Key)).Length() != 1 {
				t.Errorf("%s %s: response %s is not shown", op.Method, op.Path, e.Key)
			}
			for _, code := range doc.response(e.Value).ErrorCodes {
				if !slices.Contains(codes, code) {
					t.Errorf("%s %s: error code %s is not shown", op.Method, op.Path, code)
				}
			}
		}
		if rb := op.Op.RequestBody; rb != nil {
			body := doc.schema(rb.Content[fiber.MIMEApplicationJSON].Schema)
			for _, p := range body.Properties {
				if sel.Find(fmt.Sprintf(`[data-testid="field"][data-field=%q]`, p.Key)).Length() == 0 {
					t.Errorf("%s %s: request field %s is not shown", op.Method, op.Path, p.Key)
				}
			}
		}
	}
	for _, s := range doc.Components.Schemas {
		if page.Find(fmt.Sprintf(`[data-testid="schema"][data-schema=%q]`, s.Key)).Length() != 1 {
			t.Errorf("schema %s is not shown", s.Key)
		}
	}
}

// TestOpenAPIErrorCodes holds the error codes of the document to the code:
// each code the API layer or models can answer is listed under the
// status it is answered with, and the codes the API answers appear in the
// document at all.
func TestOpenAPIErrorCodes(t *testing.T) {
	doc, ops := openAPIDoc(t)
	listed := map[string]map[int]bool{} // code → statuses it is listed under
	for _, r := range ops {
		for _, e := range r.Op.Responses {
			status, _ := strconv.Atoi(e.Key)
			for _, code := range doc.response(e.Value).ErrorCodes {
				if listed[code] == nil {
					listed[code] = map[int]bool{}
				}
				listed[code][status] = true
			}
		}
	}
	statusOf := func(code string, status int, mustList bool) {
		t.Helper()
		switch {
		case listed[code] == nil && mustList:
			t.Errorf("the API answers %d %s, which no operation lists", status, code)
		case listed[code] != nil && (len(listed[code]) != 1 || !listed[code][status]):
			t.Errorf("%s is answered with %d, but listed under %v", code, status, listed[code])
		}
	}
	// Domain errors, by the status of their kind.
	notReachable := map[string]bool{
		models.ErrSlugTaken.Code:          true, // tenant sign-up, not the API
		models.ErrInvitationNotFound.Code: true, // no endpoint reads an invitation by id
		// The console's own: team, event catalog, API keys, campaign pages.
		models.ErrMemberNotFound.Code: true, models.ErrLastOwner.Code: true, models.ErrAlreadyMember.Code: true,
		models.ErrMemberInvitationNotFound.Code: true, models.ErrMemberInvitationUsed.Code: true,
		models.ErrMemberInvitationExpired.Code: true, models.ErrEventNotFound.Code: true,
		models.ErrAPIKeyNotFound.Code: true, models.ErrVersionNotFound.Code: true, models.ErrCampaignExists.Code: true,
	}
	for code, kind := range domainErrorKinds(t) {
		statusOf(code, surface.Status(kind), !notReachable[code])
	}
	for status, code := range fiberCodes {
		statusOf(code, status, status == http.StatusRequestEntityTooLarge)
	}
	statusOf("internal_error", http.StatusInternalServerError, true)
	statusOf("unavailable", http.StatusServiceUnavailable, true)
	statusOf("invalid_api_key", http.StatusUnauthorized, true)
	// The web layer's own errors: newAPIError(status, code, …) and
	// apiError{Status: …, Code: …} in its source.
	for code, status := range sourceErrorCodes(t, ".", func(call *ast.CallExpr) (ast.Expr, ast.Expr, bool) {
		if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "newAPIError" && len(call.Args) >= 2 {
			return call.Args[0], call.Args[1], true
		}
		return nil, nil, false
	}, "apiError") {
		statusOf(code, status, true)
	}
	// The shared body decoder's refusals: jsonbody.Error{Status: …, Code: …}.
	noCalls := func(*ast.CallExpr) (ast.Expr, ast.Expr, bool) { return nil, nil, false }
	for code, status := range sourceErrorCodes(t, "../internal/jsonbody", noCalls, "Error") {
		statusOf(code, status, true)
	}
	// The codes of the hardening review's fixes, each listed on the operations
	// that answer it (bad_input_test.go and auth_test.go produce them).
	for _, want := range []struct {
		op     string
		status string
		code   string
	}{
		{"POST /v1/events", "400", "invalid_idempotency_key"},
		{"POST /v1/participants", "400", "invalid_idempotency_key"},
		{"POST /v1/events", "422", "invalid_properties"},
		{"PUT /v1/campaigns/{slug}", "422", "invalid_url"},
		{"PUT /v1/campaigns/{slug}", "422", "too_many_milestones"},
		{"PUT /v1/campaigns/{slug}", "422", "invalid_amount"},
		{"GET /v1/campaigns", "429", "rate_limited"},
	} {
		found := false
		for _, r := range ops {
			if r.Method+" "+r.Path != want.op {
				continue
			}
			for _, e := range r.Op.Responses {
				found = found || e.Key == want.status && slices.Contains(doc.response(e.Value).ErrorCodes, want.code)
			}
		}
		if !found {
			t.Errorf("%s does not list %s under %s", want.op, want.code, want.status)
		}
	}
	// Models' validation errors, invalid(field, code, …), are 422.
	for code := range sourceErrorCodes(t, "../../models", func(call *ast.CallExpr) (ast.Expr, ast.Expr, bool) {
		if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "invalid" && len(call.Args) >= 2 {
			return ast.NewIdent("StatusUnprocessableEntity"), call.Args[1], true
		}
		return nil, nil, false
	}, "ValidationError") {
		statusOf(code, http.StatusUnprocessableEntity, false)
	}
}

// domainErrorKinds finds the domain errors declared in models, written
// &Error{Kind, "code", "message"}, with their kinds.
func domainErrorKinds(t *testing.T) map[string]models.Kind {
	t.Helper()
	kinds := map[string]models.Kind{"Invalid": models.Invalid, "NotFound": models.NotFound, "Conflict": models.Conflict,
		"Gone": models.Gone, "Forbidden": models.Forbidden, "Limited": models.Limited, "OverLimit": models.OverLimit}
	fset := token.NewFileSet()
	out := map[string]models.Kind{}
	for _, pkg := range []map[string]*ast.File{parseSources(t, fset, "../../models")} {
		for _, file := range pkg {
			ast.Inspect(file, func(n ast.Node) bool {
				lit, ok := n.(*ast.CompositeLit)
				if !ok {
					return true
				}
				if id, isIdent := lit.Type.(*ast.Ident); !isIdent || id.Name != "Error" {
					return true
				}
				if len(lit.Elts) != 3 {
					t.Errorf("%s: a domain error must be written &Error{Kind, \"code\", \"message\"}", fset.Position(lit.Pos()))
					return true
				}
				kindName, _ := lit.Elts[0].(*ast.Ident)
				code, _ := lit.Elts[1].(*ast.BasicLit)
				kind, known := models.Kind(0), false
				if kindName != nil {
					kind, known = kinds[kindName.Name]
				}
				if code == nil || !known {
					t.Errorf("%s: a domain error must be written &Error{Kind, \"code\", \"message\"}", fset.Position(lit.Pos()))
					return true
				}
				unquoted, _ := strconv.Unquote(code.Value)
				out[unquoted] = kind
				return true
			})
		}
	}
	if len(out) < 20 {
		t.Fatalf("found only %d domain errors in models", len(out))
	}
	return out
}

// httpStatuses names the net/http constants the error sites use.
var httpStatuses = map[string]int{
	"StatusBadRequest": 400, "StatusUnauthorized": 401, "StatusForbidden": 403, "StatusNotFound": 404,
	"StatusMethodNotAllowed": 405, "StatusConflict": 409, "StatusGone": 410, "StatusRequestEntityTooLarge": 413,
	"StatusUnsupportedMediaType": 415, "StatusUnprocessableEntity": 422, "StatusTooManyRequests": 429,
	"StatusPaymentRequired": 402, "StatusBadGateway": 502,
}

// sourceErrorCodes finds the error codes built in the non-test Go files of
// dir, by calls that match (returning the status and code arguments) and by
// composite literals of the named type, with their statuses.
func sourceErrorCodes(t *testing.T, dir string, match func(*ast.CallExpr) (ast.Expr, ast.Expr, bool), literal string) map[string]int {
	t.Helper()
	fset := token.NewFileSet()
	pkgs := []map[string]*ast.File{parseSources(t, fset, dir)}
	out := map[string]int{}
	add := func(statusExpr, codeExpr ast.Expr) {
		lit, ok := codeExpr.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return
		}
		code, _ := strconv.Unquote(lit.Value)
		name := ""
		switch x := statusExpr.(type) {
		case *ast.SelectorExpr:
			name = x.Sel.Name
		case *ast.Ident:
			name = x.Name
		}
		status, ok := httpStatuses[name]
		if !ok {
			t.Errorf("%s: status %s of %s is not in httpStatuses", fset.Position(codeExpr.Pos()), name, code)
			return
		}
		out[code] = status
	}
	for _, pkg := range pkgs {
		for _, file := range pkg {
			ast.Inspect(file, func(n ast.Node) bool {
				switch x := n.(type) {
				case *ast.CallExpr:
					if status, code, ok := match(x); ok {
						add(status, code)
					}
				case *ast.CompositeLit:
					if id, ok := x.Type.(*ast.Ident); !ok || id.Name != literal {
						return true
					}
					var status, code ast.Expr = ast.NewIdent("StatusUnprocessableEntity"), nil
					for _, elt := range x.Elts {
						if kv, ok := elt.(*ast.KeyValueExpr); ok {
							switch kv.Key.(*ast.Ident).Name {
							case "Status":
								status = kv.Value
							case "Code":
								code = kv.Value
							}
						}
					}
					if code != nil {
						add(status, code)
					}
				}
				return true
			})
		}
	}
	return out
}

// parseSources parses the non-test Go files of dir, by name (as the
// deprecated parser.ParseDir did, for the one package there).
func parseSources(t *testing.T, fset *token.FileSet, dir string) map[string]*ast.File {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]*ast.File{}
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		if files[name], err = parser.ParseFile(fset, name, nil, 0); err != nil {
			t.Fatal(err)
		}
	}
	return files
}
