package api

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/jackc/pgx/v5"

	"github.com/tandemhq/tandem/tenants"
)

// The isolation suite aims tenant B's secret key at tenant A's data on every
// /v1 route: A's campaign slugs and ids, participants' external and
// internal ids, invitation ids and codes, referrer codes, reward ids, the
// raffle id and A's idempotency keys. Whatever names an A resource gets a
// 404 with a *_not_found code (never 403, which would confirm that the
// resource exists, and never A's data). Where an A name legitimately names
// something in B's own space (an external id in an event, a slug in a PUT),
// B gets its own row and A is untouched. After every B request A's rows in
// every tenant table are compared, as the superuser, with a digest taken
// before; every B response body is scanned for every identifier A was ever
// given (NotExpectedContent). A route with no case here fails the suite.

// isoPhase orders the cases: first everything that must reach nothing,
// then B's writes under A's names, then B reading those back.
type isoPhase int

const (
	isoProbe   isoPhase = iota // reads and refused writes: nothing of A's, nothing written
	isoWrite                   // B writes its own rows under names A uses too
	isoRecheck                 // B reads back what it wrote under A's names
)

func (p isoPhase) String() string {
	return [...]string{"probe", "write", "recheck"}[p]
}

// isoCheck is an assertion on a response beyond its status and code.
type isoCheck func(t *testing.T, r apiResponse)

// isoCase is one request as tenant B.
type isoCase struct {
	name    string
	phase   isoPhase
	method  string
	path    string
	body    any
	headers []string
	status  int
	code    string   // the error code; "" for a success
	allowed []string // A's names this response may hold: B's own rows carry them too
	checks  []isoCheck
}

func (c isoCase) with(headers ...string) isoCase  { c.headers = headers; return c }
func (c isoCase) allow(names ...string) isoCase   { c.allowed = names; return c }
func (c isoCase) then(checks ...isoCheck) isoCase { c.checks = checks; return c }

// notFound is a request naming an A resource: 404 with code.
func notFound(name, method, path string, body any, code string) isoCase {
	return isoCase{name: name, phase: isoProbe, method: method, path: path, body: body, status: http.StatusNotFound, code: code}
}

// isoStep is a request that must answer status (and code, for an error).
func isoStep(phase isoPhase, name, method, path string, body any, status int, code string) isoCase {
	return isoCase{name: name, phase: phase, method: method, path: path, body: body, status: status, code: code}
}

// isoFixture is both tenants' data, created through the API.
type isoFixture struct {
	a, b *apiTenant

	// Tenant A.
	aCampaign    map[string]string // slug → id: alpha-manual, alpha-friends, alpha-paused, shared
	aPar         map[string]string // external id → internal id, for every A participant
	aEvent       map[string]string // idempotency key → event id
	aPendingInv  string            // a pending manual invitation, made with an Idempotency-Key
	aPendingCode string
	aClaimedInv  string // a claimed and completed manual invitation
	aClaimedCode string
	aCarolCode   string // a claimed invitation whose quest is half done
	aErinCode    string // a referrer code in alpha-friends
	aAliceCode   string // alice's referrer code in shared, made with an Idempotency-Key
	aIssued      string // anna's cash milestone, issued
	aRedeemed    string // bob's guest credit, redeemed
	aVoided      string // dora's guest credit, voided
	aTicket      string // ivy's raffle ticket, issued after the draw
	aAliceTkt    string // alice's ticket in shared, issued
	aRaffle      string
	aEndpoint    string // A's webhook endpoint, with a test message's delivery
	aDelivery    string
	markers      map[string]string // every A identifier and private value → what it is

	// Tenant B: the same slug "shared" and external id "alice" as A.
	bCampaign map[string]string // slug → id: shared, beta-manual
	bPar      map[string]string // alice, b-zed
	bInv      string            // alice's pending invitation in beta-manual
	bCode     string
}

// A's requests made with an Idempotency-Key, which B sends byte for byte.
const (
	isoInviteKey   = "alpha-invite-pending"
	isoReferrerKey = "alpha-referrer-alice"
)

var isoInviteBody = map[string]any{"host": "alpha-anna", "channel": "email", "recipient": "pending@alpha.example"}

