package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"
)

// exportFixture gives host-1 of a's tenant a row in every table that can
// name a participant: invitations as host and as guest, a referrer code,
// completions, events with properties, rewards (one redeemed: an audit
// entry), a raffle's entry and win, a widget token, and the webhook
// messages about them (an endpoint listens to every type).
func exportFixture(t *testing.T, a *apiTenant) {
	t.Helper()
	call := func(method, path string, body any, status int) apiResponse {
		t.Helper()
		return mustCall(t, a, method, path, body, status)
	}
	call("POST", "/v1/webhook-endpoints", map[string]any{"url": "https://93.184.216.34/hook", "events": []string{"*"}}, http.StatusCreated)
	call("POST", "/v1/event-definitions", map[string]any{"name": "signed_up"}, http.StatusCreated)
	call("POST", "/v1/event-definitions", map[string]any{"name": "viewed_pricing"}, http.StatusCreated)
	call("PUT", "/v1/campaigns/spring", map[string]any{"name": "Spring", "mode": "invitation", "quest": map[string]any{"steps": []string{"signed_up"}},
		"host_milestones": []any{map[string]any{"count": 1, "reward": map[string]any{"description": "$10", "kind": "cash", "amount": 1000, "currency": "USD"}}},
		"guest_reward":    map[string]any{"description": "Two tickets", "kind": "ticket", "quantity": 2}}, http.StatusOK)
	call("POST", "/v1/campaigns/spring/publish", nil, http.StatusOK)
	call("PUT", "/v1/campaigns/friends", map[string]any{"name": "Friends", "mode": "referrer_code", "quest": map[string]any{"steps": []string{"signed_up"}}}, http.StatusOK)
	call("POST", "/v1/campaigns/friends/publish", nil, http.StatusOK)
	call("POST", "/v1/participants", map[string]any{"external_id": "host-1", "email": "hana@example.com", "display_name": "Hana",
		"client": map[string]any{"ip": "192.0.2.1", "user_agent": "Hana's browser"}}, http.StatusCreated)
	// host-1 invites guest-1, who completes: host-1's cash reward.
	inv := call("POST", "/v1/campaigns/spring/invitations", map[string]any{"host": "host-1", "channel": "email", "recipient": "gus@example.com"}, http.StatusCreated)
	call("POST", "/v1/claims", map[string]any{"code": inv.JSON["code"], "guest": "guest-1"}, http.StatusCreated)
	call("POST", "/v1/events", map[string]any{"participant": "guest-1", "name": "signed_up"}, http.StatusAccepted)
	// host-0 invites host-1, who completes: host-1's tickets.
	inv = call("POST", "/v1/campaigns/spring/invitations", map[string]any{"host": "host-0"}, http.StatusCreated)
	call("POST", "/v1/claims", map[string]any{"code": inv.JSON["code"], "guest": "host-1"}, http.StatusCreated)
	call("POST", "/v1/events", map[string]any{"participant": "host-1", "name": "signed_up", "properties": map[string]any{"order": "A-1"}}, http.StatusAccepted)
	call("POST", "/v1/events", map[string]any{"participant": "host-1", "name": "viewed_pricing", "idempotency_key": "v-1"}, http.StatusAccepted)
	for _, r := range call("GET", "/v1/participants/host-1/rewards", nil, http.StatusOK).JSON["data"].([]any) {
		if r := r.(map[string]any); r["kind"] == "cash" {
			call("POST", fmt.Sprintf("/v1/rewards/%s/redeem", r["id"]), nil, http.StatusOK)
		}
	}
	call("POST", "/v1/campaigns/friends/referrer-code", map[string]any{"host": "host-1"}, http.StatusOK)
	call("POST", "/v1/widget/tokens", map[string]any{"participant": "host-1", "campaign": "spring"}, http.StatusCreated)
	// guest-1 and host-1 hold the tickets: both win.
	call("POST", "/v1/raffles", map[string]any{"campaign": "spring", "winners": 2}, http.StatusCreated)
}

