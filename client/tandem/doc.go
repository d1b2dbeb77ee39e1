// Package tandem is the Go client of Tandem's API v1, for a tenant's
// backend: participants, invitations, referrer codes, events, rewards and
// campaigns, with the secret key (sk_…) that never leaves your servers.
//
//	c := tandem.NewClient(os.Getenv("TANDEM_SECRET_KEY"), tandem.WithBaseURL("https://referrals.example.com"))
//	inv, err := c.Invitations.Create(ctx, "spring", &tandem.InvitationRequest{Host: "alice", Channel: tandem.String("email")})
//
// Every method returns (*T, error). An answer other than 2xx is an
// *APIError, with the HTTP status, the stable code, the message, the
// offending field and the request id:
//
//	var apiErr *tandem.APIError
//	if errors.As(err, &apiErr) && apiErr.Code == "guest_already_referred" { … }
//
// Retries: a call is sent again, with backoff, after a network error, a
// 5xx, a 429 (waiting at least its Retry-After) or a 409
// idempotency_in_progress, up to WithMaxRetries times (3 by default). Unsafe
// calls (POST) carry an Idempotency-Key, generated unless you give one
// with WithIdempotencyKey, and the same key on every retry, so the server
// does them once; events carry theirs in the body. The few calls whose
// answer holds a secret (WidgetTokens.Create) cannot carry a key and are
// retried only after a 429. The context bounds a call with its retries.
//
// Lists come a page at a time (List), or item by item across pages with
// the All methods, iterators for range-over-func (Go 1.23 and later; the
// module itself needs only Go 1.22):
//
//	for reward, err := range c.Rewards.All(ctx, &tandem.RewardListParams{Participant: "alice"}) { … }
//
// Optional request fields are pointers: String, Int, Int64, Bool and Time
// make them. Enum constants carry their type's name (CampaignStatusActive,
// RewardTokenStatusIssued). Package webhook verifies and decodes the
// webhooks Tandem sends.
//
// The models (client.gen.go) are generated from the OpenAPI document
// (web/api/openapi/openapi.json in Tandem's repository, served at
// /v1/openapi.json) by oapi-codegen, from the repository's root:
//
//	go tool -modfile=tools.mod oapi-codegen -config client/tandem/oapi-codegen.yaml web/api/openapi/openapi.json
//
// The generated file is committed, and Tandem's `make test` fails when it
// differs from the document. The rest is written by hand.
//
// This is a Go module of its own, with no requirements, versioned by tags
// of the form client/tandem/vX.Y.Z:
//
//	go get github.com/tandemhq/tandem/client/tandem@latest
package tandem
