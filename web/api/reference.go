package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/views"
	"github.com/tandemhq/tandem/web/internal/openapi"
)

// showAPIReferencePage renders the OpenAPI document as a readable page.
func (h *handler) showAPIReferencePage(c *fiber.Ctx) error {
	ref, err := loadAPIReference()
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := views.APIReferencePage(ref).Render(c.UserContext(), &buf); err != nil {
		return fmt.Errorf("api: render api reference: %w", err)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	referencePageHeaders(c)
	return c.Send(buf.Bytes())
}

// loadAPIReference turns the document into the page's model once.
var loadAPIReference = sync.OnceValues(func() (views.APIReference, error) {
	doc, err := loadOpenAPI()
	if err != nil {
		return views.APIReference{}, err
	}
	return newAPIReference(doc)
})

func newAPIReference(doc *openapi.Document) (views.APIReference, error) {
	ref := views.APIReference{Title: doc.Info.Title, Version: doc.Info.Version, Summary: doc.Info.Summary,
		DocumentURL: "/v1/openapi.json"}
	for _, p := range strings.Split(doc.Info.Description, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			ref.Intro = append(ref.Intro, docText(p))
		}
	}
	ops, err := doc.Operations()
	if err != nil {
		return views.APIReference{}, err
	}
	tagIndex := map[string]int{}
	for _, t := range doc.Tags {
		tagIndex[t.Name] = len(ref.Tags)
		ref.Tags = append(ref.Tags, views.APITag{ID: "tag-" + docAnchor(t.Name), Name: t.Name, Description: docText(t.Description)})
	}
	for _, r := range ops {
		if len(r.Op.Tags) == 0 {
			return views.APIReference{}, fmt.Errorf("api: openapi %s %s has no tag", r.Method, r.Path)
		}
		i, ok := tagIndex[r.Op.Tags[0]]
		if !ok {
			return views.APIReference{}, fmt.Errorf("api: openapi %s %s: undeclared tag %q", r.Method, r.Path, r.Op.Tags[0])
		}
		ref.Tags[i].Operations = append(ref.Tags[i].Operations, newAPIOperation(doc, r))
	}
	for _, s := range doc.Components.Schemas {
		ref.Schemas = append(ref.Schemas, views.APISchema{ID: "schema-" + s.Key, Name: s.Key,
			Description: docText(s.Value.Description), Fields: schemaFields(doc, "", s.Value, false, 0)})
	}
	return ref, nil
}

func newAPIOperation(doc *openapi.Document, r openapi.Route) views.APIOperation {
	op := views.APIOperation{ID: "op-" + r.Op.OperationID, Method: r.Method, Path: r.Path, Summary: r.Op.Summary,
		Description: docText(r.Op.Description), Public: r.Op.Security != nil && len(*r.Op.Security) == 0}
	for _, p := range r.Op.Parameters {
		p = doc.Parameter(p)
		if p == nil {
			continue
		}
		f := views.APIField{Name: p.Name, In: p.In, Required: p.Required, Description: docText(p.Description)}
		f.Type, f.TypeLink = schemaType(p.Schema)
		f.Constraints = constraints(doc.Schema(p.Schema))
		op.Params = append(op.Params, f)
	}
	if rb := r.Op.RequestBody; rb != nil {
		schema := rb.Content[fiber.MIMEApplicationJSON].Schema
		body := &views.APIBody{Required: rb.Required}
		body.Schema, body.SchemaLink = schemaType(schema)
		body.Fields = schemaFields(doc, "", doc.Schema(schema), true, 0)
		op.Body = body
	}
	for _, e := range r.Op.Responses {
		resp := doc.Response(e.Value)
		if resp == nil {
			continue
		}
		out := views.APIResponse{Status: e.Key, Description: docText(resp.Description), ErrorCodes: resp.ErrorCodes}
		if media, ok := resp.Content[fiber.MIMEApplicationJSON]; ok {
			out.Schema, out.SchemaLink = schemaType(media.Schema)
		}
		for _, h := range resp.Headers {
			out.Headers = append(out.Headers, h.Key)
		}
		op.Responses = append(op.Responses, out)
	}
	return op
}

