package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/tandemhq/tandem/tenants"
)

// TestE2EEventLog: a developer whose guest's quest did not move opens the
// event log and reads, for each event the platform sent, what it did:
// a step done ahead of an earlier one, the step that completed the
// invitation, an event of a participant nobody referred, the claim; the
// API answered the same effects when the events were sent. The filter
// narrows the log to one participant.
func TestE2EEventLog(t *testing.T) {
	if testing.Short() {
		t.Skip("the browser test is slow; -short skips it")
	}
	execPath := findChromium(t)
	base := startServer(t)
	const email, password = "events-log@example.com", "correct horse battery"
	tenant, err := tenants.Create(context.Background(), env.App, tenants.NewTenant{Name: "Event Log Shop", OwnerEmail: email, OwnerPassword: password})
	if err != nil {
		t.Fatal(err)
	}
	api := &apiClient{t: t, base: base, key: tenant.SecretKey}
	for _, name := range []string{"signed_up", "ordered"} {
		api.want(201, "POST", "/v1/event-definitions", map[string]any{"name": name})
	}
	api.want(200, "PUT", "/v1/campaigns/spring", map[string]any{"name": "Spring friends", "mode": "invitation",
		"quest": map[string]any{"steps": []string{"signed_up", "ordered"}}})
	api.want(200, "POST", "/v1/campaigns/spring/publish", nil)
	inv := api.want(201, "POST", "/v1/campaigns/spring/invitations", map[string]any{"host": "hana"})
	api.want(201, "POST", "/v1/claims", map[string]any{"code": inv["code"], "guest": "gus"})
	answered := map[string]string{}
	for _, e := range []struct{ participant, name string }{{"gus", "ordered"}, {"gus", "signed_up"}, {"nina", "signed_up"}} {
		got := api.want(202, "POST", "/v1/events", map[string]any{"participant": e.participant, "name": e.name})
		effects, _ := got["effects"].([]any)
		first, _ := effects[0].(map[string]any)
		answered[e.participant+" "+e.name] = fmt.Sprint(first["type"])
	}
	for event, want := range map[string]string{"gus ordered": "early", "gus signed_up": "completed", "nina signed_up": "no_invitation"} {
		if answered[event] != want {
			t.Errorf("POST /v1/events answered %s for %s, want %s", answered[event], event, want)
		}
	}

	c := newChrome(t, execPath, base)
	c.open("/login")
	c.fill(`input[name="email"]`, email)
	c.fill(`input[name="password"]`, password)
	c.clickAndLoad(testid("login-submit"), "/")
	c.clickAndLoad(`nav a[href="/events/log"]`, "/events/log")
	if n := c.count(testid("event-row")); n != 4 {
		t.Errorf("the log lists %d events, want the three sent and the claim", n)
	}
	effect := func(row int) string {
		return c.text(fmt.Sprintf(`[data-testid="event-row"]:nth-child(%d) [data-testid="event-effect"]`, row))
	}
	inv0 := inv["id"].(string)
	for row, want := range []string{
		"No open invitation: this participant was never referred as a guest",
		"Completed invitation " + inv0 + ": step 1 of 2 (signed_up) was the last one missing.",
		"Did step 2 of 2 (ordered) for invitation " + inv0 + " ahead of an earlier step",
		"Claimed invitation " + inv0 + ".",
	} {
		if got := effect(row + 1); !strings.HasPrefix(got, want) {
			t.Errorf("row %d says %q, want %q…", row+1, got, want)
		}
	}
	c.screenshot("event-log")

	c.fill(`[data-testid="event-log-filters"] input[name="participant"]`, "nina")
	c.clickAndLoad(`[data-testid="event-log-filters"] button[type="submit"]`, "/events/log")
	if n := c.count(testid("event-row")); n != 1 {
		t.Errorf("nina's events: %d rows, want 1", n)
	}
	c.checkClean("the event log")
}
