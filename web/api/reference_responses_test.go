package api

import (
	"context"
	"net/http"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
	"github.com/tandemhq/tandem/web/internal/openapi"
)

// TestOpenAPIDescribesResponses walks a campaign in each mode through
// every documented operation, checking each answer against the document,
// and then that every documented success was seen.
func TestOpenAPIDescribesResponses(t *testing.T) {
	dc := newDocChecker(t)
	a := newAPITenant(t)
	app := newTestApp(testConfig{DB: env.App, PublicURL: "https://tandem.test", RateLimitPerMinute: 100_000})
	t.Cleanup(func() { _ = app.Shutdown() })
	a.app = app

	get := func(r apiResponse, path ...string) string {
		t.Helper()
		var v any = r.JSON
		for _, p := range path {
			if i, err := strconv.Atoi(p); err == nil {
				list, _ := v.([]any)
				if i >= len(list) {
					t.Fatalf("no %v in %s", path, r.Body)
				}
				v = list[i]
				continue
			}
			m, _ := v.(map[string]any)
			v = m[p]
		}
		s, ok := v.(string)
		if !ok {
			t.Fatalf("no string at %v in %s", path, r.Body)
		}
		return s
	}
	want := func(r apiResponse, status int) {
		t.Helper()
		if r.Status != status {
			t.Fatalf("got %d, want %d: %s", r.Status, status, r.Body)
		}
	}

	want(dc.call(t, &apiTenant{app: a.app}, "GET /v1/openapi.json", nil, nil), 200)

	want(dc.call(t, a, "POST /v1/event-definitions", nil, map[string]any{"name": "signed_up", "description": "Finished sign-up"}), 201)
	want(dc.call(t, a, "POST /v1/event-definitions", nil, map[string]any{"name": "signed_up", "description": "Finished sign-up"}), 200)
	want(dc.call(t, a, "POST /v1/event-definitions", nil, map[string]any{"name": "first_order"}), 201)
	want(dc.call(t, a, "GET /v1/event-definitions", nil, nil), 200)

	cash := map[string]any{"description": "$10 credit", "kind": "cash", "amount": 1000, "currency": "USD"}
	want(dc.call(t, a, "PUT /v1/campaigns/{slug}", []string{"spring"}, map[string]any{
		"name": "Spring", "mode": "invitation", "quest": map[string]any{"steps": []string{"signed_up", "first_order"}},
		"host_milestones": []any{map[string]any{"count": 1, "reward": cash}}, "repeat_last_milestone": true,
		"guest_reward":         map[string]any{"description": "Two raffle tickets", "kind": "ticket", "quantity": 2},
		"invitation_ttl_hours": 48, "signup_url": "https://example.com/signup", "starts_at": nil,
	}), 200)
	want(dc.call(t, a, "GET /v1/campaigns/{slug}/preview-publish", []string{"spring"}, nil), 200)
	want(dc.call(t, a, "POST /v1/campaigns/{slug}/publish", []string{"spring"}, map[string]any{"inflight": "keep"}, "Idempotency-Key", "publish-spring"), 200)
	replay := dc.call(t, a, "POST /v1/campaigns/{slug}/publish", []string{"spring"}, map[string]any{"inflight": "keep"}, "Idempotency-Key", "publish-spring")
	if replay.Status != 200 || replay.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replayed publish: %d %v %s", replay.Status, replay.Header, replay.Body)
	}
	want(dc.call(t, a, "GET /v1/campaigns/{slug}", []string{"spring"}, nil), 200)

	want(dc.call(t, a, "POST /v1/participants", nil, map[string]any{"external_id": "host-1", "email": "hana@example.com", "display_name": "Hana"}), 201)
	want(dc.call(t, a, "POST /v1/participants", nil, map[string]any{"external_id": "host-1", "phone": "+15550100"}), 200)
	want(dc.call(t, a, "GET /v1/participants/{external_id}", []string{"host-1"}, nil), 200)
	want(dc.call(t, a, "GET /v1/participants?external_id=host-1&email=HANA@example.com&created_after=2026-01-01T00:00:00Z&limit=10", nil, nil), 200)

	// Two guests finish the quest: the host earns the milestone twice
	// (repeat_last_milestone), the guests their tickets.
	for i, guest := range []string{"guest-1", "guest-2"} {
		inv := dc.call(t, a, "POST /v1/campaigns/{slug}/invitations", []string{"spring"}, map[string]any{"host": "host-1", "channel": "email", "recipient": guest + "@example.com"})
		want(inv, 201)
		want(dc.call(t, a, "POST /v1/claims", nil, map[string]any{"code": strings.ToLower(get(inv, "code")), "guest": guest}), 201)
		if i == 0 {
			want(dc.call(t, a, "POST /v1/events", nil, map[string]any{"participant": guest, "name": "signed_up", "idempotency_key": "g1-signup"}), 202)
			want(dc.call(t, a, "POST /v1/events", nil, map[string]any{"participant": guest, "name": "signed_up"}, "Idempotency-Key", "g1-signup"), 202)
			want(dc.call(t, a, "POST /v1/events", nil, map[string]any{"participant": guest, "name": "first_order", "properties": map[string]any{"total": 42}}), 202)
			continue
		}
		batch := dc.call(t, a, "POST /v1/events/batch", nil, map[string]any{"events": []any{
			map[string]any{"participant": guest, "name": "first_order", "occurred_at": time.Now().Add(-time.Minute).Format(time.RFC3339)},
			map[string]any{"participant": guest, "name": "signed_up", "occurred_at": time.Now().Add(-time.Hour).Format(time.RFC3339), "idempotency_key": "g2-signup"},
			map[string]any{"participant": guest, "name": "signed_up", "idempotency_key": "g2-signup"},
			map[string]any{"participant": guest, "name": "no_such_event"},
			map[string]any{"participant": guest},
		}})
		want(batch, 200)
	}
	want(dc.call(t, a, "GET /v1/participants/{external_id}/invitations", []string{"host-1"}, nil), 200)
	want(dc.call(t, a, "GET /v1/participants/{external_id}/rewards", []string{"guest-1"}, nil), 200)
	rewards := dc.call(t, a, "GET /v1/participants/{external_id}/rewards", []string{"host-1"}, nil, "Idempotency-Key", "ignored-on-get")
	want(rewards, 200)
	want(dc.call(t, a, "POST /v1/rewards/{id}/redeem", []string{get(rewards, "data", "0", "id")}, nil), 200)
	want(dc.call(t, a, "POST /v1/rewards/{id}/void", []string{get(rewards, "data", "0", "id")}, "{}"), 409)
	want(dc.call(t, a, "POST /v1/rewards/{id}/void", []string{get(rewards, "data", "1", "id")}, nil), 200)

	// The tenant-wide lists, filtered, and one reward.
	want(dc.call(t, a, "GET /v1/rewards/{id}", []string{get(rewards, "data", "0", "id")}, nil), 200)
	want(dc.call(t, a, "GET /v1/rewards?status=redeemed&campaign=spring&participant=host-1&created_after=2026-01-01T00:00:00Z", nil, nil), 200)
	want(dc.call(t, a, "GET /v1/invitations?status=completed&campaign=spring&host=host-1&guest=guest-1&created_before=2999-01-01T00:00:00Z", nil, nil), 200)

	raffle := dc.call(t, a, "POST /v1/raffles", nil, map[string]any{"campaign": "spring", "winners": 1})
	want(raffle, 201)
	want(dc.call(t, a, "GET /v1/raffles/{id}", []string{get(raffle, "id")}, nil), 200)
	// A host's export and a guest's: the guest of a completed invitation
	// holds events with properties, tickets and the raffle.
	want(dc.call(t, a, "GET /v1/participants/{external_id}/export", []string{"host-1"}, nil), 200)
	want(dc.call(t, a, "GET /v1/participants/{external_id}/export", []string{"guest-1"}, nil), 200)

	// The other mode: a host's reusable code.
	want(dc.call(t, a, "PUT /v1/campaigns/{slug}", []string{"friends"}, map[string]any{
		"name": "Friends", "mode": "referrer_code", "quest": map[string]any{"steps": []string{"signed_up"}},
	}), 200)
	want(dc.call(t, a, "POST /v1/campaigns/{slug}/publish", []string{"friends"}, nil), 200)
	want(dc.call(t, a, "POST /v1/campaigns/{slug}/referrer-code", []string{"friends"}, map[string]any{"host": "host-1"}), 200)
	want(dc.call(t, a, "POST /v1/campaigns/{slug}/referrer-code", []string{"friends"}, map[string]any{"participant": "host-1"}), 200)
	want(dc.call(t, a, "GET /v1/campaigns", nil, nil), 200)
	want(dc.call(t, a, "GET /v1/widget/settings", nil, nil), 200)
	want(dc.call(t, a, "PUT /v1/widget/settings", nil, map[string]any{"allowed_origins": []string{"https://shop.example", "http://localhost:3000"}}), 200)
	want(dc.call(t, a, "POST /v1/widget/tokens", nil, map[string]any{"participant": "host-1", "campaign": "friends", "expires_in": 600}), 201)
	for _, action := range []string{"pause", "resume", "end"} {
		want(dc.call(t, a, "POST /v1/campaigns/{slug}/"+action, []string{"friends"}, nil), 200)
	}

	// Stripe: the tenant's account, a Stripe reward and its fulfilment.
	want(dc.call(t, a, "GET /v1/integrations/stripe", nil, nil), 200)
	want(dc.call(t, a, "PUT /v1/integrations/stripe", nil, map[string]any{"api_key": "sk_test_referenceKey1"}), 200)
	want(dc.call(t, a, "PUT /v1/campaigns/{slug}", []string{"coupons"}, map[string]any{
		"name": "Coupons", "mode": "invitation", "quest": map[string]any{"steps": []string{"signed_up"}},
		"host_milestones": []any{map[string]any{"count": 1, "reward": cash}},
		"guest_reward":    map[string]any{"description": "$5 off", "kind": "stripe_coupon", "amount": 500, "currency": "USD"},
	}), 200)
	want(dc.call(t, a, "POST /v1/campaigns/{slug}/publish", []string{"coupons"}, nil), 200)
	want(dc.call(t, a, "POST /v1/participants", nil, map[string]any{"external_id": "guest-3", "stripe_customer_id": "cus_Guest3"}), 201)
	inv := dc.call(t, a, "POST /v1/campaigns/{slug}/invitations", []string{"coupons"}, map[string]any{"host": "host-1"})
	want(dc.call(t, a, "POST /v1/claims", nil, map[string]any{"code": get(inv, "code"), "guest": "guest-3"}), 201)
	want(dc.call(t, a, "POST /v1/events", nil, map[string]any{"participant": "guest-3", "name": "signed_up"}), 202)
	coupon := dc.call(t, a, "GET /v1/participants/{external_id}/rewards", []string{"guest-3"}, nil)
	if get(coupon, "data", "0", "fulfilment", "status") != "pending" {
		t.Fatalf("a Stripe reward starts pending: %s", coupon.Body)
	}
	// No job runs here: the fulfilment is made to fail as a run would.
	if err := env.Owner.Exec(`UPDATE reward_fulfilments SET status = 'failed', error = 'Stripe is down', attempts = 1
		WHERE reward_id = ?`, get(coupon, "data", "0", "id")).Error; err != nil {
		t.Fatal(err)
	}
	want(dc.call(t, a, "POST /v1/rewards/{id}/retry-fulfilment", []string{get(coupon, "data", "0", "id")}, nil), 200)
	want(dc.call(t, a, "POST /v1/rewards/{id}/retry-fulfilment", []string{get(coupon, "data", "0", "id")}, nil), 409)
	want(dc.call(t, a, "DELETE /v1/integrations/stripe", nil, nil), 204)

	// Review: a reviewed campaign's held rewards, one approved, one rejected.
	want(dc.call(t, a, "PUT /v1/campaigns/{slug}", []string{"reviewed"}, map[string]any{
		"name": "Reviewed", "mode": "invitation", "quest": map[string]any{"steps": []string{"signed_up"}},
		"host_milestones": []any{map[string]any{"count": 1, "reward": cash}}, "repeat_last_milestone": true, "review": "all",
	}), 200)
	want(dc.call(t, a, "POST /v1/campaigns/{slug}/publish", []string{"reviewed"}, nil), 200)
	for _, guest := range []string{"guest-4", "guest-5"} {
		inv := dc.call(t, a, "POST /v1/campaigns/{slug}/invitations", []string{"reviewed"}, map[string]any{"host": "host-2"})
		want(dc.call(t, a, "POST /v1/claims", nil, map[string]any{"code": get(inv, "code"), "guest": guest}), 201)
		want(dc.call(t, a, "POST /v1/events", nil, map[string]any{"participant": guest, "name": "signed_up"}), 202)
	}
	held := dc.call(t, a, "GET /v1/participants/{external_id}/rewards", []string{"host-2"}, nil)
	want(dc.call(t, a, "POST /v1/rewards/{id}/approve", []string{get(held, "data", "0", "id")}, nil), 200)
	want(dc.call(t, a, "POST /v1/rewards/{id}/approve", []string{get(held, "data", "0", "id")}, "{}"), 200)
	want(dc.call(t, a, "POST /v1/rewards/{id}/reject", []string{get(held, "data", "0", "id")}, map[string]any{"reason": "late"}), 409)
	want(dc.call(t, a, "POST /v1/rewards/{id}/reject", []string{get(held, "data", "1", "id")}, map[string]any{"reason": "a ring"}), 200)

	// Fraud: the blocklist, and an invitation with its risk by its code.
	want(dc.call(t, a, "PUT /v1/fraud/blocklist", nil, map[string]any{"entries": []string{"*@blocked.example", "198.51.100.0/24"}}), 200)
	want(dc.call(t, a, "PUT /v1/fraud/blocklist", nil, map[string]any{"entries": []string{"no entry"}}), 422)
	want(dc.call(t, a, "GET /v1/fraud/blocklist", nil, nil), 200)
	risky := dc.call(t, a, "POST /v1/campaigns/{slug}/invitations", []string{"reviewed"}, map[string]any{"host": "host-2"})
	want(dc.call(t, a, "POST /v1/claims", nil, map[string]any{"code": get(risky, "code"), "guest": "guest-6",
		"client": map[string]any{"ip": "198.51.100.5", "user_agent": "Reference"}}), 201)
	want(dc.call(t, a, "GET /v1/invitations/{code}", []string{get(risky, "code")}, nil), 200)
	want(dc.call(t, a, "GET /v1/invitations/{code}", []string{"ABCDEFGH"}, nil), 404)

	// Webhooks: an endpoint, its life, a test message and its log.
	ep := dc.call(t, a, "POST /v1/webhook-endpoints", nil, map[string]any{"url": "https://93.184.216.34/hook", "events": []string{"*"}})
	want(ep, 201)
	whe := get(ep, "id")
	want(dc.call(t, a, "POST /v1/webhook-endpoints", nil, map[string]any{"url": "https://127.0.0.1/hook", "events": []string{"*"}}), 422)
	want(dc.call(t, a, "GET /v1/webhook-endpoints", nil, nil), 200)
	want(dc.call(t, a, "GET /v1/webhook-endpoints/{id}", []string{whe}, nil), 200)
	want(dc.call(t, a, "PATCH /v1/webhook-endpoints/{id}", []string{whe}, map[string]any{"description": "CRM"}), 200)
	want(dc.call(t, a, "POST /v1/webhook-endpoints/{id}/rotate-secret", []string{whe}, nil), 200)
	want(dc.call(t, a, "POST /v1/webhook-endpoints/{id}/test", []string{whe}, nil), 202)
	log := dc.call(t, a, "GET /v1/webhook-endpoints/{id}/deliveries", []string{whe}, nil)
	want(log, 200)
	whd := get(log, "data", "0", "id")
	want(dc.call(t, a, "POST /v1/webhook-deliveries/{id}/replay", []string{whd}, nil), 409)
	err := tenants.WithTenant(context.Background(), env.App, a.created.TenantID, func(ctx context.Context) error {
		_, err := models.RecordWebhookAttempt(ctx, whd, models.WebhookAttempt{At: time.Now(), Error: "no answer"}, true)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	want(dc.call(t, a, "POST /v1/webhook-deliveries/{id}/replay", []string{whd}, nil), 202)
	want(dc.call(t, a, "POST /v1/webhook-endpoints/{id}/replay", []string{whe}, map[string]any{"since": "2026-01-01T00:00:00Z"}), 202)
	want(dc.call(t, a, "DELETE /v1/webhook-endpoints/{id}", []string{whe}, nil), 204)

	// Retention: the defaults, a save, a period out of bounds.
	want(dc.call(t, a, "GET /v1/settings/retention", nil, nil), 200)
	want(dc.call(t, a, "PUT /v1/settings/retention", nil, map[string]any{"event_properties_days": 90, "idempotency_hours": 24, "webhook_days": 30}), 200)
	want(dc.call(t, a, "PUT /v1/settings/retention", nil, map[string]any{"event_properties_days": 0, "idempotency_hours": 24, "webhook_days": 30}), 422)
	want(dc.call(t, a, "GET /v1/tenant/export", nil, nil), 200)
	// Erasure, after every other call that names guest-1.
	want(dc.call(t, a, "POST /v1/participants/{external_id}/erase", []string{"guest-1"}, nil), 200)

	// Over the rate limit.
	now := time.Now()
	limitedApp, _ := newTestAppAt(testConfig{DB: env.App, RateLimitPerMinute: 1}, func() time.Time { return now })
	t.Cleanup(func() { _ = limitedApp.Shutdown() })
	limited := &apiTenant{app: limitedApp, secretKey: a.secretKey}
	dc.call(t, limited, "GET /v1/campaigns", nil, nil)
	if r := dc.call(t, limited, "GET /v1/campaigns", nil, nil); r.Status != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" {
		t.Errorf("over the limit: %d %v", r.Status, r.Header)
	}

	for _, unseen := range dc.Unseen() {
		t.Errorf("%s is documented but no test saw it", unseen)
	}
}

