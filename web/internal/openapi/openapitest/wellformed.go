package openapitest

import (
	"encoding/json"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/tandemhq/tandem/web/internal/openapi"
)

var pathParam = regexp.MustCompile(`\{([^}]+)\}`)

// WellFormed checks what every document of Tandem's holds to, whatever
// its surface: OpenAPI 3.1 with a title and a version; an absolute server
// URL (the served copy names its own), a contact and a licence; local
// references that resolve; each operation with a unique operationId, a
// summary, a description and one declared tag, its path parameters
// declared as its template names them, a JSON request body if any, a
// success, and every error answered in the Error schema with its codes
// listed (x-error-codes) and named in its description.
func WellFormed(t *testing.T, raw []byte) {
	t.Helper()
	doc, err := openapi.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1.") || doc.Info.Title == "" || doc.Info.Version == "" {
		t.Errorf("openapi %q, info %q %q: want 3.1.x, a title and a version", doc.OpenAPI, doc.Info.Title, doc.Info.Version)
	}
	var head struct {
		Servers []struct{ URL string } `json:"servers"`
		Info    struct {
			Contact struct{ URL string }       `json:"contact"`
			License struct{ Name, URL string } `json:"license"`
		} `json:"info"`
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		t.Fatal(err)
	}
	if len(head.Servers) == 0 || !strings.HasPrefix(head.Servers[0].URL, "http") ||
		head.Info.Contact.URL == "" || head.Info.License.Name == "" || head.Info.License.URL == "" {
		t.Errorf("servers %+v, info %+v: an absolute server URL, a contact and a licence", head.Servers, head.Info)
	}

	var tree any
	if err := json.Unmarshal(raw, &tree); err != nil {
		t.Fatal(err)
	}
	walkRefs(tree, func(ref string) {
		node := tree
		for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
			m, _ := node.(map[string]any)
			if node = m[part]; node == nil || !strings.HasPrefix(ref, "#/") {
				t.Errorf("reference %q is not local or does not resolve", ref)
				return
			}
		}
	})

	routes, err := doc.Operations()
	if err != nil {
		t.Fatal(err)
	}
	tags := map[string]bool{}
	for _, tag := range doc.Tags {
		tags[tag.Name] = true
	}
	ids := map[string]bool{}
	for _, r := range routes {
		name, op := r.Method+" "+r.Path, r.Op
		if op.OperationID == "" || ids[op.OperationID] {
			t.Errorf("%s: operationId %q is missing or not unique", name, op.OperationID)
		}
		ids[op.OperationID] = true
		if op.Summary == "" || op.Description == "" || len(op.Tags) != 1 || !tags[op.Tags[0]] {
			t.Errorf("%s: needs a summary, a description and one declared tag", name)
		}
		var declared, inPath []string
		for _, p := range op.Parameters {
			if p = doc.Parameter(p); p == nil {
				t.Errorf("%s: a parameter does not resolve", name)
			} else if p.In == "path" {
				declared = append(declared, p.Name)
				if !p.Required {
					t.Errorf("%s: path parameter %s must be required", name, p.Name)
				}
			}
		}
		for _, m := range pathParam.FindAllStringSubmatch(r.Path, -1) {
			inPath = append(inPath, m[1])
		}
		sort.Strings(declared)
		sort.Strings(inPath)
		if !slices.Equal(declared, inPath) {
			t.Errorf("%s: path parameters %v, template has %v", name, declared, inPath)
		}
		if rb := op.RequestBody; rb != nil {
			if media, ok := rb.Content["application/json"]; !ok || media.Schema == nil {
				t.Errorf("%s: the request body is application/json with a schema", name)
			}
		}
		success := false
		for _, e := range op.Responses {
			status, err := strconv.Atoi(e.Key)
			resp := doc.Response(e.Value)
			if err != nil || resp == nil {
				t.Errorf("%s: response %q is not a status or does not resolve", name, e.Key)
				continue
			}
			if status < 300 {
				success = true
				continue
			}
			if media, ok := resp.Content["application/json"]; !ok || media.Schema == nil || media.Schema.Ref != "#/components/schemas/Error" {
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
