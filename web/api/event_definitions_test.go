package api

import (
	"net/http"
	"strings"
	"testing"
)

// The event definitions endpoints take an optional label and return it;
// defining an event again without one keeps it, and a bad one is a 422 on
// the field, never a 500.
func TestEventDefinitionLabel(t *testing.T) {
	a := newAPITenant(t)
	r := a.call(t, "POST", "/v1/event-definitions", map[string]any{"name": "first_order", "label": "Placed a first order"})
	if r.Status != http.StatusCreated || r.JSON["label"] != "Placed a first order" {
		t.Fatalf("define with a label: %d %s", r.Status, r.Body)
	}
	r = a.call(t, "POST", "/v1/event-definitions", map[string]any{"name": "first_order", "description": "from the shop"})
	if r.Status != http.StatusOK || r.JSON["label"] != "Placed a first order" || r.JSON["description"] != "from the shop" {
		t.Fatalf("define again without a label: %d %s", r.Status, r.Body)
	}
	r = a.call(t, "POST", "/v1/event-definitions", map[string]any{"name": "no_label"})
	if r.Status != http.StatusCreated || r.JSON["label"] != "" {
		t.Fatalf("define without a label: %d %s", r.Status, r.Body)
	}
	r = a.call(t, "GET", "/v1/event-definitions", nil)
	if r.Status != http.StatusOK || !strings.Contains(string(r.Body), `"label":"Placed a first order"`) {
		t.Fatalf("list: %d %s", r.Status, r.Body)
	}
	for _, bad := range []struct {
		label any
		code  string
	}{{strings.Repeat("x", 81), "invalid_length"}, {" padded", "invalid_label"}, {"two\nlines", "invalid_label"}, {7, "invalid_type"}} {
		r := a.call(t, "POST", "/v1/event-definitions", map[string]any{"name": "first_order", "label": bad.label})
		if r.Status != http.StatusUnprocessableEntity || r.ErrorCode() != bad.code || !strings.Contains(string(r.Body), `"field":"label"`) {
			t.Errorf("label %q: %d %s, want 422 %s on label", bad.label, r.Status, r.Body, bad.code)
		}
	}
}
