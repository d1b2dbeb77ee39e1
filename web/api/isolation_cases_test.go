package api

import (
	"strings"
)

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

	"GET /v1/participants": func(f *isoFixture) []isoCase {
		return []isoCase{
			isoStep(isoProbe, "B's participants only", "GET", "/v1/participants?limit=100", nil, 200, "").
				then(isoListIDs(f.bPar["alice"], f.bPar["b-zed"])),
			isoStep(isoProbe, "A's external id as a filter", "GET", "/v1/participants?external_id=alpha-anna", nil, 200, "").
				then(isoListIDs()),
			isoStep(isoProbe, "alice's e-mail at A as a filter", "GET", "/v1/participants?email=alice@alpha.example", nil, 200, "").
				then(isoListIDs()),
			isoStep(isoProbe, "alice is B's", "GET", "/v1/participants?external_id=alice", nil, 200, "").
				then(isoListIDs(f.bPar["alice"])),
			isoStep(isoProbe, "starting after A's participant", "GET", "/v1/participants?starting_after="+f.aPar["alpha-anna"], nil, 200, "").
				then(isoListIDs()),
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

	"GET /v1/participants/:external_id/export": func(f *isoFixture) []isoCase {
		cases := notFoundForEach("A's participant", "GET", "/v1/participants/%s/export", nil, "participant_not_found",
			named("alpha-anna"), named("alpha-bob"), named("alpha-erin"), isoTarget{"alpha-anna's id", f.aPar["alpha-anna"]})
		return append(cases,
			isoStep(isoProbe, "alice's is B's", "GET", "/v1/participants/alice/export", nil, 200, "").
				then(isoHas("participant.id", f.bPar["alice"]), isoHas("participant.email", "alice@beta.example"),
					isoHas("invitations_as_host.0.id", f.bInv), isoLacksPath("invitations_as_host.1"), isoLacksPath("rewards.0")),
		)
	},

	"POST /v1/participants/:external_id/erase": func(f *isoFixture) []isoCase {
		aliceAtA := isoSQL("A's alice not erased", "SELECT count(*) FROM participants WHERE tenant_id = ? AND external_id = 'alice' AND erased_at IS NULL",
			"1", f.a.created.TenantID)
		cases := notFoundForEach("A's participant", "POST", "/v1/participants/%s/erase", nil, "participant_not_found",
			named("alpha-anna"), named("alpha-bob"), isoTarget{"alpha-anna's id", f.aPar["alpha-anna"]})
		return append(cases,
			isoStep(isoWrite, "b-zed is B's", "POST", "/v1/participants/b-zed/erase", nil, 200, "").
				then(isoHas("id", f.bPar["b-zed"]), aliceAtA,
					isoSQL("A's erased", "SELECT count(*) FROM participants WHERE tenant_id = ? AND erased_at IS NOT NULL", "0", f.a.created.TenantID)),
		)
	},

	"GET /v1/invitations": func(f *isoFixture) []isoCase {
		return []isoCase{
			isoStep(isoProbe, "B's invitations only", "GET", "/v1/invitations?limit=100", nil, 200, "").
				then(isoListIDs(f.bInv)),
			isoStep(isoProbe, "A's host as a filter", "GET", "/v1/invitations?host=alpha-anna", nil, 404, "participant_not_found"),
			isoStep(isoProbe, "A's campaign as a filter", "GET", "/v1/invitations?campaign=alpha-manual", nil, 200, "").
				then(isoListIDs()),
			isoStep(isoProbe, "starting after A's invitation", "GET", "/v1/invitations?starting_after="+f.aPendingInv, nil, 200, "").
				then(isoListIDs()),
		}
	},

	"GET /v1/rewards": func(f *isoFixture) []isoCase {
		return []isoCase{
			isoStep(isoProbe, "B's rewards: none", "GET", "/v1/rewards?limit=100", nil, 200, "").then(isoListIDs()),
			isoStep(isoProbe, "A's participant as a filter", "GET", "/v1/rewards?participant=alpha-erin", nil, 404, "participant_not_found"),
			isoStep(isoProbe, "A's issued rewards' filter", "GET", "/v1/rewards?status=issued&campaign=alpha-friends", nil, 200, "").
				then(isoListIDs()),
			isoStep(isoProbe, "starting after A's reward", "GET", "/v1/rewards?starting_after="+f.aIssued, nil, 200, "").
				then(isoListIDs()),
		}
	},

	"GET /v1/rewards/:id": func(f *isoFixture) []isoCase {
		return notFoundForEach("A's reward", "GET", "/v1/rewards/%s", nil, "reward_not_found",
			isoTarget{"A's issued reward", f.aIssued}, isoTarget{"A's redeemed reward", f.aRedeemed},
			isoTarget{"A's ticket", f.aTicket}, isoTarget{"A's invitation id", f.aPendingInv})
	},

	"GET /v1/widget/settings": func(f *isoFixture) []isoCase {
		return []isoCase{
			isoStep(isoProbe, "B's origins, not A's", "GET", "/v1/widget/settings", nil, 200, "").
				then(isoLacksPath("allowed_origins.0")),
			isoStep(isoRecheck, "B's own saved origins", "GET", "/v1/widget/settings", nil, 200, "").
				then(isoHas("allowed_origins.0", "https://beta.example"), isoLacksPath("allowed_origins.1")),
		}
	},

	"GET /v1/settings/retention": func(f *isoFixture) []isoCase {
		return []isoCase{isoStep(isoProbe, "B's defaults, not A's periods", "GET", "/v1/settings/retention", nil, 200, "").
			then(isoHas("event_properties_days", float64(365)), isoHas("idempotency_hours", float64(24)), isoHas("webhook_days", float64(30)))}
	},
	"PUT /v1/settings/retention": func(f *isoFixture) []isoCase {
		return []isoCase{isoStep(isoWrite, "B's own periods", "PUT", "/v1/settings/retention",
			map[string]any{"event_properties_days": 7, "idempotency_hours": 1, "webhook_days": 1}, 200, "").
			then(isoHas("event_properties_days", float64(7)),
				isoSQL("A's periods", "SELECT format('%s/%s/%s', event_properties_days, idempotency_hours, webhook_days) FROM retention_settings WHERE tenant_id = ?",
					"91/25/31", f.a.created.TenantID))}
	},

	// The scan finds none of A's identifiers among B's every row.
	"GET /v1/tenant/export": func(f *isoFixture) []isoCase {
		return []isoCase{isoStep(isoProbe, "B's whole account, none of A's", "GET", "/v1/tenant/export", nil, 200, "").
			then(isoBodyHas(`"table":"participants"`, f.b.created.TenantID.String()))}
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

	"GET /v1/fraud/blocklist": func(f *isoFixture) []isoCase {
		return []isoCase{
			isoStep(isoProbe, "B's blocklist, not A's", "GET", "/v1/fraud/blocklist", nil, 200, "").then(isoLacksPath("entries.0")),
		}
	},
	"PUT /v1/fraud/blocklist": func(f *isoFixture) []isoCase {
		kept := isoSQL("A's blocklist kept", "SELECT count(*) FROM fraud_blocklist WHERE entry = ?", "1", "*@alpha-blocked.example")
		return []isoCase{
			isoStep(isoWrite, "B's own blocklist", "PUT", "/v1/fraud/blocklist", map[string]any{"entries": []string{"*@beta-blocked.example"}}, 200, "").
				then(isoHas("entries.0", "*@beta-blocked.example"), isoLacksPath("entries.1"), kept),
		}
	},
	"GET /v1/invitations/:code": func(f *isoFixture) []isoCase {
		return []isoCase{
			notFound("A's pending invitation", "GET", "/v1/invitations/"+f.aPendingCode, nil, "invitation_not_found"),
			notFound("A's claimed invitation", "GET", "/v1/invitations/"+f.aClaimedCode, nil, "invitation_not_found"),
			notFound("A's referrer code", "GET", "/v1/invitations/"+f.aErinCode, nil, "invitation_not_found"),
		}
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
	// Deciding another tenant's reward, held or not, is not found, and
	// leaves it as it was.
	"POST /v1/rewards/:id/approve": func(f *isoFixture) []isoCase { return f.settleCases("approve") },
	"POST /v1/rewards/:id/reject": func(f *isoFixture) []isoCase {
		cases := f.settleCases("reject")
		for i := range cases {
			cases[i].body = map[string]any{"reason": "not B's to judge"}
		}
		return cases
	},

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
