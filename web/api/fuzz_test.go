package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/web/internal/jsonbody"
)

// FuzzDecodeRequests feeds arbitrary bytes to the strict decoder of every
// request body: it must never panic, and every failure must be a 4xx
// jsonbody.Error with a code. Run longer with
// `go test ./web -run '^$' -fuzz FuzzDecodeRequests -fuzztime 60s`.
func FuzzDecodeRequests(f *testing.F) {
	for _, seed := range []string{
		`{"participant":"u1","name":"signup_complete","idempotency_key":"k","occurred_at":"2026-01-02T15:04:05Z","properties":{"a":1}}`,
		`{"events":[{"participant":"u1","name":"a"},{"participant":7}]}`,
		`{"name":"Spring","mode":"invitation","quest":{"steps":["a"]},"host_milestones":[{"count":1,"reward":{"description":"d","kind":"cash","amount":100,"currency":"USD"}}]}`,
		`{"code":"abcd2345","guest":"g"}`, `{"occurred_at":"yesterday"}`, `{"unknown":1}`, `[1,2]`, `{"a":1}{"b":2}`, `nul`, ``,
		`{"external_id":"x","email":null}`, `{"campaign":"c","winners":1e400}`, "{\"name\":\"\\u0000\"}",
	} {
		f.Add([]byte(seed))
	}
	targets := []func() any{
		func() any { return &eventRequest{} }, func() any { return &batchRequest{} }, func() any { return &campaignRequest{} },
		func() any { return &claimRequest{} }, func() any { return &participantRequest{} }, func() any { return &invitationRequest{} },
		func() any { return &raffleRequest{} }, func() any { return &referrerCodeRequest{} }, func() any { return &publishRequest{} },
		func() any { return &eventDefinitionRequest{} }, func() any { return &widgetTokenRequest{} },
		func() any { return &widgetSettingsRequest{} }, func() any { return &webhookEndpointRequest{} },
		func() any { return &replayRequest{} },
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, target := range targets {
			dst := target()
			err := jsonbody.Decode(body, dst)
			if err == nil {
				continue
			}
			var je *jsonbody.Error
			if !errors.As(err, &je) || je.Status < 400 || je.Status > 499 || je.Code == "" {
				t.Fatalf("decoding %q into %T: %v is not a coded 4xx", body, dst, err)
			}
		}
	})
}

var (
	fuzzTenantOnce sync.Once
	fuzzTenant     *apiTenant
)

// FuzzEventEndpoints sends arbitrary bodies to the endpoints that take the
// most input, on a real database: whatever arrives, the answer is never a
// 5xx, and a 4xx always has the error shape. The seeds run in every
// `make test`.
func FuzzEventEndpoints(f *testing.F) {
	for _, seed := range []string{
		`{"participant":"u1","name":"signup_complete"}`,
		`{"participant":"u1","name":"signup_complete","properties":[]}`,
		`{"participant":"u 1","name":"SIGNUP"}`,
		`{"participant":"u1","name":"invitation_claimed"}`,
		`{"participant":"u1","name":"signup_complete","occurred_at":"9999-01-01T00:00:00Z"}`,
		`{"events":[{"participant":"u1","name":"signup_complete"},{"name":"x"},{"participant":"u2","name":"nope"}]}`,
		`{"events":[]}`, `{"code":"zzzzzzzz","guest":"g"}`, `{"code":"ABCDEFGH","guest":""}`, "{\"participant\":\"\\u0000\",\"name\":\"a\"}",
		// Numbers jsonb cannot hold failed the insert, and the batch, once.
		`{"participant":"u1","name":"signup_complete","properties":{"n":1e131072}}`,
		`{"events":[{"participant":"u1","name":"signup_complete","properties":{"n":[1e-16384]}},{"participant":"u2","name":"signup_complete"}]}`,
	} {
		f.Add([]byte(seed), uint8(0))
	}
	paths := []string{"/v1/events", "/v1/events/batch", "/v1/claims", "/v1/participants"}
	f.Fuzz(func(t *testing.T, body []byte, which uint8) {
		fuzzTenantOnce.Do(func() {
			fuzzTenant = newAPITenant(t)
			fuzzTenant.call(t, "POST", "/v1/event-definitions", map[string]any{"name": "signup_complete"})
		})
		for i, path := range paths {
			if which != 0 && int(which)%len(paths) != i {
				continue
			}
			r := fuzzTenant.call(t, "POST", path, string(body))
			if r.Status >= 500 {
				t.Fatalf("POST %s %q: %d %s", path, body, r.Status, r.Body)
			}
			if r.Status >= 400 && r.ErrorCode() == "" {
				t.Fatalf("POST %s %q: %d without the error shape: %s", path, body, r.Status, r.Body)
			}
		}
	})
}