// isolationCases holds the cases of every /v1 route, by "METHOD /path" as
// Fiber registers it. TestIsolationCoversEveryV1Route fails when a route
// has no entry, so a new route needs its cases here.
var isolationCases = map[string]func(f *isoFixture) []isoCase{
	"GET /v1/openapi.json": func(f *isoFixture) []isoCase {
		return []isoCase{isoStep(isoProbe, "the public document", "GET", "/v1/openapi.json", nil, 200, "")}
	},

	"POST /v1/event-definitions": func(f *isoFixture) []isoCase {
		return []isoCase{
			isoStep(isoWrite, "A's private event name is defined anew in B", "POST", "/v1/event-definitions",
				map[string]any{"name": "alpha_extra", "description": "Beta: its own extra"}, 201, "").
				allow("alpha_extra").then(isoHas("description", "Beta: its own extra"), isoHas("builtin", false)),
			isoStep(isoWrite, "a name both define is B's", "POST", "/v1/event-definitions",
				map[string]any{"name": "signup_complete", "description": "Beta: account created"}, 200, "").
				then(isoHas("description", "Beta: account created")),
		}
	},

	"GET /v1/event-definitions": func(f *isoFixture) []isoCase {
		return []isoCase{
			isoStep(isoProbe, "B's catalog", "GET", "/v1/event-definitions", nil, 200, "").
				then(isoHas("data[name=signup_complete].description", "Beta: account created"),
					isoLacksPath("data[name=alpha_only_step]"), isoLacksPath("data[name=alpha_extra]")),
			isoStep(isoRecheck, "B's catalog with the name it defined", "GET", "/v1/event-definitions", nil, 200, "").
				allow("alpha_extra").then(isoHas("data[name=alpha_extra].description", "Beta: its own extra"),
				isoLacksPath("data[name=alpha_only_step]")),
		}
	},

	"GET /v1/campaigns": func(f *isoFixture) []isoCase {
		return []isoCase{
			isoStep(isoProbe, "B's campaigns only", "GET", "/v1/campaigns?limit=100", nil, 200, "").
				then(isoListIDs(f.bCampaign["shared"], f.bCampaign["beta-manual"])),
			isoStep(isoProbe, "starting after A's campaign", "GET", "/v1/campaigns?starting_after="+f.aCampaign["shared"], nil, 200, "").
				then(isoListIDs()),
			isoStep(isoRecheck, "with B's own alpha-paused", "GET", "/v1/campaigns?limit=100", nil, 200, "").
				allow("alpha-paused").then(isoDiffers("data[slug=alpha-paused].id", f.aCampaign["alpha-paused"]),
				isoHas("data[slug=shared].id", f.bCampaign["shared"])),
		}
	},

	"GET /v1/campaigns/:slug": func(f *isoFixture) []isoCase {
		cases := notFoundForEach("A's campaign", "GET", "/v1/campaigns/%s", nil, "campaign_not_found",
			named("alpha-manual"), named("alpha-friends"), named("alpha-paused"), isoTarget{"shared's id", f.aCampaign["shared"]})
		return append(cases,
			isoStep(isoProbe, "shared is B's", "GET", "/v1/campaigns/shared", nil, 200, "").
				then(isoHas("id", f.bCampaign["shared"]), isoHas("name", "Beta Shared Circle"), isoHas("draft", nil)),
			isoStep(isoRecheck, "alpha-paused is now B's own draft", "GET", "/v1/campaigns/alpha-paused", nil, 200, "").
				allow("alpha-paused").then(isoDiffers("id", f.aCampaign["alpha-paused"]), isoHas("mode", "referrer_code"), isoHas("status", "draft")),
		)
	},

	"PUT /v1/campaigns/:slug": func(f *isoFixture) []isoCase {
		return []isoCase{
			// Were the slug A's campaign, changing its mode would be 409
			// campaign_mode_fixed.
			isoStep(isoWrite, "A's slug makes B's own campaign", "PUT", "/v1/campaigns/alpha-paused", isoCampaignBody("Beta Paused Lookalike", "referrer_code"), 200, "").
				allow("alpha-paused").then(isoDiffers("id", f.aCampaign["alpha-paused"]), isoHas("status", "draft"),
				isoHas("current_version", nil), isoHas("version", nil), isoHas("draft.version", 1),
				isoSQL("A's alpha-paused stays paused", "SELECT status || ' ' || mode FROM campaigns WHERE id = ?", "paused invitation", f.aCampaign["alpha-paused"])),
			isoStep(isoWrite, "shared is B's", "PUT", "/v1/campaigns/shared", isoCampaignBody("Beta Shared Circle", "referrer_code"), 200, "").
				then(isoHas("id", f.bCampaign["shared"]), isoHas("version.version", 1), isoHas("draft.version", 2)),
		}
	},

	"GET /v1/campaigns/:slug/preview-publish": func(f *isoFixture) []isoCase {
		return []isoCase{
			notFound("A's campaign with a draft", "GET", "/v1/campaigns/alpha-manual/preview-publish", nil, "campaign_not_found"),
			// A's shared has a draft; B's has none.
			isoStep(isoProbe, "shared is B's, without a draft", "GET", "/v1/campaigns/shared/preview-publish", nil, 409, "no_draft"),
		}
	},

	"POST /v1/campaigns/:slug/publish": func(f *isoFixture) []isoCase {
		return []isoCase{
			notFound("A's campaign with a draft", "POST", "/v1/campaigns/alpha-manual/publish", map[string]any{"inflight": "migrate"}, "campaign_not_found").
				then(isoSQL("A's version", "SELECT current_version FROM campaigns WHERE id = ?", "1", f.aCampaign["alpha-manual"])),
			isoStep(isoProbe, "shared is B's, without a draft", "POST", "/v1/campaigns/shared/publish", nil, 409, "no_draft").
				then(isoSQL("A's version", "SELECT current_version FROM campaigns WHERE id = ?", "1", f.aCampaign["shared"])),
		}
	},

	"POST /v1/campaigns/:slug/pause": func(f *isoFixture) []isoCase {
		return notFoundForEach("A's active campaign", "POST", "/v1/campaigns/%s/pause", nil, "campaign_not_found",
			named("alpha-manual"), named("alpha-friends"), isoTarget{"alpha-manual's id", f.aCampaign["alpha-manual"]})
	},

	"POST /v1/campaigns/:slug/resume": func(f *isoFixture) []isoCase {
		return []isoCase{
			notFound("A's paused campaign", "POST", "/v1/campaigns/alpha-paused/resume", nil, "campaign_not_found").
				then(isoSQL("A's status", "SELECT status FROM campaigns WHERE id = ?", "paused", f.aCampaign["alpha-paused"])),
		}
	},

	"POST /v1/campaigns/:slug/end": func(f *isoFixture) []isoCase {
		return notFoundForEach("A's campaign", "POST", "/v1/campaigns/%s/end", nil, "campaign_not_found", named("alpha-manual"), named("alpha-paused"))
	},

	"POST /v1/participants": func(f *isoFixture) []isoCase {
		return []isoCase{
			// 201, not 200: B had no alpha-carol, whatever A has.
			isoStep(isoWrite, "A's external id makes B's own participant", "POST", "/v1/participants",
				map[string]any{"external_id": "alpha-carol", "email": "carol@beta.example"}, 201, "").
				allow("alpha-carol").then(isoDiffers("id", f.aPar["alpha-carol"]), isoHas("email", "carol@beta.example"), isoHas("display_name", ""),
				isoSQL("alpha-carol in A", "SELECT count(*) FROM participants WHERE tenant_id = ? AND external_id = 'alpha-carol' AND email IS NULL", "1", f.a.created.TenantID),
				isoSQL("alpha-carol in B", "SELECT count(*) FROM participants WHERE tenant_id = ? AND external_id = 'alpha-carol'", "1", f.b.created.TenantID)),
			isoStep(isoWrite, "alice is B's", "POST", "/v1/participants", map[string]any{"external_id": "alice", "display_name": "Alice of Beta"}, 200, "").
				then(isoHas("id", f.bPar["alice"]), isoHas("email", "alice@beta.example")),
		}
	},

	"GET /v1/participants/:external_id": func(f *isoFixture) []isoCase {
		cases := notFoundForEach("A's participant", "GET", "/v1/participants/%s", nil, "participant_not_found",
			named("alpha-anna"), named("alpha-bob"), named("alpha-erin"), isoTarget{"alpha-anna's id", f.aPar["alpha-anna"]}, isoTarget{"alice's id", f.aPar["alice"]})
		return append(cases,
			isoStep(isoProbe, "alice is B's", "GET", "/v1/participants/alice", nil, 200, "").
				then(isoHas("id", f.bPar["alice"]), isoHas("email", "alice@beta.example")),
			isoStep(isoRecheck, "alpha-carol is now B's own", "GET", "/v1/participants/alpha-carol", nil, 200, "").
				allow("alpha-carol").then(isoDiffers("id", f.aPar["alpha-carol"]), isoHas("email", "carol@beta.example")),
		)
	},

	"GET /v1/participants/:external_id/invitations": func(f *isoFixture) []isoCase {
		cases := notFoundForEach("A's host", "GET", "/v1/participants/%s/invitations", nil, "participant_not_found",
			named("alpha-anna"), named("alpha-erin"), isoTarget{"alpha-anna's id", f.aPar["alpha-anna"]})
		return append(cases,
			isoStep(isoProbe, "alice's are B's", "GET", "/v1/participants/alice/invitations", nil, 200, "").
				then(isoListIDs(f.bInv)),
			isoStep(isoProbe, "alice's starting after A's invitation", "GET", "/v1/participants/alice/invitations?starting_after="+f.aPendingInv, nil, 200, "").
				then(isoListIDs()),
			isoStep(isoRecheck, "alpha-anna's are B's own", "GET", "/v1/participants/alpha-anna/invitations", nil, 200, "").
				allow("alpha-anna").then(isoHas("data.0.campaign", "beta-manual"), isoLacksPath("data.1")),
		)
	},

	"GET /v1/participants/:external_id/rewards": func(f *isoFixture) []isoCase {
		cases := notFoundForEach("A's participant", "GET", "/v1/participants/%s/rewards", nil, "participant_not_found",
			named("alpha-anna"), named("alpha-bob"), named("alpha-ivy"), isoTarget{"alpha-erin's id", f.aPar["alpha-erin"]})
		return append(cases,
			isoStep(isoProbe, "alice's are B's: none", "GET", "/v1/participants/alice/rewards", nil, 200, "").then(isoListIDs()),
			isoStep(isoProbe, "alice's starting after A's reward", "GET", "/v1/participants/alice/rewards?starting_after="+f.aAliceTkt, nil, 200, "").
				then(isoListIDs()),
			isoStep(isoRecheck, "alpha-bob's are B's own", "GET", "/v1/participants/alpha-bob/rewards", nil, 200, "").
				allow("alpha-bob").then(isoHas("data.0.campaign", "beta-manual"), isoHas("data.0.participant", "alpha-bob"), isoLacksPath("data.1")),
		)
	},

	"POST /v1/widget/tokens": func(f *isoFixture) []isoCase {
		return []isoCase{
			notFound("A's campaign", "POST", "/v1/widget/tokens", map[string]any{"participant": "alice", "campaign": "alpha-manual"}, "campaign_not_found"),
			isoStep(isoWrite, "A's host name in B's campaign is B's own participant", "POST", "/v1/widget/tokens",
				map[string]any{"participant": "alpha-anna", "campaign": "shared"}, 201, ""),
		}
	},

	"GET /v1/integrations/stripe": func(f *isoFixture) []isoCase {
		return []isoCase{isoStep(isoProbe, "B has connected no Stripe", "GET", "/v1/integrations/stripe", nil, 200, "").
			then(isoHas("connected", false))}
	},
	"DELETE /v1/integrations/stripe": func(f *isoFixture) []isoCase {
		return []isoCase{isoStep(isoProbe, "B's disconnect leaves A's", "DELETE", "/v1/integrations/stripe", nil, 204, "").
			then(isoSQL("A's Stripe key", "SELECT key_hint FROM stripe_connections WHERE tenant_id = ?", isoStripeKeyHint, f.a.created.TenantID))}
	},
	"PUT /v1/integrations/stripe": func(f *isoFixture) []isoCase {
		return []isoCase{isoStep(isoWrite, "B's own Stripe", "PUT", "/v1/integrations/stripe",
			map[string]any{"api_key": "sk_test_betaStripeKey99"}, 200, "").
			then(isoHas("api_key", "sk_test_…ey99"),
				isoSQL("A's Stripe key", "SELECT key_hint FROM stripe_connections WHERE tenant_id = ?", isoStripeKeyHint, f.a.created.TenantID))}
	},
	"POST /v1/rewards/:id/retry-fulfilment": func(f *isoFixture) []isoCase {
		return notFoundForEach("A's reward", "POST", "/v1/rewards/%s/retry-fulfilment", nil, "reward_not_found",
			isoTarget{"issued", f.aIssued}, isoTarget{"redeemed", f.aRedeemed}, isoTarget{"ticket", f.aTicket})
	},

	"PUT /v1/widget/settings": func(f *isoFixture) []isoCase {
		return []isoCase{
			isoStep(isoWrite, "B's own origins", "PUT", "/v1/widget/settings",
				map[string]any{"allowed_origins": []string{"https://beta.example"}}, 200, "").
				then(isoHas("allowed_origins.0", "https://beta.example")),
		}
	},

	"POST /v1/campaigns/:slug/referrer-code": func(f *isoFixture) []isoCase {
		return []isoCase{
			notFound("A's referrer campaign and host", "POST", "/v1/campaigns/alpha-friends/referrer-code", map[string]any{"participant": "alpha-erin"}, "campaign_not_found"),
			notFound("A's manual campaign", "POST", "/v1/campaigns/alpha-manual/referrer-code", map[string]any{"participant": "alice"}, "campaign_not_found"),
			// The very request A made, with A's Idempotency-Key: B's own
			// new code, not A's stored answer.
			isoStep(isoWrite, "A's idempotent request is not replayed", "POST", "/v1/campaigns/shared/referrer-code", map[string]any{"participant": "alice"}, 200, "").
				with("Idempotency-Key", isoReferrerKey).then(isoDiffers("code", f.aAliceCode), isoNotReplayed()),
			isoStep(isoWrite, "A's host name gets B's own code", "POST", "/v1/campaigns/shared/referrer-code", map[string]any{"participant": "alpha-erin"}, 200, "").
				then(isoDiffers("code", f.aErinCode)),
		}
	},

	"POST /v1/campaigns/:slug/invitations": func(f *isoFixture) []isoCase {
		return []isoCase{
			// The very request A made, with A's Idempotency-Key.
			notFound("A's idempotent request is not replayed", "POST", "/v1/campaigns/alpha-manual/invitations", isoInviteBody, "campaign_not_found").
				with("Idempotency-Key", isoInviteKey).then(isoNotReplayed()),
			notFound("A's paused campaign", "POST", "/v1/campaigns/alpha-paused/invitations", map[string]any{"host": "alpha-anna"}, "campaign_not_found"),
			notFound("A's referrer campaign", "POST", "/v1/campaigns/alpha-friends/invitations", map[string]any{"host": "alpha-erin"}, "campaign_not_found"),
			isoStep(isoWrite, "A's host name in B's campaign", "POST", "/v1/campaigns/beta-manual/invitations", map[string]any{"host": "alpha-anna"}, 201, "").
				allow("alpha-anna").then(isoHas("campaign", "beta-manual"), isoHas("host", "alpha-anna"),
				isoSQL("alpha-anna in B", "SELECT count(*) FROM participants WHERE tenant_id = ? AND external_id = 'alpha-anna'", "1", f.b.created.TenantID)),
		}
	},

	"POST /v1/claims": func(f *isoFixture) []isoCase {
		pending := isoSQL("A's invitation still pending", "SELECT count(*) FROM invitations WHERE id = ? AND guest_id IS NULL", "1", f.aPendingInv)
		return []isoCase{
			notFound("A's pending invitation", "POST", "/v1/claims", map[string]any{"code": f.aPendingCode, "guest": "b-zed"}, "code_not_found").then(pending),
			notFound("A's pending invitation in lowercase", "POST", "/v1/claims", map[string]any{"code": strings.ToLower(f.aPendingCode), "guest": "b-zed"}, "code_not_found").then(pending),
			notFound("A's pending invitation for A's guest name", "POST", "/v1/claims", map[string]any{"code": f.aPendingCode, "guest": "alpha-bob"}, "code_not_found").then(pending),
			notFound("A's claimed invitation", "POST", "/v1/claims", map[string]any{"code": f.aClaimedCode, "guest": "b-zed"}, "code_not_found"),
			notFound("A's half-done invitation", "POST", "/v1/claims", map[string]any{"code": f.aCarolCode, "guest": "alice"}, "code_not_found"),
			notFound("A's referrer code", "POST", "/v1/claims", map[string]any{"code": f.aErinCode, "guest": "b-zed"}, "code_not_found"),
			notFound("A's referrer code by its own host's name", "POST", "/v1/claims", map[string]any{"code": f.aAliceCode, "guest": "alice"}, "code_not_found"),
			isoStep(isoWrite, "A's guest name claims B's invitation", "POST", "/v1/claims", map[string]any{"code": f.bCode, "guest": "alpha-bob"}, 201, "").
				allow("alpha-bob").then(isoHas("invitation.id", f.bInv), isoHas("invitation.guest", "alpha-bob"), isoHas("invitation.campaign", "beta-manual")),
		}
	},

	"POST /v1/events": func(f *isoFixture) []isoCase {
		return []isoCase{
			isoStep(isoProbe, "A's private event name", "POST", "/v1/events", map[string]any{"participant": "b-zed", "name": "alpha_only_step"}, 422, "unknown_event"),
			// A stored this very event under this key: B's is new.
			isoStep(isoWrite, "A's idempotency key and event", "POST", "/v1/events",
				map[string]any{"participant": "alpha-bob", "name": "signup_complete", "idempotency_key": "alpha-evt-bob-signup"}, 202, "").
				then(isoHas("duplicate", false), isoDiffers("id", f.aEvent["alpha-evt-bob-signup"])),
			isoStep(isoWrite, "A's idempotency key with another event", "POST", "/v1/events",
				map[string]any{"participant": "b-zed", "name": "purchase_complete"}, 202, "").
				with("Idempotency-Key", "alpha-evt-dora-signup").then(isoHas("duplicate", false)),
		}
	},

	"POST /v1/events/batch": func(f *isoFixture) []isoCase {
		return []isoCase{
			isoStep(isoProbe, "A's private event name", "POST", "/v1/events/batch",
				map[string]any{"events": []any{map[string]any{"participant": "b-zed", "name": "alpha_only_step"}}}, 200, "").
				then(isoHas("results.0.error.code", "unknown_event")),
			isoStep(isoWrite, "A's keys and participants", "POST", "/v1/events/batch", map[string]any{"events": []any{
				map[string]any{"participant": "alpha-hank", "name": "signup_complete", "idempotency_key": "alpha-evt-hank-signup"},
				map[string]any{"participant": "alice", "name": "purchase_complete", "idempotency_key": "alpha-evt-dora-step"},
				map[string]any{"participant": "alpha-gina", "name": "alpha_only_step"},
			}}, 200, "").then(isoHas("results.0.status", "created"), isoDiffers("results.0.id", f.aEvent["alpha-evt-hank-signup"]),
				isoHas("results.1.status", "created"), isoHas("results.2.error.code", "unknown_event"),
				isoSQL("alpha-hank in B", "SELECT count(*) FROM participants WHERE tenant_id = ? AND external_id = 'alpha-hank'", "1", f.b.created.TenantID)),
		}
	},

	"POST /v1/rewards/:id/redeem": func(f *isoFixture) []isoCase { return f.settleCases("redeem") },
	"POST /v1/rewards/:id/void":   func(f *isoFixture) []isoCase { return f.settleCases("void") },

	"POST /v1/raffles": func(f *isoFixture) []isoCase {
		pot := isoSQL("A's ticket still in its pot", "SELECT status FROM reward_tokens WHERE id = ?", "issued", f.aTicket)
		draws := isoSQL("A's draws", "SELECT count(*) FROM raffle_draws WHERE tenant_id = ?", "1", f.a.created.TenantID)
		return []isoCase{
			notFound("A's raffle campaign", "POST", "/v1/raffles", map[string]any{"campaign": "alpha-friends", "winners": 1}, "campaign_not_found").then(pot, draws),
			notFound("A's campaign id", "POST", "/v1/raffles", map[string]any{"campaign": f.aCampaign["alpha-friends"], "winners": 1}, "campaign_not_found").then(pot, draws),
			// A's shared has issued tickets; B's has none.
			isoStep(isoProbe, "shared is B's, without tickets", "POST", "/v1/raffles", map[string]any{"campaign": "shared", "winners": 1}, 409, "no_tickets").
				then(draws, isoSQL("A's ticket in shared", "SELECT status FROM reward_tokens WHERE id = ?", "issued", f.aAliceTkt)),
		}
	},

	"POST /v1/webhook-endpoints": func(f *isoFixture) []isoCase {
		return []isoCase{isoStep(isoWrite, "B's own endpoint", "POST", "/v1/webhook-endpoints",
			map[string]any{"url": "https://93.184.216.34/beta-hook", "events": []string{"reward.issued"}}, 201, "")}
	},
	"GET /v1/webhook-endpoints": func(f *isoFixture) []isoCase {
		return []isoCase{isoStep(isoProbe, "B's endpoints only", "GET", "/v1/webhook-endpoints", nil, 200, "")}
	},
	"GET /v1/webhook-endpoints/:id": func(f *isoFixture) []isoCase {
		return []isoCase{notFound("A's endpoint", "GET", "/v1/webhook-endpoints/"+f.aEndpoint, nil, "webhook_endpoint_not_found")}
	},
	"PATCH /v1/webhook-endpoints/:id": func(f *isoFixture) []isoCase {
		return []isoCase{notFound("A's endpoint", "PATCH", "/v1/webhook-endpoints/"+f.aEndpoint,
			map[string]any{"status": "disabled"}, "webhook_endpoint_not_found")}
	},
	"DELETE /v1/webhook-endpoints/:id": func(f *isoFixture) []isoCase {
		return []isoCase{notFound("A's endpoint", "DELETE", "/v1/webhook-endpoints/"+f.aEndpoint, nil, "webhook_endpoint_not_found")}
	},
	"POST /v1/webhook-endpoints/:id/rotate-secret": func(f *isoFixture) []isoCase {
		return []isoCase{notFound("A's endpoint", "POST", "/v1/webhook-endpoints/"+f.aEndpoint+"/rotate-secret", nil, "webhook_endpoint_not_found")}
	},
	"POST /v1/webhook-endpoints/:id/test": func(f *isoFixture) []isoCase {
		return []isoCase{notFound("A's endpoint", "POST", "/v1/webhook-endpoints/"+f.aEndpoint+"/test", nil, "webhook_endpoint_not_found")}
	},
	"GET /v1/webhook-endpoints/:id/deliveries": func(f *isoFixture) []isoCase {
		return []isoCase{notFound("A's endpoint", "GET", "/v1/webhook-endpoints/"+f.aEndpoint+"/deliveries", nil, "webhook_endpoint_not_found")}
	},
	"POST /v1/webhook-endpoints/:id/replay": func(f *isoFixture) []isoCase {
		return []isoCase{notFound("A's endpoint", "POST", "/v1/webhook-endpoints/"+f.aEndpoint+"/replay",
			map[string]any{"since": "2020-01-01T00:00:00Z"}, "webhook_endpoint_not_found")}
	},
	"POST /v1/webhook-deliveries/:id/replay": func(f *isoFixture) []isoCase {
		return []isoCase{notFound("A's delivery", "POST", "/v1/webhook-deliveries/"+f.aDelivery+"/replay", nil, "webhook_delivery_not_found")}
	},

	"GET /v1/raffles/:id": func(f *isoFixture) []isoCase {
		return notFoundForEach("A's", "GET", "/v1/raffles/%s", nil, "raffle_not_found", isoTarget{"raffle", f.aRaffle}, isoTarget{"ticket's id", f.aTicket})
	},
}