// schemaFields lists the properties of an object schema. With expand, the
// properties of nested objects follow their parent, named by path
// (quest.steps, host_milestones[].reward.kind), so a request body reads as
// one table.
func schemaFields(doc *openapi.Document, prefix string, s *openapi.Schema, expand bool, depth int) []views.APIField {
	if s == nil || depth > 4 {
		return nil
	}
	var out []views.APIField
	for _, p := range s.Properties {
		f := views.APIField{Name: prefix + p.Key, Required: slices.Contains(s.Required, p.Key)}
		f.Type, f.TypeLink = schemaType(p.Value)
		target := doc.Schema(nonNull(p.Value))
		desc := p.Value.Description
		if desc == "" {
			desc = describedBy(target, p.Value)
		}
		f.Description = docText(desc)
		f.Constraints = constraints(target)
		out = append(out, f)
		if !expand || target == nil {
			continue
		}
		switch {
		case len(target.Properties) > 0:
			out = append(out, schemaFields(doc, f.Name+".", target, expand, depth+1)...)
		case target.Items != nil:
			if items := doc.Schema(target.Items); items != nil && len(items.Properties) > 0 {
				out = append(out, schemaFields(doc, f.Name+"[].", items, expand, depth+1)...)
			}
		}
	}
	return out
}

// describedBy is the description of a referenced schema, used when the
// property itself has none.
func describedBy(target, s *openapi.Schema) string {
	if target == nil || target == s {
		return ""
	}
	return target.Description
}

// nonNull is the schema of a nullable reference (oneOf: [X, null]): X.
func nonNull(s *openapi.Schema) *openapi.Schema {
	if s == nil || len(s.OneOf) == 0 {
		return s
	}
	for _, o := range s.OneOf {
		if !(len(o.Type) == 1 && o.Type[0] == "null") {
			return o
		}
	}
	return s
}

// schemaType names a schema's type for people, and links to it when it
// is a named schema.
func schemaType(s *openapi.Schema) (name, link string) {
	if s == nil {
		return "", ""
	}
	if s.Ref != "" {
		n := openapi.ComponentName(s.Ref)
		return n, "#schema-" + n
	}
	if len(s.OneOf) > 0 {
		var names []string
		for _, o := range s.OneOf {
			n, l := schemaType(o)
			names = append(names, n)
			if link == "" {
				link = l
			}
		}
		return strings.Join(names, " | "), link
	}
	if s.Const != nil {
		raw, _ := json.Marshal(s.Const)
		return string(raw), ""
	}
	var names []string
	for _, t := range s.Type {
		switch {
		case t == "array" && s.Items != nil:
			n, l := schemaType(s.Items)
			t, link = "array of "+n, l
		case s.Format != "" && t != "null":
			t += " (" + s.Format + ")"
		}
		names = append(names, t)
	}
	return strings.Join(names, " | "), link
}

// constraints lists what a value must be, in words.
func constraints(s *openapi.Schema) []string {
	if s == nil {
		return nil
	}
	var out []string
	if len(s.Enum) > 0 {
		vals := make([]string, len(s.Enum))
		for i, v := range s.Enum {
			vals[i] = fmt.Sprint(v)
		}
		out = append(out, "one of: "+strings.Join(vals, ", "))
	}
	if s.Pattern != "" {
		out = append(out, "pattern: "+s.Pattern)
	}
	switch {
	case s.MinLength != nil && s.MaxLength != nil:
		out = append(out, fmt.Sprintf("%d to %d characters", *s.MinLength, *s.MaxLength))
	case s.MaxLength != nil:
		out = append(out, fmt.Sprintf("at most %d characters", *s.MaxLength))
	case s.MinLength != nil:
		out = append(out, fmt.Sprintf("at least %d characters", *s.MinLength))
	}
	switch {
	case s.Minimum != nil && s.Maximum != nil:
		out = append(out, fmt.Sprintf("from %s to %s", docNumber(*s.Minimum), docNumber(*s.Maximum)))
	case s.Minimum != nil:
		out = append(out, "at least "+docNumber(*s.Minimum))
	case s.Maximum != nil:
		out = append(out, "at most "+docNumber(*s.Maximum))
	}
	switch {
	case s.MinItems != nil && s.MaxItems != nil:
		out = append(out, fmt.Sprintf("%d to %d items", *s.MinItems, *s.MaxItems))
	case s.MaxItems != nil:
		out = append(out, fmt.Sprintf("at most %d items", *s.MaxItems))
	case s.MinItems != nil:
		out = append(out, fmt.Sprintf("at least %d items", *s.MinItems))
	}
	if s.UniqueItems {
		out = append(out, "no repeats")
	}
	if s.Default != nil {
		raw, _ := json.Marshal(s.Default)
		out = append(out, "default "+string(raw))
	}
	return out
}

func docNumber(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// docText splits text on backquotes: what they enclose is code.
func docText(s string) views.APIText {
	var out views.APIText
	for i, part := range strings.Split(s, "`") {
		if part != "" {
			out = append(out, views.APISpan{Text: part, Code: i%2 == 1})
		}
	}
	return out
}

// docAnchor makes a name usable as an HTML id: "Event definitions" →
// "event-definitions".
func docAnchor(name string) string {
	return strings.Join(strings.Fields(strings.ToLower(name)), "-")
}
