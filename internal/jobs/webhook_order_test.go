package jobs_test

import (
	"encoding/json"
	"slices"
	"testing"
)

// Messages about one object sort by id in the order their changes were
// made, even when one statement records several in the same millisecond:
// a guest who does the last four steps of five first, then the first,
// completes all five in one statement (five quest.progressed, then
// invitation.completed), after the invitation's creation and claim.
func TestWebhookIDsSortInRecordOrder(t *testing.T) {
	_, srv := newReceiver(t, 0) // nothing is sent: no job runs
	api := newAPIClient(t)
	call := api.call
	call("POST", "/v1/webhook-endpoints", map[string]any{"url": srv.URL, "events": []string{"*"}}, 201)
	steps := []string{"step_a", "step_b", "step_c", "step_d", "step_e"}
	for _, name := range steps {
		call("POST", "/v1/event-definitions", map[string]any{"name": name}, 201)
	}
	call("PUT", "/v1/campaigns/autumn", map[string]any{"name": "Autumn", "mode": "invitation",
		"quest": map[string]any{"steps": steps}}, 200)
	call("POST", "/v1/campaigns/autumn/publish", nil, 200)
	inv := call("POST", "/v1/campaigns/autumn/invitations", map[string]any{"host": "hana"}, 201)
	call("POST", "/v1/claims", map[string]any{"code": inv.JSON["code"], "guest": "gus"}, 201)
	for _, name := range steps[1:] {
		call("POST", "/v1/events", map[string]any{"participant": "gus", "name": name}, 202)
	}
	call("POST", "/v1/events", map[string]any{"participant": "gus", "name": steps[0]}, 202)

	var rows []struct {
		ID    string
		Type  string
		Facts json.RawMessage
	}
	err := env.Owner.Raw(`SELECT id, type, facts FROM webhook_messages WHERE tenant_id = ? AND object_id = ? ORDER BY id`,
		api.created.TenantID, inv.JSON["id"]).Scan(&rows).Error
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		what := r.Type
		if r.Type == "quest.progressed" {
			var f struct{ Step string }
			if err := json.Unmarshal(r.Facts, &f); err != nil {
				t.Fatal(err)
			}
			what += " " + f.Step
		}
		got = append(got, what)
	}
	want := []string{"invitation.created", "invitation.claimed"}
	for _, s := range steps {
		want = append(want, "quest.progressed "+s)
	}
	want = append(want, "invitation.completed")
	if !slices.Equal(got, want) {
		t.Errorf("messages by id:\n%v\nwant\n%v", got, want)
	}
}