// settleCases: redeeming or voiding A's tokens, whatever their status,
// is 404 (a redeemed token would otherwise be a 200 no-op, a voided one a
// 409) and leaves them as they were.
func (f *isoFixture) settleCases(action string) []isoCase {
	var cases []isoCase
	for _, tok := range []struct{ what, id, status string }{
		{"A's issued cash reward", f.aIssued, "issued"},
		{"A's redeemed reward", f.aRedeemed, "redeemed"},
		{"A's voided reward", f.aVoided, "voided"},
		{"A's issued ticket", f.aTicket, "issued"},
		{"A's invitation id", f.aPendingInv, ""},
		{"A's raffle id", f.aRaffle, ""},
	} {
		c := notFound(tok.what, "POST", "/v1/rewards/"+tok.id+"/"+action, nil, "reward_not_found")
		if tok.status != "" {
			c = c.then(isoSQL("A's token", "SELECT status FROM reward_tokens WHERE id = ?", tok.status, tok.id))
		}
		cases = append(cases, c)
	}
	return cases
}

// isoTarget is an identifier of A's and how a case names it.
type isoTarget struct{ label, value string }

// named is an identifier that is its own label (a slug, an external id).
func named(value string) isoTarget { return isoTarget{value, value} }

// notFoundForEach is one 404 case per identifier, in the path's %s.
func notFoundForEach(what, method, pathFormat string, body any, code string, targets ...isoTarget) []isoCase {
	cases := make([]isoCase, len(targets))
	for i, target := range targets {
		cases[i] = notFound(what+" "+target.label, method, fmt.Sprintf(pathFormat, target.value), body, code)
	}
	return cases
}

