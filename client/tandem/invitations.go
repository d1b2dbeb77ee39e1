package tandem

import (
	"context"
	"net/http"
)

// InvitationService creates and claims invitations, and lists a host's.
type InvitationService struct{ b *backend }

// Create makes a single-use invitation from params.Host in the campaign
// slug (a campaign in invitation mode).
func (s *InvitationService) Create(ctx context.Context, slug string, params *InvitationRequest, opts ...RequestOption) (*Invitation, error) {
	out := new(Invitation)
	return out, s.b.do(ctx, newCall(http.MethodPost, campaignPath(slug, "invitations"), params, opts).withKey(), out)
}

// Claim claims an invitation or referrer code for params.Guest and returns
// the claimed invitation. A guest is referred once per campaign (409
// guest_already_referred); a code never refers its own host (422
// self_referral).
func (s *InvitationService) Claim(ctx context.Context, params *ClaimRequest, opts ...RequestOption) (*Invitation, error) {
	var out Claim
	if err := s.b.do(ctx, newCall(http.MethodPost, "/v1/claims", params, opts).withKey(), &out); err != nil {
		return nil, err
	}
	return &out.Invitation, nil
}

// InvitationListParams chooses the invitations of a host.
type InvitationListParams struct {
	// Host is the host's external id.
	Host string
	ListParams
}

// List returns a page of the host's invitations, newest first, each with
// its guest's quest progress.
func (s *InvitationService) List(ctx context.Context, params *InvitationListParams) (*InvitationList, error) {
	c := newCall(http.MethodGet, participantPath(params.Host, "invitations"), nil, nil)
	c.query = params.query()
	out := new(InvitationList)
	return out, s.b.do(ctx, c, out)
}
