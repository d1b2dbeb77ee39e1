package views

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
)

// AuditChange is one field an audited change touched: its dotted path in
// the subject's JSON and its value before and after ("" when absent).
type AuditChange struct {
	Field  string
	Before string
	After  string
	// Kind is "added", "removed" or "changed".
	Kind string
}

// maxAuditChanges bounds the fields one entry shows.
const maxAuditChanges = 60

// AuditChanges compares an audit entry's before and after snapshots field
// by field: nested objects are walked into ("campaign.name"), arrays and
// scalars compared whole. Unchanged fields are left out. When before holds
// only some of after's fields (a reward's {"status": "issued"} before its
// whole record after), the others are context, not changes, and are left
// out too.
func AuditChanges(before, after []byte) []AuditChange {
	b, a := auditFields(before), auditFields(after)
	partialBefore := len(b) > 0
	for k := range b {
		if _, ok := a[k]; !ok {
			partialBefore = false
			break
		}
	}
	keys := make([]string, 0, len(a)+len(b))
	for k := range b {
		keys = append(keys, k)
	}
	for k := range a {
		if _, ok := b[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var out []AuditChange
	for _, k := range keys {
		bv, inBefore := b[k]
		av, inAfter := a[k]
		switch {
		case inBefore && inAfter && bv == av:
			continue
		case !inBefore && partialBefore:
			continue
		case !inBefore:
			out = append(out, AuditChange{Field: k, After: av, Kind: "added"})
		case !inAfter:
			out = append(out, AuditChange{Field: k, Before: bv, Kind: "removed"})
		default:
			out = append(out, AuditChange{Field: k, Before: bv, After: av, Kind: "changed"})
		}
		if len(out) == maxAuditChanges {
			break
		}
	}
	return out
}

// auditFields flattens a JSON snapshot into its leaf values by path; the
// whole value is at "" when it is not an object.
func auditFields(raw []byte) map[string]string {
	out := map[string]string{}
	if len(bytes.TrimSpace(raw)) == 0 || string(bytes.TrimSpace(raw)) == "null" {
		return out
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		out[""] = string(raw)
		return out
	}
	flattenAuditValue("", v, out)
	return out
}

func flattenAuditValue(path string, v any, out map[string]string) {
	if m, ok := v.(map[string]any); ok && len(m) > 0 {
		for k, child := range m {
			p := k
			if path != "" {
				p = path + "." + k
			}
			flattenAuditValue(p, child, out)
		}
		return
	}
	out[path] = auditValueText(v)
}

// auditValueText writes a JSON value for people: strings without quotes,
// null as an em dash, arrays and objects as compact JSON.
func auditValueText(v any) string {
	switch v := v.(type) {
	case nil:
		return "—"
	case string:
		return v
	case json.Number:
		return v.String()
	case bool:
		if v {
			return "true"
		}
		return "false"
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(raw))
}

// AuditJSON is a snapshot indented for reading, or "" when there is none.
func AuditJSON(raw []byte) string {
	if len(bytes.TrimSpace(raw)) == 0 {
		return ""
	}
	var out bytes.Buffer
	if err := json.Indent(&out, raw, "", "  "); err != nil {
		return string(raw)
	}
	return out.String()
}