// TestIsolationCoversEveryV1Route fails when Fiber serves a /v1 route that
// isolationCases has no entry for, or isolationCases names one it does not
// serve.
func TestIsolationCoversEveryV1Route(t *testing.T) {
	served := isoV1Routes(newTestApp(testConfig{DB: env.App}))
	for _, route := range served {
		if isolationCases[route] == nil {
			t.Errorf("%s has no isolation case: add one to isolationCases", route)
		}
	}
	for route := range isolationCases {
		if !slices.Contains(served, route) {
			t.Errorf("isolationCases has %s, which Fiber does not serve", route)
		}
	}
	if len(served) == 0 {
		t.Fatal("no /v1 route found")
	}
}

// isoV1Routes lists the /v1 routes as "METHOD /path", sorted: no HEAD
// twins, no middleware.
func isoV1Routes(app *fiber.App) []string {
	var out []string
	for _, r := range app.GetRoutes(true) {
		if r.Method == fiber.MethodHead || len(r.Handlers) == 0 || !strings.HasPrefix(r.Path, "/v1/") {
			continue
		}
		if key := r.Method + " " + r.Path; !slices.Contains(out, key) {
			out = append(out, key)
		}
	}
	sort.Strings(out)
	return out
}

// TestIsolationTenantBReachesNothingOfTenantA runs every case as B against
// A's full data set.
func TestIsolationTenantBReachesNothingOfTenantA(t *testing.T) {
	app := newTestApp(testConfig{DB: env.App, PublicURL: "https://tandem.test"})
	// One server for both tenants, as in production: the key alone decides.
	f := &isoFixture{a: newIsoTenant(t, app, "Isolation Alpha"), b: newIsoTenant(t, app, "Isolation Beta")}
	f.setUpA(t)
	f.setUpB(t)
	f.collectMarkers(t)

	type planned struct {
		route string
		isoCase
	}
	var plan []planned
	routes := isoV1Routes(app)
	for _, route := range routes {
		build := isolationCases[route]
		if build == nil {
			t.Errorf("%s has no isolation case", route)
			continue
		}
		method, pattern, _ := strings.Cut(route, " ")
		matches := regexp.MustCompile("^" + regexp.MustCompile(`:[a-z_]+`).ReplaceAllString(regexp.QuoteMeta(pattern), `[^/]+`) + "$")
		cases := build(f)
		if len(cases) == 0 {
			t.Errorf("%s: no cases", route)
		}
		for _, c := range cases {
			path, _, _ := strings.Cut(c.path, "?")
			if c.method != method || !matches.MatchString(path) {
				t.Fatalf("%s: case %q sends %s %s, another route", route, c.name, c.method, c.path)
			}
			plan = append(plan, planned{route, c})
		}
	}
	sort.SliceStable(plan, func(i, j int) bool { return plan[i].phase < plan[j].phase })

	tables := isoTenantTables(t)
	aBefore := isoSnapshot(t, tables, f.a.created.TenantID)
	for _, table := range []string{"event_definitions", "campaigns", "campaign_versions", "participants", "invite_codes", "referrer_codes",
		"invitations", "events", "reward_tokens", "raffle_draws", "raffle_entries", "raffle_winners", "api_idempotency", "api_keys"} {
		if n := aBefore[table]; n == "" || strings.HasPrefix(n, "0 ") {
			t.Fatalf("A's data set is incomplete: no rows in %s", table)
		}
	}
	aAPIBefore := f.aReadEverything(t)

	statuses := map[int]int{}
	notFoundBodies := map[string]string{} // code → the one body of that 404
	for _, p := range plan {
		t.Run(fmt.Sprintf("%s/%s/%s", p.phase, p.route, p.name), func(t *testing.T) {
			var bBefore map[string]string
			if p.phase != isoWrite {
				bBefore = isoSnapshot(t, tables, f.b.created.TenantID)
			}
			r := f.b.call(t, p.method, p.path, p.body, p.headers...)
			statuses[r.Status]++
			if r.Status == http.StatusForbidden {
				t.Errorf("403 tells B that A's resource exists\n%s", r.Body)
			}
			if r.Status != p.status || r.ErrorCode() != p.code {
				t.Errorf("%s %s: got %d %q, want %d %q\n%s", p.method, p.path, r.Status, r.ErrorCode(), p.status, p.code, r.Body)
			}
			f.scan(t, r, p.allowed)
			if r.Status == http.StatusNotFound {
				// One body per code, as for an id that never existed:
				// the answer tells nothing about A.
				if first, seen := notFoundBodies[r.ErrorCode()]; seen && first != string(r.Body) {
					t.Errorf("this 404 differs from another %s:\n%s\n%s", r.ErrorCode(), r.Body, first)
				}
				notFoundBodies[r.ErrorCode()] = string(r.Body)
			}
			for _, check := range p.checks {
				check(t, r)
			}
			isoCompare(t, "A's rows", aBefore, isoSnapshot(t, tables, f.a.created.TenantID))
			if bBefore != nil {
				isoCompare(t, "B's rows (this request writes nothing)", bBefore, isoSnapshot(t, tables, f.b.created.TenantID))
			}
		})
	}

	// As A, through the API, nothing changed either.
	aAPIAfter := f.aReadEverything(t)
	for path, before := range aAPIBefore {
		if after := aAPIAfter[path]; after != before {
			t.Errorf("A's GET %s changed during B's requests:\nbefore %s\nafter  %s", path, before, after)
		}
	}

	// The scan and the digest can see: every body of A's data (not an
	// empty list, not a preview's counts) holds a marker, and A's own
	// change shows in the digest.
	for path, body := range aAPIAfter {
		if strings.Contains(body, `"data":[]`) || strings.HasSuffix(path, "/preview-publish") {
			continue
		}
		if !slices.ContainsFunc(slices.Collect(maps.Keys(f.markers)), func(m string) bool { return strings.Contains(body, m) }) {
			t.Errorf("A's GET %s holds none of the markers: the scan would miss a leak of it", path)
		}
	}
	isoDo(t, f.a, "POST", "/v1/rewards/"+f.aIssued+"/redeem", nil, 200)
	if after := isoSnapshot(t, tables, f.a.created.TenantID); after["reward_tokens"] == aBefore["reward_tokens"] {
		t.Error("the digest of A's reward_tokens missed A's own redeem")
	}
	t.Logf("isolation: %d routes, %d cases as tenant B, %d A identifiers scanned for; statuses %v",
		len(routes), len(plan), len(f.markers), statuses)
}

