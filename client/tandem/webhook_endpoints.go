package tandem

import (
	"context"
	"net/http"
	"net/url"
)

// WebhookEndpointService manages where Tandem sends webhooks (package
// webhook verifies what arrives).
type WebhookEndpointService struct{ b *backend }

// Create adds an endpoint. Its signing secret (whsec_…) is in the answer
// only: keep it. Like every call whose answer holds a secret, it is
// retried only after a 429.
func (s *WebhookEndpointService) Create(ctx context.Context, params *WebhookEndpointRequest) (*WebhookEndpoint, error) {
	c := newCall(http.MethodPost, "/v1/webhook-endpoints", params, nil)
	c.policy = retryUnprocessed
	out := new(WebhookEndpoint)
	return out, s.b.do(ctx, c, out)
}

// Get returns an endpoint (without its secret).
func (s *WebhookEndpointService) Get(ctx context.Context, id string) (*WebhookEndpoint, error) {
	out := new(WebhookEndpoint)
	return out, s.b.do(ctx, newCall(http.MethodGet, "/v1/webhook-endpoints/"+url.PathEscape(id), nil, nil), out)
}

// Delete removes an endpoint; nothing more is sent to it.
func (s *WebhookEndpointService) Delete(ctx context.Context, id string) error {
	return s.b.do(ctx, newCall(http.MethodDelete, "/v1/webhook-endpoints/"+url.PathEscape(id), nil, nil), nil)
}