var (
	fuzzWebhooksOnce   sync.Once
	fuzzWebhooksTenant *apiTenant
	fuzzWebhookID      string
)

// FuzzWebhookEndpoints sends arbitrary URLs (in an otherwise valid body)
// and arbitrary bodies to POST and PATCH /v1/webhook-endpoints, on a real
// database: whatever arrives, the answer is never a 5xx, and a 4xx always
// has the error shape. The seeds (IP literals: no DNS) run in every
// `make test`; a longer run resolves whatever names it makes up.
func FuzzWebhookEndpoints(f *testing.F) {
	for _, seed := range []struct {
		url, body string
		which     uint8
	}{
		{"https://93.184.216.34/hook", "", 0},
		{"HTTPS://93.184.216.34/hook", "", 1},
		{"hTtPs://93.184.216.34/a b", "", 0},
		{"https://93.184.216.34/\x00", "", 1},
		{"https://93.184.216.34/\xff", "", 0},
		{"https://[::1]/", "", 1},
		{"HTTP://93.184.216.34/", "", 0},
		{"", `{"url":"https://93.184.216.34/","events":["*"],"status":"disabled"}`, 2},
		{"", `{"url":"https://93.184.216.34/","events":[]}`, 3},
		{"", `{"events":["reward.issued","reward.issued"],"description":"\u0000"}`, 3},
	} {
		f.Add(seed.url, []byte(seed.body), seed.which)
	}
	f.Fuzz(func(t *testing.T, url string, body []byte, which uint8) {
		fuzzWebhooksOnce.Do(func() {
			fuzzWebhooksTenant = newAPITenant(t)
			r := fuzzWebhooksTenant.call(t, "POST", "/v1/webhook-endpoints", map[string]any{"url": "https://93.184.216.34/", "events": []string{"*"}})
			fuzzWebhookID, _ = r.JSON["id"].(string)
		})
		method, path := "POST", "/v1/webhook-endpoints"
		if which&1 == 1 {
			method, path = "PATCH", "/v1/webhook-endpoints/"+fuzzWebhookID
		}
		var payload any = map[string]any{"url": url, "events": []string{"*"}}
		if which&2 == 2 {
			payload = string(body)
		}
		r := fuzzWebhooksTenant.call(t, method, path, payload)
		if r.Status >= 500 {
			t.Fatalf("%s %s, url %q, body %q: %d %s", method, path, url, body, r.Status, r.Body)
		}
		if r.Status >= 400 && r.ErrorCode() == "" {
			t.Fatalf("%s %s: %d without the error shape: %s", method, path, r.Status, r.Body)
		}
	})
}

// TestValidateEventRejectsFarFuture: occurred_at more than a day ahead is a bug upstream.
func TestValidateEventRejectsFarFuture(t *testing.T) {
	future := time.Now().Add(48 * time.Hour)
	err := models.ValidateEvent("", models.EventInput{Participant: "u", Name: "a", OccurredAt: &future}, time.Now())
	var ve *models.ValidationError
	if !errors.As(err, &ve) || ve.Field != "occurred_at" {
		t.Fatalf("far future occurred_at: %v", err)
	}
}

var (
	fuzzHeadersOnce   sync.Once
	fuzzHeadersTenant *apiTenant
)

