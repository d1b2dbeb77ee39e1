package tandem

import (
	"context"
	"net/http"
	"net/url"
)

// CampaignService manages campaigns: their drafts, publication and status.
type CampaignService struct{ b *backend }

func campaignPath(slug string, action ...string) string {
	p := "/v1/campaigns/" + url.PathEscape(slug)
	for _, a := range action {
		p += "/" + a
	}
	return p
}

// List returns a page of campaigns, newest first.
func (s *CampaignService) List(ctx context.Context, params *ListParams) (*CampaignList, error) {
	c := newCall(http.MethodGet, "/v1/campaigns", nil, nil)
	c.query = params.query()
	out := new(CampaignList)
	return out, s.b.do(ctx, c, out)
}

// Get returns the campaign with slug, with its current version and draft.
func (s *CampaignService) Get(ctx context.Context, slug string) (*Campaign, error) {
	out := new(Campaign)
	return out, s.b.do(ctx, newCall(http.MethodGet, campaignPath(slug), nil, nil), out)
}

// Save creates the campaign slug or replaces its draft (PUT): settings
// apply at once, rules wait for Publish.
func (s *CampaignService) Save(ctx context.Context, slug string, params *CampaignDraftRequest) (*Campaign, error) {
	out := new(Campaign)
	return out, s.b.do(ctx, newCall(http.MethodPut, campaignPath(slug), params, nil), out)
}

// PreviewPublish says what publishing the draft with inflight "migrate"
// would do to in-flight invitations.
func (s *CampaignService) PreviewPublish(ctx context.Context, slug string) (*MigrationPreview, error) {
	out := new(MigrationPreview)
	return out, s.b.do(ctx, newCall(http.MethodGet, campaignPath(slug, "preview-publish"), nil, nil), out)
}

// Publish freezes the draft as the next version; the campaign becomes
// active. params may be nil (in-flight invitations keep their version).
func (s *CampaignService) Publish(ctx context.Context, slug string, params *PublishRequest, opts ...RequestOption) (*Publication, error) {
	if params == nil {
		params = &PublishRequest{}
	}
	out := new(Publication)
	return out, s.b.do(ctx, newCall(http.MethodPost, campaignPath(slug, "publish"), params, opts).withKey(), out)
}

// Pause stops claims and progress until Resume.
func (s *CampaignService) Pause(ctx context.Context, slug string, opts ...RequestOption) (*Campaign, error) {
	return s.status(ctx, slug, "pause", opts)
}

// Resume makes a paused campaign active again.
func (s *CampaignService) Resume(ctx context.Context, slug string, opts ...RequestOption) (*Campaign, error) {
	return s.status(ctx, slug, "resume", opts)
}

// End ends the campaign for good.
func (s *CampaignService) End(ctx context.Context, slug string, opts ...RequestOption) (*Campaign, error) {
	return s.status(ctx, slug, "end", opts)
}

func (s *CampaignService) status(ctx context.Context, slug, action string, opts []RequestOption) (*Campaign, error) {
	out := new(Campaign)
	return out, s.b.do(ctx, newCall(http.MethodPost, campaignPath(slug, action), nil, opts).withKey(), out)
}
