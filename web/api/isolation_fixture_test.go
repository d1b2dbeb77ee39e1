package api

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/tenants"
)

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
	f.aErinCode = isoGet(t, isoDo(t, a, "POST", "/v1/campaigns/alpha-friends/referrer-code", map[string]any{"host": "alpha-erin"}, 200), "code")
	isoDo(t, a, "PUT", "/v1/widget/settings", map[string]any{"allowed_origins": []string{"https://alpha.example"}}, 200)
	isoDo(t, a, "PUT", "/v1/fraud/blocklist", map[string]any{"entries": []string{"*@alpha-blocked.example"}}, 200)
	isoDo(t, a, "PUT", "/v1/settings/retention", map[string]any{"event_properties_days": 91, "idempotency_hours": 25, "webhook_days": 31}, 200)
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
