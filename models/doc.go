// Package models is Tandem's rules in Go: campaigns and their versions,
// participants, invitations and claims, events and quest progress, reward
// tokens and raffles, members, API keys and the audit log. Every function
// runs inside the tenant transaction that package tenants opens and stores
// in the context (tx.go); the rules themselves live in the schema (see
// migrations/), and these functions validate input, call the schema and
// turn its verdicts into the typed errors of errors.go.
//
// Files are named for what they hold, whoever calls them: campaigns.go,
// versions.go and publish.go; invitations*.go (claims, lists, the public
// landing); events.go and event_definitions.go; rewards.go and
// rewards_queue.go; raffles.go and raffle_draw.go; participants.go;
// members.go and member_invitations.go; tenancy.go; api_keys.go (with
// the API's idempotency.go and rate_limits.go); audit.go; dashboard.go and
// dashboard_queries.go; permissions.go; errors.go; validate*.go; page.go.
// Currency rules are package money's.
package models
