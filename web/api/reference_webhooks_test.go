package api

import (
	"slices"
	"strings"
	"testing"

	"github.com/tandemhq/tandem/models"
)

// The webhooks section lists every message type Tandem sends (what an
// endpoint may subscribe to, and the test message), each body in the
// envelope of this API version with its data documented; the delivery
// tests hold every body they receive to it (CheckWebhook).
func TestOpenAPIDocumentsEveryWebhook(t *testing.T) {
	doc, _ := openAPIDoc(t)
	hooks, err := doc.WebhookOperations()
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, h := range hooks {
		types = append(types, h.Type)
		body := doc.Schema(h.Op.RequestBody.Content["application/json"].Schema)
		typ, _ := body.Properties.Get("type")
		version, _ := body.Properties.Get("api_version")
		data, _ := body.Properties.Get("data")
		if typ == nil || !slices.Contains(typ.Enum, any(h.Type)) || version == nil || doc.Schema(version).Const != models.WebhookAPIVersion ||
			data == nil || doc.Schema(data) == nil || !slices.Equal(body.Required, []string{"id", "type", "api_version", "created_at", "data"}) {
			t.Errorf("webhook %s: its body is not the envelope of %s with documented data", h.Type, models.WebhookAPIVersion)
		}
	}
	want := append(slices.Clone(models.WebhookEventTypes), models.WebhookTestType)
	slices.Sort(types)
	slices.Sort(want)
	if !slices.Equal(types, want) {
		t.Errorf("documented webhooks %v, sent %v", types, want)
	}
}

// CheckWebhook refuses what the document does not say.
func TestCheckWebhookRefuses(t *testing.T) {
	valid := `{"id":"msg_0190a1b2c3d4e5f60718293a4b5c6d7e","type":"webhook.test","api_version":"` + models.WebhookAPIVersion +
		`","created_at":"2026-12-07T08:00:00Z","data":{"endpoint":"whe_1","message":"hi"}}`
	if problems := CheckWebhook([]byte(valid)); len(problems) > 0 {
		t.Fatalf("a valid test message: %v", problems)
	}
	for _, tc := range []struct{ name, body string }{
		{"an undocumented type", strings.Replace(valid, "webhook.test", "webhook.tested", 1)},
		{"another api version", strings.Replace(valid, models.WebhookAPIVersion, "2020-01-01", 1)},
		{"data missing a field", strings.Replace(valid, `,"message":"hi"`, "", 1)},
		{"an undocumented field", strings.Replace(valid, `"type"`, `"timestamp":"2026-12-07T08:00:00Z","type"`, 1)},
		{"the old body", `{"type":"webhook.test","timestamp":"2026-12-07T08:00:00Z","data":{"endpoint":"whe_1","message":"hi"}}`},
	} {
		if problems := CheckWebhook([]byte(tc.body)); len(problems) == 0 {
			t.Errorf("%s passed: %s", tc.name, tc.body)
		}
	}
}
