package tandem

import (
	"context"
	"net/http"
	"net/url"
)

// RaffleService draws winners among a campaign's ticket rewards.
type RaffleService struct{ b *backend }

// Draw draws params.Winners winners, weighted by tickets held.
func (s *RaffleService) Draw(ctx context.Context, params *RaffleRequest, opts ...RequestOption) (*Raffle, error) {
	out := new(Raffle)
	return out, s.b.do(ctx, newCall(http.MethodPost, "/v1/raffles", params, opts).withKey(), out)
}

// Get returns a draw with its winners.
func (s *RaffleService) Get(ctx context.Context, id string) (*Raffle, error) {
	out := new(Raffle)
	return out, s.b.do(ctx, newCall(http.MethodGet, "/v1/raffles/"+url.PathEscape(id), nil, nil), out)
}
