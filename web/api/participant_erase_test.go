package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/tandemhq/tandem/models"
)

// erasedValues are what exportFixture says about host-1 that identifies
// them: their external id, contact fields, the recipient they invited,
// their events' properties and idempotency key.
var erasedValues = []string{"host-1", "hana@example.com", "Hana", "gus@example.com", `"A-1"`, "v-1"}

// rewardFacts is the participant's rewards as the API shows them, less the
// participant's name.
func rewardFacts(t *testing.T, a *apiTenant, externalID string) string {
	t.Helper()
	var out []string
	for _, r := range mustCall(t, a, "GET", "/v1/participants/"+externalID+"/rewards", nil, http.StatusOK).JSON["data"].([]any) {
		r := r.(map[string]any)
		delete(r, "participant")
		raw, _ := json.Marshal(r)
		out = append(out, string(raw))
	}
	return strings.Join(out, "\n")
}

// The whole path through the API: export, erase, and then the old external
// id finds nothing, the export under the pseudonym shows the erasure, no
// row of the tenant holds an erased value, the facts (rewards, completion
// numbers, the raffle's re-check) are what they were, an event under the
// old id makes someone new, and another tenant's same person is untouched.
func TestEraseParticipantThroughTheAPI(t *testing.T) {
	a, b := newAPITenant(t), newAPITenant(t)
	exportFixture(t, a)
	exportFixture(t, b)
	before := string(mustCall(t, a, "GET", "/v1/participants/host-1/export", nil, http.StatusOK).Body)
	for _, v := range erasedValues {
		if !strings.Contains(before, v) {
			t.Fatalf("fixture: the export lacks %s", v)
		}
	}
	var exported struct {
		RaffleWins []struct{ Raffle string } `json:"raffle_wins"`
	}
	if err := json.Unmarshal([]byte(before), &exported); err != nil || len(exported.RaffleWins) != 1 {
		t.Fatalf("fixture: raffle wins %+v, %v", exported, err)
	}
	raffle := exported.RaffleWins[0].Raffle
	rewards := rewardFacts(t, a, "host-1")
	invitations := invitationFacts(t, a)
	bRows := env.RowsHolding(t, b.created.TenantID, erasedValues)

	r := mustCall(t, a, "POST", "/v1/participants/host-1/erase", nil, http.StatusOK)
	pseudonym, _ := r.JSON["external_id"].(string)
	if !regexp.MustCompile(`^erased_[0-9a-f]{32}$`).MatchString(pseudonym) || r.JSON["erased_at"] == nil || r.JSON["id"] == nil {
		t.Fatalf("erase answered %s", r.Body)
	}

	wantError(t, "the old external id", a.call(t, "GET", "/v1/participants/host-1", nil), http.StatusNotFound, "participant_not_found", "")
	wantError(t, "the old external id's export", a.call(t, "GET", "/v1/participants/host-1/export", nil), http.StatusNotFound, "participant_not_found", "")
	after := mustCall(t, a, "GET", "/v1/participants/"+pseudonym+"/export", nil, http.StatusOK)
	p := after.JSON["participant"].(map[string]any)
	if p["erased_at"] != r.JSON["erased_at"] || p["email"] != nil || p["display_name"] != "" || p["id"] != r.JSON["id"] {
		t.Errorf("exported participant after erasure: %v", p)
	}
	for _, v := range erasedValues {
		if strings.Contains(string(after.Body), v) {
			t.Errorf("the export after erasure still holds %s", v)
		}
	}
	if found := env.RowsHolding(t, a.created.TenantID, erasedValues); len(found) > 0 {
		t.Errorf("after erasure the tenant's rows still hold the values: %v", found)
	}

	if got := rewardFacts(t, a, pseudonym); got != rewards {
		t.Errorf("rewards changed:\nbefore %s\nafter  %s", rewards, got)
	}
	if got := invitationFacts(t, a); got != invitations {
		t.Errorf("invitations changed:\nbefore %s\nafter  %s", invitations, got)
	}
	var draw models.Raffle
	if err := json.Unmarshal(mustCall(t, a, "GET", "/v1/raffles/"+raffle, nil, http.StatusOK).Body, &draw); err != nil {
		t.Fatal(err)
	}
	if !models.RecheckRaffle(draw, len(draw.Winners)) || !strings.Contains(fmt.Sprint(draw.Winners), pseudonym) {
		t.Errorf("the raffle does not re-check after erasure: %+v", draw)
	}
	again := mustCall(t, a, "POST", "/v1/participants/"+pseudonym+"/erase", nil, http.StatusOK)
	if string(again.Body) != string(r.Body) {
		t.Errorf("erasing again answered %s, first %s", again.Body, r.Body)
	}

	mustCall(t, a, "POST", "/v1/events", map[string]any{"participant": "host-1", "name": "signed_up"}, http.StatusAccepted)
	fresh := mustCall(t, a, "GET", "/v1/participants/host-1", nil, http.StatusOK)
	if fresh.JSON["id"] == r.JSON["id"] || fresh.JSON["erased_at"] != nil {
		t.Errorf("the old external id now names %v", fresh.JSON)
	}

	if got := env.RowsHolding(t, b.created.TenantID, erasedValues); fmt.Sprint(got) != fmt.Sprint(bRows) {
		t.Errorf("another tenant's rows holding the values: %v, before %v", got, bRows)
	}
	if p := mustCall(t, b, "GET", "/v1/participants/host-1", nil, http.StatusOK); p.JSON["email"] != "hana@example.com" {
		t.Errorf("another tenant's host-1: %v", p.JSON)
	}
}

// invitationFacts is every invitation of the tenant, less the names.
func invitationFacts(t *testing.T, a *apiTenant) string {
	t.Helper()
	var out []string
	for _, i := range mustCall(t, a, "GET", "/v1/invitations?limit=100", nil, http.StatusOK).JSON["data"].([]any) {
		i := i.(map[string]any)
		delete(i, "host")
		delete(i, "guest")
		delete(i, "recipient")
		raw, _ := json.Marshal(i)
		out = append(out, string(raw))
	}
	return strings.Join(out, "\n")
}

// Erasing answers 404 for an unknown participant, and refuses a body.
func TestEraseParticipantErrors(t *testing.T) {
	a := newAPITenant(t)
	wantError(t, "an unknown participant", a.call(t, "POST", "/v1/participants/nobody/erase", nil), http.StatusNotFound, "participant_not_found", "")
	mustCall(t, a, "POST", "/v1/participants", map[string]any{"external_id": "ivy"}, http.StatusCreated)
	r := a.call(t, "POST", "/v1/participants/ivy/erase", map[string]any{"reason": "asked"})
	if r.Status < 400 || r.Status >= 500 {
		t.Errorf("a body: %d %s", r.Status, r.Body)
	}
}
