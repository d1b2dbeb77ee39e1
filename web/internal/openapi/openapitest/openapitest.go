// Package openapitest holds a surface's answers to its OpenAPI document in
// tests: each response's status (and for an error, its code) must be listed
// for its operation, its body must match the documented schema, the headers
// the surface promises must be documented where they are sent, and error
// messages must be in the surfaces' one style. The API's reference tests
// and the widget's tests share it; it is imported by tests only.
package openapitest

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/tandemhq/tandem/internal/webtest"
	"github.com/tandemhq/tandem/web/internal/openapi"
	"github.com/tandemhq/tandem/web/internal/surface"
)

// Checker checks responses against a document and remembers which
// documented responses it saw.
type Checker struct {
	Doc *openapi.Document
	Ops map[string]*openapi.Operation // "POST /v1/claims"
	// Headers must be documented on a success or a 429 that sends them.
	Headers []string
	routes  []openapi.Route
	mu      sync.Mutex      // tests check from several goroutines
	seen    map[string]bool // "POST /v1/claims 201"
}

// New parses raw and returns its checker.
func New(t testing.TB, raw []byte, headers ...string) *Checker {
	t.Helper()
	doc, err := openapi.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	routes, err := doc.Operations()
	if err != nil {
		t.Fatal(err)
	}
	c := &Checker{Doc: doc, Ops: map[string]*openapi.Operation{}, Headers: headers, routes: routes, seen: map[string]bool{}}
	for _, r := range routes {
		c.Ops[r.Method+" "+r.Path] = r.Op
	}
	return c
}

// Route finds the documented operation ("GET /widget/v1/rewards") a
// request's method and concrete path (query and all) fall under.
func (c *Checker) Route(method, path string) (string, bool) {
	path, _, _ = strings.Cut(path, "?")
	got := strings.Split(path, "/")
	for _, r := range c.routes {
		want := strings.Split(r.Path, "/")
		if r.Method == method && slices.EqualFunc(want, got, segmentMatches) {
			return r.Method + " " + r.Path, true
		}
	}
	return "", false
}

// segmentMatches reports whether a path segment fills a template's: the
// same text, or any text for a parameter ({id}).
func segmentMatches(template, segment string) bool {
	if strings.HasPrefix(template, "{") && strings.HasSuffix(template, "}") {
		return segment != ""
	}
	return template == segment
}

// Check asserts that the document lists the response's status for route
// (and for an error, its code), that its body matches the documented
// schema, that the headers of c.Headers it carries are documented, and
// that an error's message is a sentence.
func (c *Checker) Check(t testing.TB, route string, r webtest.Response) {
	t.Helper()
	op := c.Ops[route]
	if op == nil {
		t.Fatalf("%s is not documented", route)
	}
	status := strconv.Itoa(r.Status)
	ref, ok := op.Responses.Get(status)
	if !ok {
		t.Errorf("%s answered %s, which the document does not list: %s", route, status, r.Body)
		return
	}
	resp := c.Doc.Response(ref)
	if r.Status >= 400 {
		if !slices.Contains(resp.ErrorCodes, r.ErrorCode()) {
			t.Errorf("%s answered %s %q, which the document does not list (it lists %v): %s", route, status, r.ErrorCode(), resp.ErrorCodes, r.Body)
		}
		if e, ok := r.JSON["error"].(map[string]any); ok {
			message, _ := e["message"].(string)
			field, _ := e["field"].(string)
			if surface.Sentence(message, field) != message {
				t.Errorf("%s %s: the message %q is not in the one style (a sentence)", route, status, message)
			}
		}
	}
	if media, ok := resp.Content["application/json"]; ok {
		var body any
		if err := json.Unmarshal(r.Body, &body); err != nil {
			t.Errorf("%s %s: the body is not JSON: %s", route, status, r.Body)
		} else if errs := c.Doc.Validate(media.Schema, body, "body"); len(errs) > 0 {
			t.Errorf("%s %s: the body does not match the document:\n  %s\n%s", route, status, strings.Join(errs, "\n  "), r.Body)
		}
	}
	if r.Status < 300 || r.Status == http.StatusTooManyRequests {
		for _, h := range c.Headers {
			if _, documented := resp.Headers.Get(h); r.Header.Get(h) != "" && !documented {
				t.Errorf("%s %s: header %s is sent but not documented", route, status, h)
			}
		}
	}
	c.mu.Lock()
	c.seen[route+" "+status] = true
	c.mu.Unlock()
}

// Unseen lists the documented successes ("GET /v1/campaigns 200") that no
// check saw.
func (c *Checker) Unseen() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, r := range c.routes {
		for _, e := range r.Op.Responses {
			key := r.Method + " " + r.Path + " " + e.Key
			if strings.HasPrefix(e.Key, "2") && !c.seen[key] {
				out = append(out, key)
			}
		}
	}
	return out
}

// ListsExactly checks that the document's operations are the routes
// served, given as Fiber registers them ("GET /v1/rewards/:id"): none
// served undocumented, none documented unserved.
func (c *Checker) ListsExactly(t testing.TB, served []string) {
	t.Helper()
	documented := map[string]bool{}
	for _, r := range c.routes {
		path := strings.NewReplacer("{", ":", "}", "").Replace(r.Path)
		documented[r.Method+" "+path] = true
	}
	for _, route := range served {
		if !documented[route] {
			t.Errorf("%s is served but not documented", route)
		}
		delete(documented, route)
	}
	for route := range documented {
		t.Errorf("%s is documented but not served", route)
	}
}
