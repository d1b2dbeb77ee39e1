package tandem

import (
	"context"
	"net/http"
	"net/url"
)

// RewardService lists participants' reward tokens and changes their status.
type RewardService struct{ b *backend }

// RewardListParams chooses the rewards of a participant.
type RewardListParams struct {
	// Participant is the participant's external id.
	Participant string
	ListParams
}

// List returns a page of the participant's reward tokens, newest first.
func (s *RewardService) List(ctx context.Context, params *RewardListParams) (*RewardTokenList, error) {
	c := newCall(http.MethodGet, participantPath(params.Participant, "rewards"), nil, nil)
	c.query = params.query()
	out := new(RewardTokenList)
	return out, s.b.do(ctx, c, out)
}

// Redeem marks the reward redeemed: the participant got its value.
// Redeeming a redeemed reward again changes nothing; a voided or expired one
// is 409.
func (s *RewardService) Redeem(ctx context.Context, id string, opts ...RequestOption) (*RewardToken, error) {
	return s.action(ctx, id, "redeem", opts)
}

// Void cancels an issued reward.
func (s *RewardService) Void(ctx context.Context, id string, opts ...RequestOption) (*RewardToken, error) {
	return s.action(ctx, id, "void", opts)
}

// Approve issues a held reward: a person reviewed it. Approving an
// approved reward again changes nothing; any other reward is 409.
func (s *RewardService) Approve(ctx context.Context, id string, opts ...RequestOption) (*RewardToken, error) {
	return s.action(ctx, id, "approve", opts)
}

// Reject voids a held reward for good, with the reviewer's reason.
// Rejecting a rejected reward again changes nothing and keeps the first
// reason; any other reward is 409.
func (s *RewardService) Reject(ctx context.Context, id, reason string, opts ...RequestOption) (*RewardToken, error) {
	out := new(RewardToken)
	path := "/v1/rewards/" + url.PathEscape(id) + "/reject"
	body := RejectRewardRequest{Reason: reason}
	return out, s.b.do(ctx, newCall(http.MethodPost, path, body, opts).withKey(), out)
}

// RetryFulfilment retries a Stripe reward's failed fulfilment now.
func (s *RewardService) RetryFulfilment(ctx context.Context, id string, opts ...RequestOption) (*RewardToken, error) {
	return s.action(ctx, id, "retry-fulfilment", opts)
}

func (s *RewardService) action(ctx context.Context, id, action string, opts []RequestOption) (*RewardToken, error) {
	out := new(RewardToken)
	path := "/v1/rewards/" + url.PathEscape(id) + "/" + action
	return out, s.b.do(ctx, newCall(http.MethodPost, path, nil, opts).withKey(), out)
}