// GET /v1/participants/{external_id}/export holds every row of every table
// that names the participant (the tables found in the catalog, so that a
// new one fails here until the export covers it), and nothing of another
// tenant whose participant has the same external id and the same history.
func TestExportParticipant(t *testing.T) {
	a, b := newAPITenant(t), newAPITenant(t)
	exportFixture(t, a)
	exportFixture(t, b)

	r := a.call(t, "GET", "/v1/participants/host-1/export", nil)
	if r.Status != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Disposition"), "attachment;") {
		t.Fatalf("export: %d %v %s", r.Status, r.Header, r.Body)
	}
	body := string(r.Body)
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(r.Body, &doc); err != nil {
		t.Fatalf("not one JSON document: %v\n%s", err, r.Body)
	}
	var p struct {
		ID         string `json:"id"`
		ExternalID string `json:"external_id"`
	}
	_ = json.Unmarshal(doc["participant"], &p)
	section := func(name string) []map[string]any {
		t.Helper()
		raw, ok := doc[name]
		if !ok {
			t.Fatalf("no section %s in %s", name, r.Body)
		}
		var rows []map[string]any
		if err := json.Unmarshal(raw, &rows); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return rows
	}

	// Where each column that names a participant is exported.
	sections := map[string]string{
		"events.participant_id":                  "events",
		"participant_event_names.participant_id": "event_names",
		"reward_tokens.participant_id":           "rewards",
		"raffle_entries.participant_id":          "raffle_entries",
		"raffle_winners.participant_id":          "raffle_wins",
		"widget_tokens.participant_id":           "widget_tokens",
		"participant_clients.participant_id":     "clients",
		"invitations.host_id":                    "invitations_as_host",
		"invitations.guest_id":                   "invitations_as_guest",
		"referrer_codes.host_id":                 "referrer_codes",
		"host_completions.host_id":               "completions",
	}
	var columns []struct{ Table, Column string }
	if err := env.Owner.Raw(`
		SELECT c.table_name AS "table", c.column_name AS "column"
		FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
		WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
		  AND c.column_name IN ('participant_id', 'host_id', 'guest_id')
		ORDER BY 1, 2`).Scan(&columns).Error; err != nil {
		t.Fatal(err)
	}
	if len(columns) < len(sections) {
		t.Fatalf("the catalog names %d participant columns, the test knows %d: %v", len(columns), len(sections), columns)
	}
	for _, c := range columns {
		key := c.Table + "." + c.Column
		name, ok := sections[key]
		if !ok {
			t.Errorf("%s names a participant, and the export has no section for it", key)
			continue
		}
		// The rows' ids where the table has them, else their number.
		var want []string
		if err := env.Owner.Raw(fmt.Sprintf(`SELECT coalesce(to_jsonb(x) ->> 'id', '') FROM %s x WHERE tenant_id = ? AND %s = ?`, c.Table, c.Column),
			a.created.TenantID, p.ID).Scan(&want).Error; err != nil {
			t.Fatal(err)
		}
		if len(want) == 0 {
			t.Errorf("%s: the fixture made no row for host-1: the test proves nothing", key)
		}
		var got []string
		for _, row := range section(name) {
			id, _ := row["id"].(string)
			got = append(got, id)
		}
		sort.Strings(want)
		sort.Strings(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s: the export's %s has %v, the table %v", key, name, got, want)
		}
	}
	if len(section("audit_entries")) == 0 {
		t.Errorf("no audit entries in %s", body)
	}
	// Messages about the participant themselves, their invitations (as
	// host and guest), rewards and raffle win.
	types := map[string]bool{}
	for _, m := range section("webhook_messages") {
		types[fmt.Sprint(m["type"])] = true
	}
	for _, typ := range []string{"participant.created", "invitation.created", "invitation.claimed", "reward.issued", "reward.redeemed", "raffle.drawn"} {
		if !types[typ] {
			t.Errorf("no %s message in %s", typ, doc["webhook_messages"])
		}
	}
	if ev := section("events"); !strings.Contains(string(doc["events"]), `"order":"A-1"`) {
		t.Errorf("events without their properties: %v", ev)
	}
	if strings.Contains(strings.ToLower(body), "hash") {
		t.Errorf("the export shows a token's hash: %s", r.Body)
	}

	// Nothing of B's: not its host-1, nor any id of its rows.
	var bIDs []string
	if err := env.Owner.Raw(`
		SELECT id FROM participants WHERE tenant_id = @b
		UNION ALL SELECT id FROM invitations WHERE tenant_id = @b
		UNION ALL SELECT id FROM events WHERE tenant_id = @b
		UNION ALL SELECT id FROM reward_tokens WHERE tenant_id = @b
		UNION ALL SELECT id FROM raffle_draws WHERE tenant_id = @b
		UNION ALL SELECT id FROM widget_tokens WHERE tenant_id = @b
		UNION ALL SELECT id FROM webhook_messages WHERE tenant_id = @b
		UNION ALL SELECT code FROM referrer_codes WHERE tenant_id = @b`, map[string]any{"b": b.created.TenantID}).Scan(&bIDs).Error; err != nil {
		t.Fatal(err)
	}
	if len(bIDs) < 10 {
		t.Fatalf("B has only %v", bIDs)
	}
	for _, id := range bIDs {
		if strings.Contains(body, id) {
			t.Errorf("A's export shows B's %s", id)
		}
	}
	if p.ExternalID != "host-1" {
		t.Errorf("participant: %+v", p)
	}

	wantError(t, "an unknown participant", a.call(t, "GET", "/v1/participants/nobody/export", nil), http.StatusNotFound, "participant_not_found", "")
}