var apiTenantCounter atomic.Int64

// newIsoTenant creates a tenant served by app.
func newIsoTenant(t *testing.T, app *fiber.App, name string) *apiTenant {
	t.Helper()
	n := apiTenantCounter.Add(1)
	created, err := tenants.Create(context.Background(), env.App, tenants.NewTenant{
		Name: fmt.Sprintf("%s %d", name, n), OwnerEmail: fmt.Sprintf("isolation%d@example.com", n), OwnerPassword: "correct horse battery",
	})
	if err != nil {
		t.Fatal(err)
	}
	return &apiTenant{app: app, created: created, secretKey: created.SecretKey, publishableKey: created.PublishableKey}
}

// isoDo sends a set-up request as x and fails unless it answers want.
func isoDo(t *testing.T, x *apiTenant, method, path string, body any, want int, headers ...string) apiResponse {
	t.Helper()
	r := x.call(t, method, path, body, headers...)
	if r.Status != want {
		t.Fatalf("set-up %s %s: got %d, want %d\n%s", method, path, r.Status, want, r.Body)
	}
	return r
}

// isoGet is the value at a JSON path of a set-up response, as text.
func isoGet(t *testing.T, r apiResponse, path string) string {
	t.Helper()
	v, ok := jsonPath(map[string]any(r.JSON), path)
	if !ok || v == nil {
		t.Fatalf("no %s in %s", path, r.Body)
	}
	return fmt.Sprint(v)
}

