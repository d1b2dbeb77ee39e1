package openapi

import (
	"encoding/json"
	"fmt"
)

// Webhook is one documented message type and the operation a receiver
// implements for it (its body is the message).
type Webhook struct {
	Type string
	Op   *Operation
}

// WebhookOperations returns the documented webhooks in document order.
func (d *Document) WebhookOperations() ([]Webhook, error) {
	out := make([]Webhook, 0, len(d.Webhooks))
	for _, item := range d.Webhooks {
		raw, ok := item.Value.Get("post")
		if !ok {
			return nil, fmt.Errorf("openapi: webhook %s: no post operation", item.Key)
		}
		var op Operation
		if err := json.Unmarshal(raw, &op); err != nil {
			return nil, fmt.Errorf("openapi: webhook %s: %w", item.Key, err)
		}
		out = append(out, Webhook{Type: item.Key, Op: &op})
	}
	return out, nil
}

// CheckWebhook lists how a webhook body departs from the document: a type
// it does not list, or a body its schema does not match. Nothing when the
// body conforms.
func (d *Document) CheckWebhook(body []byte) []string {
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return []string{"the body is not JSON: " + err.Error()}
	}
	typ, _ := v.(map[string]any)["type"].(string)
	hooks, err := d.WebhookOperations()
	if err != nil {
		return []string{err.Error()}
	}
	for _, h := range hooks {
		if h.Type != typ {
			continue
		}
		if h.Op.RequestBody == nil {
			return []string{"webhook " + typ + " documents no body"}
		}
		return d.Validate(h.Op.RequestBody.Content["application/json"].Schema, v, typ)
	}
	return []string{fmt.Sprintf("webhook type %q is not documented", typ)}
}
