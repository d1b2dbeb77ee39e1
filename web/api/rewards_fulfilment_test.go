package api

import (
	"net/http"
	"testing"
)

// TestSettledRewardsAreNotPaid produces the fulfilment's error codes over
// HTTP: a voided Stripe reward's fulfilment shows cancelled, and retrying
// it is 409 reward_not_issued and queues nothing; a reward Stripe has paid
// cannot be voided (409 reward_fulfilled) and can still be redeemed.
func TestSettledRewardsAreNotPaid(t *testing.T) {
	a := newAPITenant(t)
	jobs := func(t *testing.T, reward string) (n int) {
		env.MoveJobOutbox(t)
		if err := env.Owner.Raw(`SELECT count(*) FROM river_job WHERE kind = 'reward_fulfilment' AND args->>'reward_id' = ?`,
			reward).Scan(&n).Error; err != nil {
			t.Fatal(err)
		}
		return n
	}
	runScenarios(t, a, map[string]string{}, append(defineEvents("signup_complete"),
		put("a Stripe campaign", "/v1/campaigns/paid", map[string]any{"name": "paid", "mode": "invitation",
			"quest":           map[string]any{"steps": []string{"signup_complete"}},
			"host_milestones": []any{map[string]any{"count": 1, "reward": moneyReward("$12 credit", "stripe_balance", 1200)}},
			"guest_reward":    moneyReward("$5 off", "stripe_coupon", 500)}, http.StatusOK),
		post("publish", "/v1/campaigns/paid/publish", nil, http.StatusOK),
		post("invite", "/v1/campaigns/paid/invitations", map[string]any{"host": "alice"}, http.StatusCreated).keep(map[string]string{"code": "code"}),
		post("bob claims", "/v1/claims", map[string]any{"code": "{code}", "guest": "bob"}, http.StatusCreated),
		post("bob completes", "/v1/events", event("bob", "signup_complete", ""), http.StatusAccepted),
		get("alice's credit", "/v1/participants/alice/rewards", http.StatusOK).keep(map[string]string{"credit": "data.0.id"}),
		get("bob's coupon", "/v1/participants/bob/rewards", http.StatusOK).keep(map[string]string{"coupon": "data.0.id"}),

		apiScenario{name: "void the credit while its fulfilment fails", method: http.MethodPost, path: "/v1/rewards/{credit}/void", wantStatus: http.StatusOK,
			wantJSON: map[string]any{"status": "voided", "fulfilment.status": "cancelled", "fulfilment.error": ""},
			before: func(t *testing.T, vars map[string]string) {
				if err := env.Owner.Exec(`UPDATE reward_fulfilments SET status = 'failed', error = 'no customer', attempts = 1 WHERE reward_id = ?`,
					vars["credit"]).Error; err != nil {
					t.Fatal(err)
				}
			}},
		apiScenario{name: "retry the voided credit", method: http.MethodPost, path: "/v1/rewards/{credit}/retry-fulfilment",
			wantStatus: http.StatusConflict, wantCode: "reward_not_issued",
			after: func(t *testing.T, _ apiResponse, vars map[string]string) {
				if n := jobs(t, vars["credit"]); n != 1 {
					t.Errorf("the refused retry left %d jobs, want the issue's only", n)
				}
			}},

		apiScenario{name: "void the coupon Stripe has paid", method: http.MethodPost, path: "/v1/rewards/{coupon}/void",
			wantStatus: http.StatusConflict, wantCode: "reward_fulfilled",
			before: func(t *testing.T, vars map[string]string) {
				if err := env.Owner.Exec(`UPDATE reward_fulfilments SET status = 'fulfilled', stripe_object = 'coupon_1', code = 'PROMO1' WHERE reward_id = ?`,
					vars["coupon"]).Error; err != nil {
					t.Fatal(err)
				}
			}},
		post("redeem it", "/v1/rewards/{coupon}/redeem", nil, http.StatusOK).expect(map[string]any{"status": "redeemed", "fulfilment.status": "fulfilled"}),
	))
}