func isoCampaignBody(name, mode string) map[string]any {
	body := map[string]any{"name": name, "mode": mode, "repeat_last_milestone": true}
	if mode == "referrer_code" {
		body["quest"] = map[string]any{"steps": []string{"invitation_claimed", "signup_complete"}}
		body["host_milestones"] = []any{map[string]any{"count": 1, "reward": reward("1 ticket", "ticket", 1)}}
		body["guest_reward"] = reward("1 ticket", "ticket", 1)
	} else {
		body["quest"] = map[string]any{"steps": []string{"signup_complete"}}
		body["host_milestones"] = []any{map[string]any{"count": 1, "reward": moneyReward("$3", "cash", 300)}}
		body["guest_reward"] = moneyReward("$3 credit", "credit", 300)
	}
	return body
}

// setUpA gives tenant A a full data set: four campaigns (a manual one with
// a pending draft, a referrer-code one with a raffle, a paused one, and
// "shared", a slug B has too), hosts and guests, pending, claimed and
// completed invitations, referrer codes, events, and reward tokens issued,
// redeemed, voided and drawn.
func (f *isoFixture) setUpA(t *testing.T) {
	a := f.a
	f.aCampaign, f.aPar, f.aEvent = map[string]string{}, map[string]string{}, map[string]string{}
	for name, description := range map[string]string{
		"signup_complete": "Alpha: account created", "purchase_complete": "Alpha: first purchase",
		"alpha_only_step": "Alpha: onboarding call", "alpha_extra": "Alpha: not in any quest",
	} {
		isoDo(t, a, "POST", "/v1/event-definitions", map[string]any{"name": name, "description": description}, 201)
	}
	isoDo(t, a, "POST", "/v1/participants", map[string]any{"external_id": "alpha-anna", "email": "anna@alpha.example",
		"display_name": "Anna Alpha", "phone": "+15550001111"}, 201)
	isoDo(t, a, "POST", "/v1/participants", map[string]any{"external_id": "alice", "email": "alice@alpha.example", "display_name": "Alice of Alpha"}, 201)
	event := func(participant, name, key string) {
		r := isoDo(t, a, "POST", "/v1/events", map[string]any{"participant": participant, "name": name, "idempotency_key": key}, 202)
		f.aEvent[key] = isoGet(t, r, "id")
	}
	publish := func(slug string, body map[string]any) {
		f.aCampaign[slug] = isoGet(t, isoDo(t, a, "PUT", "/v1/campaigns/"+slug, body, 200), "id")
		isoDo(t, a, "POST", "/v1/campaigns/"+slug+"/publish", map[string]any{"inflight": "keep"}, 200)
	}

	// alpha-manual: invitations pending, half done and completed (twice,
	// so anna earns two milestones), then a pending draft.
	manual := map[string]any{
		"name": "Alpha Manual Programme", "mode": "invitation", "quest": map[string]any{"steps": []string{"signup_complete", "alpha_only_step"}},
		"host_milestones": []any{map[string]any{"count": 1, "reward": moneyReward("Alpha $10", "cash", 1000)}}, "repeat_last_milestone": true,
		"guest_reward": moneyReward("Alpha $5 credit", "credit", 500), "invitation_ttl_hours": 72, "signup_url": "https://alpha.example/join",
	}
	publish("alpha-manual", manual)
	r := isoDo(t, a, "POST", "/v1/campaigns/alpha-manual/invitations", isoInviteBody, 201, "Idempotency-Key", isoInviteKey)
	f.aPendingInv, f.aPendingCode = isoGet(t, r, "id"), isoGet(t, r, "code")
	invite := func(guest string) (id, code string) {
		r := isoDo(t, a, "POST", "/v1/campaigns/alpha-manual/invitations", map[string]any{"host": "alpha-anna", "channel": "sms"}, 201)
		id, code = isoGet(t, r, "id"), isoGet(t, r, "code")
		isoDo(t, a, "POST", "/v1/claims", map[string]any{"code": code, "guest": guest}, 201)
		return id, code
	}
	f.aClaimedInv, f.aClaimedCode = invite("alpha-bob")
	_, f.aCarolCode = invite("alpha-carol")
	invite("alpha-dora")
	event("alpha-bob", "signup_complete", "alpha-evt-bob-signup")
	event("alpha-bob", "alpha_only_step", "alpha-evt-bob-step")
	event("alpha-carol", "signup_complete", "alpha-evt-carol-signup")
	r = isoDo(t, a, "POST", "/v1/events/batch", map[string]any{"events": []any{
		map[string]any{"participant": "alpha-dora", "name": "signup_complete", "idempotency_key": "alpha-evt-dora-signup"},
		map[string]any{"participant": "alpha-dora", "name": "alpha_only_step", "idempotency_key": "alpha-evt-dora-step"},
	}}, 200)
	f.aEvent["alpha-evt-dora-signup"], f.aEvent["alpha-evt-dora-step"] = isoGet(t, r, "results.0.id"), isoGet(t, r, "results.1.id")
	f.aIssued = isoGet(t, isoDo(t, a, "GET", "/v1/participants/alpha-anna/rewards", nil, 200), "data[milestone=1].id")
	f.aRedeemed = isoGet(t, isoDo(t, a, "GET", "/v1/participants/alpha-bob/rewards", nil, 200), "data.0.id")
	f.aVoided = isoGet(t, isoDo(t, a, "GET", "/v1/participants/alpha-dora/rewards", nil, 200), "data.0.id")
	isoDo(t, a, "POST", "/v1/rewards/"+f.aRedeemed+"/redeem", nil, 200)
	isoDo(t, a, "POST", "/v1/rewards/"+f.aVoided+"/void", nil, 200)
	manual["host_milestones"] = []any{map[string]any{"count": 1, "reward": moneyReward("Alpha $15", "cash", 1500)}}
	isoDo(t, a, "PUT", "/v1/campaigns/alpha-manual", manual, 200)
	isoDo(t, a, "GET", "/v1/campaigns/alpha-manual/preview-publish", nil, 200)

	// alpha-friends: referrer codes, tickets, a draw, and tickets issued
	// after it.
	friends := isoCampaignBody("Alpha Friends Raffle", "referrer_code")
	friends["signup_url"] = "https://alpha.example/friends"
	publish("alpha-friends", friends)
	f.aErinCode = isoGet(t, isoDo(t, a, "POST", "/v1/campaigns/alpha-friends/referrer-code", map[string]any{"participant": "alpha-erin"}, 200), "code")
	for _, guest := range []string{"alpha-gina", "alpha-hank"} {
		isoDo(t, a, "POST", "/v1/claims", map[string]any{"code": f.aErinCode, "guest": guest}, 201)
		event(guest, "signup_complete", "alpha-evt-"+strings.TrimPrefix(guest, "alpha-")+"-signup")
	}
	f.aRaffle = isoGet(t, isoDo(t, a, "POST", "/v1/raffles", map[string]any{"campaign": "alpha-friends", "winners": 1}, 201), "id")
	isoDo(t, a, "POST", "/v1/claims", map[string]any{"code": strings.ToLower(f.aErinCode), "guest": "alpha-ivy"}, 201)
	event("alpha-ivy", "signup_complete", "alpha-evt-ivy-signup")
	f.aTicket = isoGet(t, isoDo(t, a, "GET", "/v1/participants/alpha-ivy/rewards", nil, 200), "data.0.id")

	// alpha-paused.
	publish("alpha-paused", isoCampaignBody("Alpha Paused Promo", "invitation"))
	isoDo(t, a, "POST", "/v1/campaigns/alpha-paused/pause", nil, 200)

	// shared: alice's code (made with an Idempotency-Key), a guest's
	// tickets, and a pending draft.
	shared := isoCampaignBody("Alpha Shared Circle", "referrer_code")
	shared["signup_url"] = "https://alpha.example/shared"
	publish("shared", shared)
	r = isoDo(t, a, "POST", "/v1/campaigns/shared/referrer-code", map[string]any{"participant": "alice"}, 200, "Idempotency-Key", isoReferrerKey)
	f.aAliceCode = isoGet(t, r, "code")
	isoDo(t, a, "POST", "/v1/claims", map[string]any{"code": f.aAliceCode, "guest": "alpha-jane"}, 201)
	event("alpha-jane", "signup_complete", "alpha-evt-jane-signup")
	f.aAliceTkt = isoGet(t, isoDo(t, a, "GET", "/v1/participants/alice/rewards", nil, 200), "data.0.id")
	shared["host_milestones"] = []any{map[string]any{"count": 1, "reward": reward("2 tickets", "ticket", 2)}}
	isoDo(t, a, "PUT", "/v1/campaigns/shared", shared, 200)

	for _, ext := range []string{"alpha-anna", "alice", "alpha-bob", "alpha-carol", "alpha-dora", "alpha-erin", "alpha-gina", "alpha-hank", "alpha-ivy", "alpha-jane"} {
		f.aPar[ext] = isoGet(t, isoDo(t, a, "GET", "/v1/participants/"+ext, nil, 200), "id")
	}

	// A webhook endpoint and a test message to it.
	f.aEndpoint = isoGet(t, isoDo(t, a, "POST", "/v1/webhook-endpoints",
		map[string]any{"url": "https://93.184.216.34/alpha-hook", "events": []string{"*"}, "description": "Alpha CRM"}, 201), "id")
	isoDo(t, a, "POST", "/v1/webhook-endpoints/"+f.aEndpoint+"/test", nil, 202)
	f.aDelivery = isoGet(t, isoDo(t, a, "GET", "/v1/webhook-endpoints/"+f.aEndpoint+"/deliveries", nil, 200), "data.0.id")

	// A's Stripe account (checked against stripe-mock).
	isoDo(t, a, "PUT", "/v1/integrations/stripe", map[string]any{"api_key": isoStripeKey}, 200)
}