// FuzzRequestHeaders sends arbitrary Authorization and Idempotency-Key
// headers with arbitrary event bodies, on a real database: the answer is
// never a 5xx, and a 4xx always has the error shape. which picks the path
// (bit 0: POST /v1/events or POST /v1/participants, which replays by the
// key) and whether the fuzzed Authorization replaces the tenant's valid
// key (bit 1), so that most inputs get past the key check. The seeds run
// in every `make test`.
func FuzzRequestHeaders(f *testing.F) {
	for _, seed := range []struct {
		auth, idem, body string
		which            uint8
	}{
		{"", "k1", `{"participant":"u1","name":"signup_complete"}`, 0},
		{"", "k1", `{"external_id":"u1"}`, 1},
		{"", "k\x00ey", `{"participant":"u1","name":"signup_complete"}`, 0},
		{"", "k\xffey", `{"external_id":"u1"}`, 1},
		{"", "\x00", `{"participant":"u1","name":"signup_complete","properties":{"n":1e131072}}`, 0},
		{"", strings.Repeat("k", 256), `{"participant":"u1","name":"signup_complete","idempotency_key":"k"}`, 0},
		{"Bearer sk_\x00", "", `{"external_id":"u1"}`, 2},
		{"Bearer sk_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xff", "k", `{}`, 3},
		{"Basic \xff\xfe", "", `{"participant":"u1","name":"signup_complete"}`, 2},
	} {
		f.Add([]byte(seed.auth), []byte(seed.idem), []byte(seed.body), seed.which)
	}
	f.Fuzz(func(t *testing.T, auth, idem, body []byte, which uint8) {
		fuzzHeadersOnce.Do(func() {
			fuzzHeadersTenant = newAPITenant(t)
			fuzzHeadersTenant.call(t, "POST", "/v1/event-definitions", map[string]any{"name": "signup_complete"})
		})
		a := fuzzHeadersTenant
		path := "/v1/events"
		if which&1 == 1 {
			path = "/v1/participants"
		}
		authorization := "Bearer " + a.secretKey
		if which&2 == 2 {
			authorization = string(auth)
		}
		req := httptest.NewRequest("POST", path, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header["Authorization"] = []string{authorization}
		if len(idem) > 0 {
			req.Header["Idempotency-Key"] = []string{string(idem)}
		}
		resp, err := a.app.Test(req, -1)
		if err != nil {
			t.Skipf("the request cannot be sent: %v", err) // not an answer of ours
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		if resp.StatusCode >= 500 {
			t.Fatalf("POST %s, Authorization %q, Idempotency-Key %q, body %q: %d %s", path, authorization, idem, body, resp.StatusCode, raw)
		}
		var shape struct {
			Error struct {
				Code string `json:"code"`
			} `json:"error"`
		}
		if resp.StatusCode >= 400 && (json.Unmarshal(raw, &shape) != nil || shape.Error.Code == "") {
			t.Fatalf("POST %s: %d without the error shape: %s", path, resp.StatusCode, raw)
		}
	})
}

// FuzzDecodeBatchInOnePass checks decodeBatch's one pass over a batch
// against reading it event by event, as it does when the one pass fails:
// whatever the body, both read the same events, refuse the same events
// with the same error, or refuse the body with the same error. The seeds
// run in every `make test`.
func FuzzDecodeBatchInOnePass(f *testing.F) {
	for _, seed := range []string{
		`{"events":[{"participant":"u1","name":"signup_complete","idempotency_key":"k1"},{"participant":"u2","name":"page_view","properties":{"a":[1,{"b":null}]}}]}`,
		`{"events":[{"participant":"u1","name":"signup_complete"},{"name":"x","extra":1},{"participant":7}]}`,
		`{"events":[null,{},{"occurred_at":"2026-01-02T15:04:05Z"},{"occurred_at":"yesterday"}]}`,
		`{"events":[]}`, `{"events":null}`, `{"events":{}}`, `{"events":[1,"a",[]]}`, `{"events":[{"Participant":"u1","NAME":"a"}]}`,
		`{"events":[{"participant":"u1","participant":"u2","name":"a"}]}`, `{"events":[],"more":1}`, `{"events":[]} {}`, `[]`, ``,
		" {\n \"events\" : [ {\"participant\" : \"u1\" , \"name\":\"a\",\"idempotency_key\":\"k\"} ,{}]\r\n}\t ",
		`{"events":[{"participant":"\u0075","name":"a\"b"},{"participant":"é","name":"<&>"}]}`, `{"events":[{"name":null}]}`,
		`{"events":[{"participant":"u1","name":"a"},]}`, `{"events":[{"participant":"u1" "name":"a"}]}`, `{"events":[{"participant":"u1"}}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		events, errs, err := decodeBatch(body)

		var raw rawBatchRequest
		wantErr := jsonbody.Decode(body, &raw)
		if wantErr == nil {
			wantErr = checkBatchSize(raw.Events != nil, len(raw.Events))
		}
		if fmt.Sprint(err) != fmt.Sprint(wantErr) {
			t.Fatalf("%q: body refused with %v, event by event with %v", body, err, wantErr)
		}
		if err != nil {
			return
		}
		if len(events) != len(raw.Events) || len(errs) != len(raw.Events) {
			t.Fatalf("%q: %d events and %d errors, event by event %d", body, len(events), len(errs), len(raw.Events))
		}
		for i, r := range raw.Events {
			var want eventRequest
			wantErr := jsonbody.Decode(r, &want)
			if (errs[i] == nil) != (wantErr == nil) {
				t.Fatalf("%q: event %d refused with %v, on its own with %v", body, i, errs[i], wantErr)
			}
			if wantErr == nil && !reflect.DeepEqual(events[i], want) {
				t.Fatalf("%q: event %d read as %+v, on its own as %+v", body, i, events[i], want)
			}
		}
	})
}
