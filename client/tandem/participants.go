package tandem

import (
	"context"
	"net/http"
	"net/url"
)

// ParticipantService manages participants: your users, known by your
// external id.
type ParticipantService struct{ b *backend }

func participantPath(externalID string, rest ...string) string {
	p := "/v1/participants/" + url.PathEscape(externalID)
	for _, r := range rest {
		p += "/" + r
	}
	return p
}

// Upsert creates the participant params.ExternalID or updates the fields
// given (a nil field keeps the stored value).
func (s *ParticipantService) Upsert(ctx context.Context, params *ParticipantRequest, opts ...RequestOption) (*Participant, error) {
	out := new(Participant)
	return out, s.b.do(ctx, newCall(http.MethodPost, "/v1/participants", params, opts).withKey(), out)
}

// Get returns the participant with externalID.
func (s *ParticipantService) Get(ctx context.Context, externalID string) (*Participant, error) {
	out := new(Participant)
	return out, s.b.do(ctx, newCall(http.MethodGet, participantPath(externalID), nil, nil), out)
}

// Erase removes or pseudonymises the personal data of the participant with
// externalID and keeps the referral's facts; the answer names the
// pseudonym that replaced the external id. Erasing again by the pseudonym
// answers the same erasure.
func (s *ParticipantService) Erase(ctx context.Context, externalID string, opts ...RequestOption) (*ParticipantErasure, error) {
	out := new(ParticipantErasure)
	return out, s.b.do(ctx, newCall(http.MethodPost, participantPath(externalID, "erase"), nil, opts).withKey(), out)
}