// A's Stripe key, and all the API shows of it.
const (
	isoStripeKey     = "sk_test_alphaStripeKey7"
	isoStripeKeyHint = "sk_test_…Key7"
)

// setUpB gives tenant B its own "shared" campaign (no draft, no tickets)
// and "alice", A's names, and a manual campaign with alice's pending
// invitation.
func (f *isoFixture) setUpB(t *testing.T) {
	b := f.b
	f.bCampaign, f.bPar = map[string]string{}, map[string]string{}
	isoDo(t, b, "POST", "/v1/event-definitions", map[string]any{"name": "signup_complete", "description": "Beta: account created"}, 201)
	isoDo(t, b, "POST", "/v1/event-definitions", map[string]any{"name": "purchase_complete", "description": "Beta: purchase"}, 201)
	// 201: B's first alice, though A has one.
	f.bPar["alice"] = isoGet(t, isoDo(t, b, "POST", "/v1/participants",
		map[string]any{"external_id": "alice", "email": "alice@beta.example", "display_name": "Alice of Beta"}, 201), "id")
	f.bPar["b-zed"] = isoGet(t, isoDo(t, b, "POST", "/v1/participants", map[string]any{"external_id": "b-zed"}, 201), "id")
	for slug, body := range map[string]map[string]any{
		"shared":      isoCampaignBody("Beta Shared Circle", "referrer_code"),
		"beta-manual": isoCampaignBody("Beta Manual", "invitation"),
	} {
		r := isoDo(t, b, "PUT", "/v1/campaigns/"+slug, body, 200)
		if f.bCampaign[slug] = isoGet(t, r, "id"); f.bCampaign[slug] == f.aCampaign[slug] {
			t.Fatalf("B's PUT %s answered A's campaign", slug)
		}
		// Version 1: A's shared has a version 1 and a draft.
		isoDo(t, b, "POST", "/v1/campaigns/"+slug+"/publish", nil, 200)
	}
	r := isoDo(t, b, "POST", "/v1/campaigns/beta-manual/invitations", map[string]any{"host": "alice"}, 201)
	f.bInv, f.bCode = isoGet(t, r, "id"), isoGet(t, r, "code")
	if f.bPar["alice"] == f.aPar["alice"] {
		t.Fatal("B's alice is A's")
	}
}

// aReadEverything is every GET A can make on its data, by path.
func (f *isoFixture) aReadEverything(t *testing.T) map[string]string {
	t.Helper()
	paths := []string{"/v1/event-definitions", "/v1/campaigns?limit=100", "/v1/raffles/" + f.aRaffle,
		"/v1/webhook-endpoints", "/v1/webhook-endpoints/" + f.aEndpoint + "/deliveries", "/v1/integrations/stripe",
		"/v1/campaigns/alpha-manual/preview-publish", "/v1/campaigns/shared/preview-publish"}
	for slug := range f.aCampaign {
		paths = append(paths, "/v1/campaigns/"+slug)
	}
	for ext := range f.aPar {
		paths = append(paths, "/v1/participants/"+ext, "/v1/participants/"+ext+"/invitations?limit=100", "/v1/participants/"+ext+"/rewards?limit=100")
	}
	out := map[string]string{}
	for _, path := range paths {
		out[path] = string(isoDo(t, f.a, "GET", path, nil, 200).Body)
	}
	return out
}

var (
	isoIDPattern   = regexp.MustCompile(`\b(?:cmp|par|inv|rwd|rfl|evt|key|mem|minv|whe|whd|msg)_[0-9a-f]{32}\b`)
	isoCodePattern = regexp.MustCompile(`"code":"([2-9A-HJ-NP-Z]{8})"|/i/([2-9A-HJ-NP-Z]{8})`)
	isoSeedPattern = regexp.MustCompile(`"seed":"([0-9a-f]{64})"`)
)

