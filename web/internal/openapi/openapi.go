// Package openapi reads the OpenAPI documents web serves (the API's and
// the widget's): the part of OpenAPI 3.1 they use, with the order of the
// objects a reader cares about kept, and the values a response may hold
// (Validate). The reference page renders it; the conformance tests
// (openapitest) hold each surface's answers to it.
package openapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Parse reads a document.
func Parse(raw []byte) (*Document, error) {
	var doc Document
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("openapi: parse: %w", err)
	}
	return &doc, nil
}

// Document is the part of an OpenAPI document the reference page and
// the tests read. Objects whose order matters to a reader are ordered.
type Document struct {
	OpenAPI string `json:"openapi"`
	Info    struct {
		Title       string `json:"title"`
		Version     string `json:"version"`
		Summary     string `json:"summary"`
		Description string `json:"description"`
	} `json:"info"`
	Tags  []Tag                             `json:"tags"`
	Paths Ordered[Ordered[json.RawMessage]] `json:"paths"`
	// Webhooks are the messages Tandem sends, by type (OAS 3.1).
	Webhooks   Ordered[Ordered[json.RawMessage]] `json:"webhooks"`
	Components struct {
		Parameters Ordered[*Parameter] `json:"parameters"`
		Headers    Ordered[*Header]    `json:"headers"`
		Responses  Ordered[*Response]  `json:"responses"`
		Schemas    Ordered[*Schema]    `json:"schemas"`
	} `json:"components"`
}

type Tag struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

type Operation struct {
	OperationID string             `json:"operationId"`
	Tags        []string           `json:"tags"`
	Summary     string             `json:"summary"`
	Description string             `json:"description"`
	Parameters  []*Parameter       `json:"parameters"`
	RequestBody *RequestBody       `json:"requestBody"`
	Responses   Ordered[*Response] `json:"responses"`
	// Security is nil when the document's default (a secret key) applies
	// and empty for a public operation.
	Security *[]map[string][]string `json:"security"`
}

type Parameter struct {
	Ref         string  `json:"$ref"`
	Name        string  `json:"name"`
	In          string  `json:"in"`
	Required    bool    `json:"required"`
	Description string  `json:"description"`
	Schema      *Schema `json:"schema"`
}

type Header struct {
	Ref         string  `json:"$ref"`
	Description string  `json:"description"`
	Schema      *Schema `json:"schema"`
}

type MediaType struct {
	Schema *Schema `json:"schema"`
}

type RequestBody struct {
	Required bool                 `json:"required"`
	Content  map[string]MediaType `json:"content"`
}

type Response struct {
	Ref         string               `json:"$ref"`
	Description string               `json:"description"`
	Headers     Ordered[*Header]     `json:"headers"`
	Content     map[string]MediaType `json:"content"`
	ErrorCodes  []string             `json:"x-error-codes"`
}

// Schema is the JSON Schema subset the document uses.
type Schema struct {
	Ref                  string           `json:"$ref"`
	Type                 Types            `json:"type"`
	Description          string           `json:"description"`
	Format               string           `json:"format"`
	Pattern              string           `json:"pattern"`
	Enum                 []any            `json:"enum"`
	Const                any              `json:"const"`
	Default              any              `json:"default"`
	Minimum              *float64         `json:"minimum"`
	Maximum              *float64         `json:"maximum"`
	MinLength            *int             `json:"minLength"`
	MaxLength            *int             `json:"maxLength"`
	MinItems             *int             `json:"minItems"`
	MaxItems             *int             `json:"maxItems"`
	UniqueItems          bool             `json:"uniqueItems"`
	Items                *Schema          `json:"items"`
	Properties           Ordered[*Schema] `json:"properties"`
	Required             []string         `json:"required"`
	AdditionalProperties *bool            `json:"additionalProperties"`
	OneOf                []*Schema        `json:"oneOf"`
}

// Types is a schema's type: one name, or a list such as
// ["string", "null"].
type Types []string

func (t *Types) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*t = Types{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return fmt.Errorf("schema type: %w", err)
	}
	*t = many
	return nil
}

func (t Types) Has(name string) bool {
	for _, n := range t {
		if n == name {
			return true
		}
	}
	return false
}

// HTTPMethods are the operation keys of a path item, in the order the
// reference lists them.
var HTTPMethods = []string{"get", "put", "post", "delete", "patch", "head", "options", "trace"}

// Route is one documented operation.
type Route struct {
	Method string // upper case
	Path   string // as documented: /v1/campaigns/{slug}
	Op     *Operation
}

// Operations returns every documented operation in document order.
func (d *Document) Operations() ([]Route, error) {
	var out []Route
	for _, item := range d.Paths {
		for _, method := range HTTPMethods {
			raw, ok := item.Value.Get(method)
			if !ok {
				continue
			}
			var op Operation
			if err := json.Unmarshal(raw, &op); err != nil {
				return nil, fmt.Errorf("openapi: %s %s: %w", method, item.Key, err)
			}
			out = append(out, Route{Method: strings.ToUpper(method), Path: item.Key, Op: &op})
		}
	}
	return out, nil
}

// ComponentName is the last part of a local reference
// (#/components/schemas/Campaign → Campaign).
func ComponentName(ref string) string {
	return ref[strings.LastIndexByte(ref, '/')+1:]
}

// Schema resolves a schema reference.
func (d *Document) Schema(s *Schema) *Schema {
	for depth := 0; s != nil && s.Ref != "" && depth < 8; depth++ {
		next, _ := d.Components.Schemas.Get(ComponentName(s.Ref))
		s = next
	}
	return s
}

// Parameter resolves a parameter reference.
func (d *Document) Parameter(p *Parameter) *Parameter {
	if p != nil && p.Ref != "" {
		p, _ = d.Components.Parameters.Get(ComponentName(p.Ref))
	}
	return p
}

// Response resolves a response reference.
func (d *Document) Response(r *Response) *Response {
	if r != nil && r.Ref != "" {
		r, _ = d.Components.Responses.Get(ComponentName(r.Ref))
	}
	return r
}

// Ordered is a JSON object that remembers the order of its keys.
type Ordered[T any] []Entry[T]

type Entry[T any] struct {
	Key   string
	Value T
}

func (o Ordered[T]) Get(key string) (T, bool) {
	for _, e := range o {
		if e.Key == key {
			return e.Value, true
		}
	}
	var zero T
	return zero, false
}

func (o *Ordered[T]) UnmarshalJSON(b []byte) error {
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
		*o = append(*o, Entry[T]{Key: tok.(string), Value: v})
	}
	_, err := dec.Token()
	return err
}
