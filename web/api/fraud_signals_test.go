package api

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestRiskSignalsHoldRewards drives one referral of each risk signal
// through the API, under review: risky, to a held reward whose risk shows
// the signal and its evidence (on the reward, on GET /v1/invitations/{code}
// and on the host's invitations); a referral with no signal is issued at
// once. Under block_high_risk a blocklisted claim is refused with
// claim_blocked and leaves the invitation pending; a medium one goes
// through, held.
func TestRiskSignalsHoldRewards(t *testing.T) {
	a := newAPITenant(t)
	call := func(method, path string, body any, status int) apiResponse {
		t.Helper()
		r := a.call(t, method, path, body)
		if r.Status != status {
			t.Fatalf("%s %s: %d %s, want %d", method, path, r.Status, r.Body, status)
		}
		return r
	}
	at := func(r apiResponse, path string) any {
		v, _ := jsonPath(r.JSON, path)
		return v
	}
	call("POST", "/v1/event-definitions", map[string]any{"name": "signup_complete"}, http.StatusCreated)
	campaign := func(slug string, extra map[string]any) {
		body := map[string]any{"name": slug, "mode": "invitation", "quest": map[string]any{"steps": []string{"signup_complete"}},
			"host_milestones": []any{map[string]any{"count": 1, "reward": moneyReward("$10", "cash", 1000)}}, "repeat_last_milestone": true}
		for k, v := range extra {
			body[k] = v
		}
		call("PUT", "/v1/campaigns/"+slug, body, http.StatusOK)
		call("POST", "/v1/campaigns/"+slug+"/publish", nil, http.StatusOK)
	}
	campaign("watched", map[string]any{"review": "risky"})
	campaign("strict", map[string]any{"review": "risky", "block_high_risk": true})
	campaign("plain", nil)
	call("PUT", "/v1/fraud/blocklist", map[string]any{"entries": []string{"*@Blocked.example", "198.51.100.7/24", "198.51.100.0/24"}}, http.StatusOK)
	if got := call("GET", "/v1/fraud/blocklist", nil, http.StatusOK); fmt.Sprint(got.JSON["entries"]) != "[*@blocked.example 198.51.100.0/24]" {
		t.Fatalf("blocklist as stored: %v", got.JSON["entries"])
	}
	call("PUT", "/v1/fraud/blocklist", map[string]any{"entries": []string{"not an entry"}}, http.StatusUnprocessableEntity)

	person := func(id string, fields map[string]any) {
		body := map[string]any{"external_id": id}
		for k, v := range fields {
			body[k] = v
		}
		call("POST", "/v1/participants", body, http.StatusCreated)
	}
	claim := func(slug, host, guest string, client map[string]any, status int) (code string, r apiResponse) {
		code = call("POST", "/v1/campaigns/"+slug+"/invitations", map[string]any{"host": host}, http.StatusCreated).JSON["code"].(string)
		body := map[string]any{"code": code, "guest": guest}
		if client != nil {
			body["client"] = client
		}
		return code, call("POST", "/v1/claims", body, status)
	}

	// same_client: the guest claims from the host's address.
	person("h-same", map[string]any{"client": map[string]any{"ip": "192.0.2.10", "user_agent": "Host browser"}})
	// email_alias: one Gmail mailbox.
	person("h-alias", map[string]any{"email": "Ann.Lee@gmail.com"})
	person("g-alias", map[string]any{"email": "annlee+promo@googlemail.com"})
	person("g-disposable", map[string]any{"email": "someone@mailinator.com"})
	person("g-blocked", map[string]any{"email": "mallory@blocked.example"})
	person("g-customer", map[string]any{"existing_customer": true})
	// ring: g-ring referred h-ring first, in another campaign.
	claim("plain", "g-ring", "h-ring", nil, http.StatusCreated)
	// velocity: h-busy's 11th claim within the hour.
	for i := range 10 {
		claim("watched", "h-busy", fmt.Sprintf("g-busy%d", i), nil, http.StatusCreated)
	}

	cases := []struct {
		signal, level, host, guest string
		client                     map[string]any
	}{
		{"same_client", "medium", "h-same", "g-same", map[string]any{"ip": "192.0.2.10", "user_agent": "Another browser"}},
		{"email_alias", "high", "h-alias", "g-alias", nil},
		{"disposable_email", "medium", "h-disposable", "g-disposable", nil},
		{"velocity", "medium", "h-busy", "g-busy10", nil},
		{"ring", "high", "h-ring", "g-ring", nil},
		{"blocklisted", "high", "h-blocked", "g-blocked", nil},
		{"blocklisted", "high", "h-blocked-ip", "g-blocked-ip", map[string]any{"ip": "198.51.100.42"}},
		{"existing_customer", "high", "h-customer", "g-customer", nil},
		{"existing_customer", "high", "h-later", "g-later", nil}, // said after the claim, before completion
		{"", "", "h-clean", "g-clean", map[string]any{"ip": "203.0.113.9", "user_agent": "Clean browser"}},
	}
	codes := map[string]string{}
	for _, c := range cases {
		codes[c.guest], _ = claim("watched", c.host, c.guest, c.client, http.StatusCreated)
	}
	call("POST", "/v1/participants", map[string]any{"external_id": "g-later", "existing_customer": true}, http.StatusOK)
	for _, c := range cases {
		call("POST", "/v1/events", event(c.guest, "signup_complete", ""), http.StatusAccepted)
	}
	for _, c := range cases {
		t.Run(c.guest, func(t *testing.T) {
			reward := call("GET", "/v1/participants/"+c.host+"/rewards", nil, http.StatusOK)
			inv := call("GET", "/v1/invitations/"+strings.ToLower(codes[c.guest]), nil, http.StatusOK)
			if c.signal == "" {
				if at(reward, "data.0.status") != "issued" || at(inv, "risk.level") != nil || fmt.Sprint(at(inv, "risk.signals")) != "[]" {
					t.Fatalf("a clean referral: reward %v, risk %v", at(reward, "data.0.status"), inv.JSON["risk"])
				}
				return
			}
			for _, r := range []apiResponse{reward, inv} {
				prefix := "risk"
				if r.JSON["data"] != nil {
					prefix = "data.0.risk"
				}
				if at(r, prefix+".level") != c.level || at(r, prefix+".signals.0.code") != c.signal ||
					at(r, prefix+".signals.0.level") != c.level || at(r, prefix+".signals.0.detail") == "" {
					t.Fatalf("want %s (%s) with evidence, got %s", c.signal, c.level, r.Body)
				}
			}
			if at(reward, "data.0.status") != "held" {
				t.Fatalf("reward %v, want held", at(reward, "data.0.status"))
			}
			hosts := call("GET", "/v1/participants/"+c.host+"/invitations", nil, http.StatusOK)
			if !strings.Contains(string(hosts.Body), `"code":"`+c.signal+`"`) {
				t.Fatalf("the host's invitations lack %s: %s", c.signal, hosts.Body)
			}
		})
	}

	// Strict: a blocklisted claim is refused, the invitation stays pending;
	// a medium one goes through and is held.
	person("s-blocked", map[string]any{"email": "eve@blocked.example"})
	code, refused := claim("strict", "s-host", "s-blocked", nil, http.StatusUnprocessableEntity)
	if refused.ErrorCode() != "claim_blocked" {
		t.Fatalf("a blocklisted claim under block_high_risk: %s", refused.Body)
	}
	if inv := call("GET", "/v1/invitations/"+code, nil, http.StatusOK); inv.JSON["status"] != "pending" || inv.JSON["guest"] != nil {
		t.Fatalf("after the refused claim: %s", inv.Body)
	}
	claim("strict", "s-host", "s-ip", map[string]any{"ip": "198.51.100.1"}, http.StatusUnprocessableEntity)
	person("s-disposable", map[string]any{"email": "x@yopmail.com"})
	claim("strict", "s-host", "s-disposable", nil, http.StatusCreated)
	call("POST", "/v1/events", event("s-disposable", "signup_complete", ""), http.StatusAccepted)
	if r := call("GET", "/v1/participants/s-host/rewards", nil, http.StatusOK); at(r, "data.0.status") != "held" {
		t.Fatalf("a medium-risk referral under block_high_risk: %s", r.Body)
	}
	call("POST", "/v1/claims", map[string]any{"code": code, "guest": "s-other", "client": map[string]any{"ip": "not an address"}},
		http.StatusUnprocessableEntity)
	call("GET", "/v1/invitations/ABCDEFGH", nil, http.StatusNotFound)
}
