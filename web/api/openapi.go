package api

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
)

// openapiJSON is the OpenAPI 3.1 document of API v1, served as is at
// /v1/openapi.json and rendered at /docs/api. It is written by hand; the
// tests in reference_test.go hold it to the routes and to the shapes
// the handlers really answer.
//
//go:embed openapi/openapi.json
var openapiJSON []byte

// loadOpenAPI parses the document once.
var loadOpenAPI = sync.OnceValues(func() (*oaDocument, error) {
	var doc oaDocument
	if err := json.Unmarshal(openapiJSON, &doc); err != nil {
		return nil, fmt.Errorf("api: parse openapi.json: %w", err)
	}
	return &doc, nil
})

// oaDocument is the part of an OpenAPI document the reference page and
// the tests read. Objects whose order matters to a reader are ordered.
type oaDocument struct {
	OpenAPI string `json:"openapi"`
	Info    struct {
		Title       string `json:"title"`
		Version     string `json:"version"`
		Summary     string `json:"summary"`
		Description string `json:"description"`
	} `json:"info"`
	Tags       []oaTag                           `json:"tags"`
	Paths      ordered[ordered[json.RawMessage]] `json:"paths"`
	Components struct {
		Parameters ordered[*oaParameter] `json:"parameters"`
		Headers    ordered[*oaHeader]    `json:"headers"`
		Responses  ordered[*oaResponse]  `json:"responses"`
		Schemas    ordered[*oaSchema]    `json:"schemas"`
	} `json:"components"`
}

type oaTag struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

type oaOperation struct {
	OperationID string               `json:"operationId"`
	Tags        []string             `json:"tags"`
	Summary     string               `json:"summary"`
	Description string               `json:"description"`
	Parameters  []*oaParameter       `json:"parameters"`
	RequestBody *oaRequestBody       `json:"requestBody"`
	Responses   ordered[*oaResponse] `json:"responses"`
	// Security is nil when the document's default (a secret key) applies
	// and empty for a public operation.
	Security *[]map[string][]string `json:"security"`
}

type oaParameter struct {
	Ref         string    `json:"$ref"`
	Name        string    `json:"name"`
	In          string    `json:"in"`
	Required    bool      `json:"required"`
	Description string    `json:"description"`
	Schema      *oaSchema `json:"schema"`
}

type oaHeader struct {
	Ref         string    `json:"$ref"`
	Description string    `json:"description"`
	Schema      *oaSchema `json:"schema"`
}

type oaMediaType struct {
	Schema *oaSchema `json:"schema"`
}

type oaRequestBody struct {
	Required bool                   `json:"required"`
	Content  map[string]oaMediaType `json:"content"`
}

type oaResponse struct {
	Ref         string                 `json:"$ref"`
	Description string                 `json:"description"`
	Headers     ordered[*oaHeader]     `json:"headers"`
	Content     map[string]oaMediaType `json:"content"`
	ErrorCodes  []string               `json:"x-error-codes"`
}

// oaSchema is the JSON Schema subset the document uses.
type oaSchema struct {
	Ref                  string             `json:"$ref"`
	Type                 oaTypes            `json:"type"`
	Description          string             `json:"description"`
	Format               string             `json:"format"`
	Pattern              string             `json:"pattern"`
	Enum                 []any              `json:"enum"`
	Const                any                `json:"const"`
	Default              any                `json:"default"`
	Minimum              *float64           `json:"minimum"`
	Maximum              *float64           `json:"maximum"`
	MinLength            *int               `json:"minLength"`
	MaxLength            *int               `json:"maxLength"`
	MinItems             *int               `json:"minItems"`
	MaxItems             *int               `json:"maxItems"`
	UniqueItems          bool               `json:"uniqueItems"`
	Items                *oaSchema          `json:"items"`
	Properties           ordered[*oaSchema] `json:"properties"`
	Required             []string           `json:"required"`
	AdditionalProperties *bool              `json:"additionalProperties"`
	OneOf                []*oaSchema        `json:"oneOf"`
}

// oaTypes is a schema's type: one name, or a list such as
// ["string", "null"].
type oaTypes []string

func (t *oaTypes) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*t = oaTypes{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return fmt.Errorf("schema type: %w", err)
	}
	*t = many
	return nil
}

func (t oaTypes) has(name string) bool {
	for _, n := range t {
		if n == name {
			return true
		}
	}
	return false
}

// httpMethods are the operation keys of a path item, in the order the
// reference lists them.
var httpMethods = []string{"get", "put", "post", "delete", "patch", "head", "options", "trace"}

// oaRoute is one documented operation.
type oaRoute struct {
	Method string // upper case
	Path   string // as documented: /v1/campaigns/{slug}
	Op     *oaOperation
}

// operations returns every documented operation in document order.
func (d *oaDocument) operations() ([]oaRoute, error) {
	var out []oaRoute
	for _, item := range d.Paths {
		for _, method := range httpMethods {
			raw, ok := item.Value.get(method)
			if !ok {
				continue
			}
			var op oaOperation
			if err := json.Unmarshal(raw, &op); err != nil {
				return nil, fmt.Errorf("api: openapi %s %s: %w", method, item.Key, err)
			}
			out = append(out, oaRoute{Method: strings.ToUpper(method), Path: item.Key, Op: &op})
		}
	}
	return out, nil
}

// componentName is the last part of a local reference
// (#/components/schemas/Campaign → Campaign).
func componentName(ref string) string {
	return ref[strings.LastIndexByte(ref, '/')+1:]
}

// schema resolves a schema reference.
func (d *oaDocument) schema(s *oaSchema) *oaSchema {
	for depth := 0; s != nil && s.Ref != "" && depth < 8; depth++ {
		next, _ := d.Components.Schemas.get(componentName(s.Ref))
		s = next
	}
	return s
}

// parameter resolves a parameter reference.
func (d *oaDocument) parameter(p *oaParameter) *oaParameter {
	if p != nil && p.Ref != "" {
		p, _ = d.Components.Parameters.get(componentName(p.Ref))
	}
	return p
}

// response resolves a response reference.
func (d *oaDocument) response(r *oaResponse) *oaResponse {
	if r != nil && r.Ref != "" {
		r, _ = d.Components.Responses.get(componentName(r.Ref))
	}
	return r
}

// ordered is a JSON object that remembers the order of its keys.
type ordered[T any] []entry[T]

type entry[T any] struct {
	Key   string
	Value T
}

func (o ordered[T]) get(key string) (T, bool) {
	for _, e := range o {
		if e.Key == key {
			return e.Value, true
		}
	}
	var zero T
	return zero, false
}

func (o *ordered[T]) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return errors.New("expected a JSON object")
	}
	*o = nil
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		var v T
		if err := dec.Decode(&v); err != nil {
			return fmt.Errorf("%v: %w", tok, err)
		}
		*o = append(*o, entry[T]{Key: tok.(string), Value: v})
	}
	_, err := dec.Token()
	return err
}
