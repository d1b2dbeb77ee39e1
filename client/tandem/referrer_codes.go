package tandem

import (
	"context"
	"net/http"
)

// ReferrerCodeService hands out hosts' personal codes in referrer-code
// campaigns.
type ReferrerCodeService struct{ b *backend }

// Get returns params.Host's code and link in the campaign slug,
// made on the first call; the same every time after.
func (s *ReferrerCodeService) Get(ctx context.Context, slug string, params *ReferrerCodeRequest, opts ...RequestOption) (*ReferrerCode, error) {
	out := new(ReferrerCode)
	return out, s.b.do(ctx, newCall(http.MethodPost, campaignPath(slug, "referrer-code"), params, opts).withKey(), out)
}
