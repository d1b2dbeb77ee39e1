package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/gofiber/fiber/v2"
	"github.com/tandemhq/tandem/web/internal/openapi"
	"github.com/tandemhq/tandem/web/internal/openapi/openapitest"
)

// The tests in this file keep the OpenAPI document honest: it is
// well-formed, it lists exactly the routes Fiber serves under /v1, every
// documented operation answers, every response the API gives in a walk
// through both campaign modes is documented (status, error code, headers)
// and matches its schema, the request schemas name exactly the fields the
// handlers decode, and the reference page shows all of it.

func openAPIDoc(t *testing.T) (*openapi.Document, []openapi.Route) {
	t.Helper()
	doc, err := loadOpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	ops, err := doc.Operations()
	if err != nil {
		t.Fatal(err)
	}
	return doc, ops
}

var pathParamPattern = regexp.MustCompile(`\{([^}]+)\}`)

func TestOpenAPIDocumentIsWellFormed(t *testing.T) {
	openapitest.WellFormed(t, openapiJSON)
	doc, ops := openAPIDoc(t)
	for _, r := range ops {
		name, op := r.Method+" "+r.Path, r.Op
		if !strings.HasPrefix(r.Path, "/v1/") {
			t.Errorf("%s: every API path starts with /v1/", name)
		}
		public := op.Security != nil && len(*op.Security) == 0
		idempotencyHeader := false
		for _, p := range op.Parameters {
			if p = doc.Parameter(p); p != nil && p.In == "header" {
				idempotencyHeader = idempotencyHeader || p.Name == "Idempotency-Key"
			}
		}
		// Every keyed POST takes an Idempotency-Key, except the batch,
		// which refuses one (each event carries its own key).
		if r.Method == "POST" && !public && !idempotencyHeader && r.Path != "/v1/events/batch" {
			t.Errorf("%s: a POST documents the Idempotency-Key header", name)
		}
		if rb := op.RequestBody; rb != nil {
			if media, ok := rb.Content[fiber.MIMEApplicationJSON]; ok {
				// decodeJSON refuses unknown fields at every depth.
				checkClosed(t, doc, name+" request", media.Schema, map[*openapi.Schema]bool{})
			}
		}
		want := []string{"500"}
		if !public {
			want = append(want, "401", "403", "429")
		}
		for _, status := range want {
			if _, ok := op.Responses.Get(status); !ok {
				t.Errorf("%s: documents no %s", name, status)
			}
		}
	}
}

// checkClosed asserts that every object schema under s with properties
// refuses other properties. A free object (properties of an event) has
// none and stays open.
func checkClosed(t *testing.T, doc *openapi.Document, at string, s *openapi.Schema, seen map[*openapi.Schema]bool) {
	t.Helper()
	s = doc.Schema(s)
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
	if s.Type.Has("object") && (len(s.Properties) > 0 || s.AdditionalProperties != nil) &&
		(s.AdditionalProperties == nil || *s.AdditionalProperties) {
		t.Errorf("%s: the server refuses unknown fields, so the schema says additionalProperties: false", at)
	}
	for _, p := range s.Properties {
		checkClosed(t, doc, at+"."+p.Key, p.Value, seen)
	}
}

func TestOpenAPIListsEveryRoute(t *testing.T) {
	var served []string
	for _, route := range newTestApp(testConfig{DB: env.App}).GetRoutes(true) {
		if route.Method != fiber.MethodHead && len(route.Handlers) > 0 && (route.Path == "/v1" || strings.HasPrefix(route.Path, "/v1/")) {
			served = append(served, route.Method+" "+route.Path)
		}
	}
	newDocChecker(t).ListsExactly(t, served)
}

func TestOpenAPIDocumentIsServed(t *testing.T) {
	app := newTestApp(testConfig{DB: env.App, PublicURL: "https://referrals.example.com/"})
	r := doRequest(t, app, "GET", "/v1/openapi.json", nil)
	if r.Status != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("got %d %s", r.Status, r.Header.Get("Content-Type"))
	}
	// The embedded document, naming the server it is served from.
	served, err := openapi.Parse(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Servers []struct{ URL string } `json:"servers"`
		Info    struct {
			Contact struct{ URL string }       `json:"contact"`
			License struct{ Name, URL string } `json:"license"`
		} `json:"info"`
	}
	if err := json.Unmarshal(r.Body, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Servers) != 1 || doc.Servers[0].URL != "https://referrals.example.com" ||
		!strings.HasPrefix(doc.Info.Contact.URL, "https://referrals.example.com/") ||
		!strings.HasPrefix(doc.Info.License.URL, "https://referrals.example.com/") || doc.Info.License.Name == "" {
		t.Errorf("servers %+v, contact and license %+v", doc.Servers, doc.Info)
	}
	committed, _ := openAPIDoc(t)
	if len(served.Paths) != len(committed.Paths) || len(served.Components.Schemas) != len(committed.Components.Schemas) {
		t.Error("the served document is not the committed one")
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
			for _, code := range doc.Response(e.Value).ErrorCodes {
				if !slices.Contains(codes, code) {
					t.Errorf("%s %s: error code %s is not shown", op.Method, op.Path, code)
				}
			}
		}
		if rb := op.Op.RequestBody; rb != nil {
			body := doc.Schema(rb.Content[fiber.MIMEApplicationJSON].Schema)
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
