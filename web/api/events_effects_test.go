package api

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// effectTypes reads an event answer's effects as "type step/steps" words.
func effectTypes(t *testing.T, v any) string {
	t.Helper()
	list, ok := v.([]any)
	if !ok {
		t.Fatalf("effects are not a list: %v", v)
	}
	var words []string
	for _, e := range list {
		m, _ := e.(map[string]any)
		if msg, _ := m["message"].(string); msg == "" {
			t.Errorf("an effect without a message: %v", m)
		}
		w := fmt.Sprint(m["type"])
		if m["steps"] != nil {
			w += fmt.Sprintf(" %v/%v", m["step"], m["steps"])
		}
		words = append(words, w)
	}
	return strings.Join(words, ", ")
}

// POST /v1/events and the batch answer what each event did: the step it
// advanced of its guest's invitation, or why it moved nothing.
func TestEventAnswersSayTheirEffects(t *testing.T) {
	a := consistencyTenant(t)
	mustCall(t, a, "POST", "/v1/event-definitions", map[string]any{"name": "page_view"}, http.StatusCreated)
	inv := mustCall(t, a, "POST", "/v1/campaigns/spring/invitations", map[string]any{"host": "hana"}, http.StatusCreated)
	mustCall(t, a, "POST", "/v1/claims", map[string]any{"code": inv.JSON["code"], "guest": "g1"}, http.StatusCreated)

	single := func(participant, name, key string) string {
		body := map[string]any{"participant": participant, "name": name}
		if key != "" {
			body["idempotency_key"] = key
		}
		return effectTypes(t, mustCall(t, a, "POST", "/v1/events", body, http.StatusAccepted).JSON["effects"])
	}
	for _, c := range []struct{ participant, name, key, want string }{
		{"g2", "signup_complete", "k1", "no_invitation"},
		{"g2", "signup_complete", "k1", "duplicate"},
		{"g1", "page_view", "", "not_a_step"},
		{"g1", "signup_complete", "", "completed 1/1"},
	} {
		if got := single(c.participant, c.name, c.key); got != c.want {
			t.Errorf("%s of %s: effects %q, want %q", c.name, c.participant, got, c.want)
		}
	}

	batch := mustCall(t, a, "POST", "/v1/events/batch", map[string]any{"events": []any{
		map[string]any{"participant": "g1", "name": "signup_complete"},
		map[string]any{"participant": "g1", "name": "page_view"},
		map[string]any{"participant": "g1", "name": "no_such_event"},
	}}, http.StatusOK)
	results, _ := batch.JSON["results"].([]any)
	for i, want := range []string{"repeated", "not_a_step"} {
		r, _ := results[i].(map[string]any)
		if got := effectTypes(t, r["effects"]); got != want {
			t.Errorf("the batch's event %d: effects %q, want %q", i, got, want)
		}
	}
	if r, _ := results[2].(map[string]any); r["effects"] != nil {
		t.Errorf("an event not stored has effects: %v", r)
	}
}
