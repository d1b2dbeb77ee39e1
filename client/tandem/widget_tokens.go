package tandem

import (
	"context"
	"net/http"
)

// WidgetTokenService mints participant tokens for the embedded widget.
type WidgetTokenService struct{ b *backend }

// Create mints a short-lived token for params.Participant in
// params.Campaign, to hand to your page's <tandem-referral> element. The
// server refuses an idempotency key here (a token is a secret, never
// stored for replay), so a failed call is retried only after a 429.
func (s *WidgetTokenService) Create(ctx context.Context, params *WidgetTokenRequest) (*WidgetToken, error) {
	c := newCall(http.MethodPost, "/v1/widget/tokens", params, nil)
	c.policy = retryUnprocessed
	out := new(WidgetToken)
	return out, s.b.do(ctx, c, out)
}