// TestOpenAPIRequestSchemasMatchHandlers compares each request schema with
// the struct its handler decodes into, field by field and at every depth.
func TestOpenAPIRequestSchemasMatchHandlers(t *testing.T) {
	doc, _ := openAPIDoc(t)
	for name, v := range map[string]any{
		"EventDefinitionRequest": eventDefinitionRequest{},
		"CampaignDraftRequest":   campaignRequest{},
		"PublishRequest":         publishRequest{},
		"ParticipantRequest":     participantRequest{},
		"ReferrerCodeRequest":    referrerCodeRequest{},
		"InvitationRequest":      invitationRequest{},
		"ClaimRequest":           claimRequest{},
		"EventRequest":           eventRequest{},
		"EventBatchRequest":      batchRequest{},
		"RaffleRequest":          raffleRequest{},
		"WidgetTokenRequest":     widgetTokenRequest{},
		"WidgetSettingsRequest":  widgetSettingsRequest{},
		"EmptyRequest":           struct{}{},
		"WebhookEndpointRequest": webhookEndpointRequest{},
		"WebhookReplayRequest":   replayRequest{},
	} {
		s, ok := doc.Components.Schemas.Get(name)
		if !ok {
			t.Errorf("no schema %s", name)
			continue
		}
		compareSchema(t, doc, name, s, reflect.TypeOf(v))
	}
}