// collectMarkers gathers what B must never see: every id and code in
// everything A can read, A's tenant and keys, and the names and values
// only A uses (B has its own "shared" and "alice", so those are not
// markers; their ids are).
func (f *isoFixture) collectMarkers(t *testing.T) {
	f.markers = map[string]string{}
	add := func(value, what string) {
		if value != "" {
			f.markers[value] = what
		}
	}
	for _, body := range f.aReadEverything(t) {
		for _, id := range isoIDPattern.FindAllString(body, -1) {
			add(id, "A's id")
		}
		for _, m := range isoCodePattern.FindAllStringSubmatch(body, -1) {
			add(m[1]+m[2], "A's code")
		}
		for _, m := range isoSeedPattern.FindAllStringSubmatch(body, -1) {
			add(m[1], "A's raffle seed")
		}
	}
	c := f.a.created
	add(c.TenantID.String(), "A's tenant id")
	add(c.Slug, "A's tenant slug")
	add(c.OwnerID, "A's owner")
	add(c.SecretKey, "A's secret key")
	add(c.PublishableKey, "A's publishable key")
	var keyIDs []string
	if err := env.Owner.Raw(`SELECT id FROM api_keys WHERE tenant_id = ?`, c.TenantID).Scan(&keyIDs).Error; err != nil || len(keyIDs) != 2 {
		t.Fatalf("A's key ids: %v %v", keyIDs, err)
	}
	for _, id := range keyIDs {
		add(id, "A's API key id")
	}
	for _, name := range []string{"Isolation Alpha", "alpha-manual", "alpha-friends", "alpha-paused", "alpha_only_step", "alpha_extra",
		"Alpha:", "Alpha Manual Programme", "Alpha Friends Raffle", "Alpha Paused Promo", "Alpha Shared Circle", "alpha.example",
		"Anna Alpha", "Alice of Alpha", "+15550001111", "Alpha $", isoInviteKey, isoReferrerKey, "alpha-hook", "Alpha CRM",
		isoStripeKey, isoStripeKeyHint} {
		add(name, "A's name or value")
	}
	for ext := range f.aPar {
		if ext != "alice" {
			add(ext, "A's external id")
		}
	}
	for key, id := range f.aEvent {
		add(key, "A's idempotency key")
		add(id, "A's event id")
	}
	for _, id := range []string{f.aPendingInv, f.aClaimedInv, f.aIssued, f.aRedeemed, f.aVoided, f.aTicket, f.aAliceTkt, f.aRaffle, f.aErinCode, f.aAliceCode, f.aEndpoint, f.aDelivery} {
		if f.markers[id] == "" {
			t.Fatalf("%s is not among A's readable identifiers", id)
		}
	}
}

// scan fails if the response holds any of A's markers but the allowed.
func (f *isoFixture) scan(t *testing.T, r apiResponse, allowed []string) {
	t.Helper()
	var text strings.Builder
	text.Write(r.Body)
	for name, values := range r.Header {
		fmt.Fprintf(&text, "\n%s: %s", name, strings.Join(values, ", "))
	}
	for marker, what := range f.markers {
		if strings.Contains(text.String(), marker) && !slices.Contains(allowed, marker) {
			t.Errorf("the response holds %s %q\n%s", what, marker, text.String())
		}
	}
}

// isoTenantTables is every table with a tenant_id column.
func isoTenantTables(t *testing.T) []string {
	t.Helper()
	var tables []string
	err := env.Owner.Raw(`
		SELECT c.table_name FROM information_schema.columns c
		JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
		WHERE c.table_schema = 'public' AND c.column_name = 'tenant_id' AND t.table_type = 'BASE TABLE'
		ORDER BY 1`).Scan(&tables).Error
	if err != nil || len(tables) < 10 {
		t.Fatalf("tenant tables: %v %v", tables, err)
	}
	return tables
}

// isoSnapshot is, per table, a tenant's row count and a digest of its rows,
// read as the superuser (no row-level security).
func isoSnapshot(t *testing.T, tables []string, tenant any) map[string]string {
	t.Helper()
	parts := []string{`SELECT 'tenants' AS tbl, count(*) AS n, coalesce(md5(string_agg(r::text, '|' ORDER BY r::text)), '') AS digest FROM tenants r WHERE r.id = @tenant`}
	for _, table := range tables {
		parts = append(parts, fmt.Sprintf(`SELECT '%s', count(*), coalesce(md5(string_agg(r::text, '|' ORDER BY r::text)), '') FROM %s r WHERE r.tenant_id = @tenant`,
			table, pgx.Identifier{table}.Sanitize()))
	}
	var rows []struct {
		Tbl    string
		N      int64
		Digest string
	}
	if err := env.Owner.Raw(strings.Join(parts, " UNION ALL "), map[string]any{"tenant": tenant}).Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, row := range rows {
		out[row.Tbl] = fmt.Sprintf("%d %s", row.N, row.Digest)
	}
	return out
}

func isoCompare(t *testing.T, what string, before, after map[string]string) {
	t.Helper()
	for table, b := range before {
		if a := after[table]; a != b {
			t.Errorf("%s changed in %s: %s rows before, %s after", what, table, strings.Fields(b)[0], strings.Fields(a)[0])
		}
	}
}

// isoHas checks the value at a JSON path (nil: present and null).
func isoHas(path string, want any) isoCheck {
	return func(t *testing.T, r apiResponse) {
		t.Helper()
		got, ok := jsonPath(map[string]any(r.JSON), path)
		if !ok || fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s = %v (found: %v), want %v\n%s", path, got, ok, want, r.Body)
		}
	}
}

// isoDiffers checks that a JSON path holds a value other than A's: B got a
// row of its own.
func isoDiffers(path, aValue string) isoCheck {
	return func(t *testing.T, r apiResponse) {
		t.Helper()
		got, ok := jsonPath(map[string]any(r.JSON), path)
		if !ok || got == nil || fmt.Sprint(got) == aValue {
			t.Errorf("%s = %v (found: %v), want B's own, not A's %s\n%s", path, got, ok, aValue, r.Body)
		}
	}
}

// isoLacksPath checks that nothing is at a JSON path.
func isoLacksPath(path string) isoCheck {
	return func(t *testing.T, r apiResponse) {
		t.Helper()
		if got, ok := jsonPath(map[string]any(r.JSON), path); ok {
			t.Errorf("%s = %v, want nothing\n%s", path, got, r.Body)
		}
	}
}

// isoListIDs checks that a list holds exactly these ids.
func isoListIDs(want ...string) isoCheck {
	return func(t *testing.T, r apiResponse) {
		t.Helper()
		data, ok := r.JSON["data"].([]any)
		if !ok {
			t.Fatalf("not a list: %s", r.Body)
		}
		got := []string{}
		for _, item := range data {
			obj, _ := item.(map[string]any)
			got = append(got, fmt.Sprint(obj["id"]))
		}
		want = append([]string{}, want...)
		sort.Strings(got)
		sort.Strings(want)
		if !slices.Equal(got, want) {
			t.Errorf("list ids %v, want %v\n%s", got, want, r.Body)
		}
	}
}

// isoNotReplayed checks that the response is not a stored idempotent one.
func isoNotReplayed() isoCheck {
	return func(t *testing.T, r apiResponse) {
		t.Helper()
		if h := r.Header.Get("Idempotent-Replayed"); h != "" {
			t.Errorf("Idempotent-Replayed: %s, a replay of another tenant's request\n%s", h, r.Body)
		}
	}
}

// isoSQL checks one value read as the superuser.
func isoSQL(what, query, want string, args ...any) isoCheck {
	return func(t *testing.T, _ apiResponse) {
		t.Helper()
		var got string
		if err := env.Owner.Raw(query, args...).Row().Scan(&got); err != nil || got != want {
			t.Errorf("%s: %q (%v), want %q", what, got, err, want)
		}
	}
}
