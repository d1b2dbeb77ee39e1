//go:build go1.23

package tandem

import (
	"context"
	"iter"
)

// All iterates over every campaign, fetching pages as it goes; it stops
// at the first error, which it yields.
//
//	for campaign, err := range c.Campaigns.All(ctx, nil) { … }
func (s *CampaignService) All(ctx context.Context, params *ListParams) iter.Seq2[*Campaign, error] {
	return all(params, func(p *ListParams) (*CampaignList, error) { return s.List(ctx, p) },
		func(c *Campaign) string { return c.ID })
}

// All iterates over every invitation of params.Host.
func (s *InvitationService) All(ctx context.Context, params *InvitationListParams) iter.Seq2[*Invitation, error] {
	return all(&params.ListParams, func(p *ListParams) (*InvitationList, error) {
		return s.List(ctx, &InvitationListParams{Host: params.Host, ListParams: *p})
	}, func(i *Invitation) string { return i.ID })
}

// All iterates over every reward of params.Participant.
func (s *RewardService) All(ctx context.Context, params *RewardListParams) iter.Seq2[*RewardToken, error] {
	return all(&params.ListParams, func(p *ListParams) (*RewardTokenList, error) {
		return s.List(ctx, &RewardListParams{Participant: params.Participant, ListParams: *p})
	}, func(r *RewardToken) string { return r.ID })
}

// all pages through a list from params (not changed), each page after the
// last item of the one before.
func all[T any, L interface{ page() ([]T, bool) }](params *ListParams, list func(*ListParams) (L, error), id func(*T) string) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		var p ListParams
		if params != nil {
			p = *params
		}
		for {
			l, err := list(&p)
			if err != nil {
				yield(nil, err)
				return
			}
			items, more := l.page()
			for i := range items {
				if !yield(&items[i], nil) {
					return
				}
			}
			if !more || len(items) == 0 {
				return
			}
			p.StartingAfter = id(&items[len(items)-1])
		}
	}
}
