package api

import (
	"fmt"
	"net/http"
	"regexp"
	"testing"
)

// TestReferrerCodeCampaignScenario walks a Dropbox-style campaign: hosts
// share personal codes, guests sign up with them, tickets are issued, and a
// raffle draws over them and can be checked again from its seed.
func TestReferrerCodeCampaignScenario(t *testing.T) {
	a := newAPITenant(t)
	steps := defineEvents("signup_complete")
	steps = append(steps,
		apiScenario{name: "draft", method: http.MethodPut, path: "/v1/campaigns/friends", wantStatus: http.StatusOK, body: map[string]any{
			"name": "Friends", "mode": "referrer_code", "quest": map[string]any{"steps": []string{"invitation_claimed", "signup_complete"}},
			"host_milestones":       []any{map[string]any{"count": 1, "reward": reward("1 ticket", "ticket", 1)}, map[string]any{"count": 2, "reward": reward("2 tickets", "ticket", 2)}},
			"repeat_last_milestone": true, "guest_reward": reward("1 ticket", "ticket", 1),
		}},
		post("publish", "/v1/campaigns/friends/publish", nil, http.StatusOK).expect(map[string]any{"version": 1}),
		post("erin's code", "/v1/campaigns/friends/referrer-code", map[string]any{"participant": "erin"}, http.StatusOK).
			expect(map[string]any{"url": "https://tandem.test/i/{erin_code}"}).keep(map[string]string{"erin_code": "code"}),
		post("erin's code again is the same", "/v1/campaigns/friends/referrer-code", map[string]any{"participant": "erin"}, http.StatusOK).
			expect(map[string]any{"code": "{erin_code}"}),
		post("frank's code differs", "/v1/campaigns/friends/referrer-code", map[string]any{"participant": "frank"}, http.StatusOK).
			lacks("{erin_code}").keep(map[string]string{"frank_code": "code"}),
		post("no manual invitations here", "/v1/campaigns/friends/invitations", map[string]any{"host": "erin"}, http.StatusConflict).
			code("campaign_mode_mismatch"),
		post("an unknown campaign", "/v1/campaigns/nope/referrer-code", map[string]any{"participant": "erin"}, http.StatusNotFound).
			code("campaign_not_found"),

		post("gina signs up with erin's code", "/v1/claims", map[string]any{"code": "{lower:erin_code}", "guest": "gina"}, http.StatusCreated).
			expect(map[string]any{"invitation.kind": "referrer_code", "invitation.host": "erin", "invitation.guest": "gina", "invitation.status": "claimed",
				"invitation.code": "{erin_code}", "invitation.progress.done": 1, "invitation.progress.next_step": "signup_complete"}).
			keep(map[string]string{"inv_gina": "invitation.id"}),
		post("hank too", "/v1/claims", map[string]any{"code": "{erin_code}", "guest": "hank"}, http.StatusCreated),
		post("ivy with frank's", "/v1/claims", map[string]any{"code": "{frank_code}", "guest": "ivy"}, http.StatusCreated),
		post("gina again, with frank's", "/v1/claims", map[string]any{"code": "{frank_code}", "guest": "gina"}, http.StatusConflict).
			code("guest_already_referred"),
		post("erin with her own code", "/v1/claims", map[string]any{"code": "{erin_code}", "guest": "erin"}, http.StatusUnprocessableEntity).
			code("self_referral"),

		post("gina signs up", "/v1/events", event("gina", "signup_complete", "gina-signup"), http.StatusAccepted),
		post("hank and ivy in a batch", "/v1/events/batch", map[string]any{"events": []any{
			event("hank", "signup_complete", "hank-signup"), event("ivy", "signup_complete", "ivy-signup"),
		}}, http.StatusOK).expect(map[string]any{"results.0.status": "created", "results.1.status": "created"}),
		get("erin's invitations", "/v1/participants/erin/invitations", http.StatusOK).
			expect(map[string]any{"data[guest=gina].status": "completed", "data[guest=gina].progress.done": 2, "data[guest=gina].progress.total": 2,
				"data[guest=gina].id": "{inv_gina}", "data[guest=hank].status": "completed", "data[guest=hank].url": "https://tandem.test/i/{erin_code}"}).
			lacks(`"guest":"ivy"`),
		get("erin's tickets", "/v1/participants/erin/rewards", http.StatusOK).
			expect(map[string]any{"data[milestone=1].quantity": 1, "data[milestone=2].quantity": 2, "data[milestone=1].kind": "ticket"}),
		get("gina's ticket", "/v1/participants/gina/rewards", http.StatusOK).
			expect(map[string]any{"data.0.reason": "guest", "data.0.kind": "ticket", "data.0.status": "issued"}),

		// Raffle over the tickets: erin 3, frank 1, gina, hank, ivy 1 each.
		post("a raffle needs a campaign", "/v1/raffles", map[string]any{"winners": 2}, http.StatusUnprocessableEntity).
			code("missing_field").expect(map[string]any{"error.field": "campaign"}),
		post("draw two winners", "/v1/raffles", map[string]any{"campaign": "friends", "winners": 2}, http.StatusCreated).
			expect(map[string]any{"campaign": "friends", "verified": true, "entries[participant=erin].tickets": 3, "entries[participant=ivy].tickets": 1}).
			contains(`"id":"rfl_`, `"drawn_at":"`).
			then(func(t *testing.T, r apiResponse, vars map[string]string) {
				winners, _ := r.JSON["winners"].([]any)
				seed, _ := r.JSON["seed"].(string)
				if len(winners) != 2 || winners[0] == winners[1] || !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(seed) {
					t.Fatalf("winners %v, seed %q", winners, seed)
				}
				vars["winner1"], vars["winner2"] = fmt.Sprint(winners[0]), fmt.Sprint(winners[1])
			}).keep(map[string]string{"raffle": "id", "seed": "seed"}),
		get("the draw checks out", "/v1/raffles/{raffle}", http.StatusOK).
			expect(map[string]any{"verified": true, "seed": "{seed}", "winners.0": "{winner1}", "winners.1": "{winner2}"}),
		get("the tickets went into the draw", "/v1/participants/erin/rewards", http.StatusOK).
			expect(map[string]any{"data[milestone=1].status": "redeemed", "data[milestone=1].raffle_draw": "{raffle}"}).lacks(`"status":"issued"`),
		post("no tickets left", "/v1/raffles", map[string]any{"campaign": "friends", "winners": 1}, http.StatusConflict).code("no_tickets"),
		get("an unknown raffle", "/v1/raffles/rfl_nope", http.StatusNotFound).code("raffle_not_found"),
	)
	runScenarios(t, a, map[string]string{}, steps)
}
