package api

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tandemhq/tandem/web/internal/openapi"
	"github.com/tandemhq/tandem/web/internal/openapi/openapitest"
)

// docChecker checks responses against the document (openapitest) and
// remembers which documented responses it saw.
type docChecker struct {
	*openapitest.Checker
	doc *openapi.Document
	ops map[string]*openapi.Operation // "POST /v1/claims"
}

func newDocChecker(t *testing.T) *docChecker {
	c := openapitest.New(t, openapiJSON, "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "RateLimit-Policy",
		"Retry-After", "Idempotent-Replayed")
	return &docChecker{Checker: c, doc: c.Doc, ops: c.Ops}
}

// call sends a request to the documented operation route ("POST
// /v1/rewards/{id}/redeem", with a query string if any), with params
// filling the path's parameters in order, and checks the answer against
// the document.
func (dc *docChecker) call(t *testing.T, a *apiTenant, route string, params []string, body any, headers ...string) apiResponse {
	t.Helper()
	method, target, _ := strings.Cut(route, " ")
	path, query, _ := strings.Cut(target, "?")
	i := 0
	concrete := pathParamPattern.ReplaceAllStringFunc(path, func(string) string {
		if i >= len(params) {
			t.Fatalf("%s: too few path parameters", route)
		}
		i++
		return url.PathEscape(params[i-1])
	})
	if query != "" {
		concrete += "?" + query
	}
	r := a.call(t, method, concrete, body, headers...)
	dc.Check(t, method+" "+path, r)
	return r
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
			if p = dc.doc.Parameter(p); p != nil && p.In == "query" {
				concrete := pathParamPattern.ReplaceAllString(r.Path, "no-such-thing")
				for _, q := range []string{"?limit=0", "?limit=x", "?starting_after=nope"} {
					dc.Check(t, route, a.call(t, r.Method, concrete+q, nil))
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