func compareSchema(t *testing.T, doc *openapi.Document, at string, s *openapi.Schema, typ reflect.Type) {
	t.Helper()
	s = doc.Schema(nonNull(s))
	for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice {
		typ = typ.Elem()
		if s != nil && s.Type.Has("array") {
			s = doc.Schema(s.Items)
		}
	}
	if s == nil || typ.Kind() != reflect.Struct || !s.Type.Has("object") || (len(s.Properties) == 0 && typ.NumField() > 0 && s.AdditionalProperties == nil) {
		return
	}
	fields := jsonFields(typ)
	var got, documented []string
	for name := range fields {
		got = append(got, name)
	}
	for _, p := range s.Properties {
		documented = append(documented, p.Key)
	}
	sort.Strings(got)
	sort.Strings(documented)
	if !slices.Equal(got, documented) {
		t.Errorf("%s: the handler decodes %v, the document says %v", at, got, documented)
	}
	for _, p := range s.Properties {
		if ft, ok := fields[p.Key]; ok {
			compareSchema(t, doc, at+"."+p.Key, p.Value, ft)
		}
	}
}

// jsonFields maps the JSON names of a struct's fields to their types,
// through embedded structs, as encoding/json sees them.
func jsonFields(typ reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < typ.NumField(); i++ {
		f := typ.Field(i)
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		if name == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			for k, v := range jsonFields(f.Type) {
				out[k] = v
			}
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}
