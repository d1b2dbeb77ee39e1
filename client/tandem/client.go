package tandem

import (
	"net/http"
	"strings"
	"time"
)

// DefaultBaseURL is where `make run` serves Tandem; point the client at your
// own deployment with WithBaseURL.
const DefaultBaseURL = "http://localhost:8080"

// Client calls Tandem's API v1 with a tenant's secret key. It is safe for
// concurrent use; make one and share it.
type Client struct {
	Campaigns        *CampaignService
	EventDefinitions *EventDefinitionService
	Events           *EventService
	Invitations      *InvitationService
	Participants     *ParticipantService
	Raffles          *RaffleService
	ReferrerCodes    *ReferrerCodeService
	Rewards          *RewardService
	WebhookEndpoints *WebhookEndpointService
	WidgetTokens     *WidgetTokenService

	b *backend
}

// Option configures a Client.
type Option func(*backend)

// WithBaseURL sets the server's URL (its PUBLIC_URL), such as
// "https://referrals.example.com".
func WithBaseURL(u string) Option {
	return func(b *backend) { b.baseURL = strings.TrimSuffix(u, "/") }
}

// WithHTTPClient sets the HTTP client requests go through (its Timeout
// bounds each attempt; the context bounds the call with its retries).
func WithHTTPClient(c *http.Client) Option {
	return func(b *backend) { b.http = c }
}

// WithMaxRetries sets how many times a failed request is sent again
// (default 3; 0 never retries).
func WithMaxRetries(n int) Option {
	return func(b *backend) { b.maxRetries = max(n, 0) }
}

// WithBackoff sets the wait before the first retry and the most any wait
// grows to (defaults 500ms and 8s). Waits double from initial, with jitter;
// a longer Retry-After from the server wins.
func WithBackoff(initial, maxWait time.Duration) Option {
	return func(b *backend) { b.initialBackoff, b.maxBackoff = initial, maxWait }
}

// NewClient returns a client authenticated by secretKey (sk_…).
func NewClient(secretKey string, opts ...Option) *Client {
	b := &backend{
		baseURL:        DefaultBaseURL,
		secretKey:      secretKey,
		http:           &http.Client{Timeout: 30 * time.Second},
		maxRetries:     3,
		initialBackoff: 500 * time.Millisecond,
		maxBackoff:     8 * time.Second,
	}
	for _, o := range opts {
		o(b)
	}
	return &Client{
		Campaigns:        &CampaignService{b},
		EventDefinitions: &EventDefinitionService{b},
		Events:           &EventService{b},
		Invitations:      &InvitationService{b},
		Participants:     &ParticipantService{b},
		Raffles:          &RaffleService{b},
		ReferrerCodes:    &ReferrerCodeService{b},
		Rewards:          &RewardService{b},
		WebhookEndpoints: &WebhookEndpointService{b},
		WidgetTokens:     &WidgetTokenService{b},
		b:                b,
	}
}

// RequestOption changes one call.
type RequestOption func(*call)

// WithIdempotencyKey sends key as the call's Idempotency-Key instead of a
// generated one: use it to make a retry of your own (after a restart, say)
// count once. The server keeps a key's answer at least 24 hours.
func WithIdempotencyKey(key string) RequestOption {
	return func(c *call) { c.idempotencyKey = key }
}

// String returns a pointer to v, for optional fields.
func String(v string) *string { return &v }

// Int returns a pointer to v, for optional fields.
func Int(v int) *int { return &v }

// Int64 returns a pointer to v, for optional fields (amounts).
func Int64(v int64) *int64 { return &v }

// Bool returns a pointer to v, for optional fields.
func Bool(v bool) *bool { return &v }

// Time returns a pointer to v, for optional fields.
func Time(v time.Time) *time.Time { return &v }
