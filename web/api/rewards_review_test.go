package api

import (
	"net/http"
	"testing"
)

// TestHeldRewardsReviewed walks review through the API: under review: all
// a completed referral's rewards are held, shown as held, and cannot be
// redeemed or voided; approving issues once (again: a no-op), rejecting
// needs a reason and voids once; the other decision after either is 409.
// Each decision is audited once.
func TestHeldRewardsReviewed(t *testing.T) {
	a := newAPITenant(t)
	audited := func(t *testing.T, reward, action string) (n int) {
		if err := env.Owner.Raw(`SELECT count(*) FROM audit_log WHERE subject = ? AND action = ?`, reward, action).Scan(&n).Error; err != nil {
			t.Fatal(err)
		}
		return n
	}
	once := func(action, reward string) func(t *testing.T, r apiResponse, vars map[string]string) {
		return func(t *testing.T, r apiResponse, vars map[string]string) {
			if r.JSON["reviewed_at"] == nil {
				t.Errorf("no reviewed_at: %s", r.Body)
			}
			if n := audited(t, vars[reward], action); n != 1 {
				t.Errorf("%d %s audit entries, want 1", n, action)
			}
		}
	}
	runScenarios(t, a, map[string]string{}, append(defineEvents("signup_complete"),
		put("a reviewed campaign", "/v1/campaigns/reviewed", map[string]any{"name": "reviewed", "mode": "invitation",
			"quest":           map[string]any{"steps": []string{"signup_complete"}},
			"host_milestones": []any{map[string]any{"count": 1, "reward": moneyReward("$10", "cash", 1000)}},
			"guest_reward":    moneyReward("$5 credit", "credit", 500), "review": "all"}, http.StatusOK).
			expect(map[string]any{"draft.review": "all", "draft.review_threshold": "medium", "draft.block_high_risk": false}),
		put("blocking without review", "/v1/campaigns/reviewed", map[string]any{"name": "reviewed", "mode": "invitation",
			"quest": map[string]any{"steps": []string{"signup_complete"}}, "block_high_risk": true}, http.StatusUnprocessableEntity).
			code("invalid_review").expect(map[string]any{"error.field": "block_high_risk"}),
		put("an unknown review", "/v1/campaigns/reviewed", map[string]any{"name": "reviewed", "mode": "invitation",
			"quest": map[string]any{"steps": []string{"signup_complete"}}, "review": "sometimes"}, http.StatusUnprocessableEntity).
			code("invalid_review").expect(map[string]any{"error.field": "review"}),
		post("publish", "/v1/campaigns/reviewed/publish", nil, http.StatusOK),
		get("the version reviews", "/v1/campaigns/reviewed", http.StatusOK).expect(map[string]any{"version.review": "all"}),
		post("invite", "/v1/campaigns/reviewed/invitations", map[string]any{"host": "alice"}, http.StatusCreated).keep(map[string]string{"code": "code"}),
		post("bob claims", "/v1/claims", map[string]any{"code": "{code}", "guest": "bob"}, http.StatusCreated),
		post("bob completes", "/v1/events", event("bob", "signup_complete", ""), http.StatusAccepted),
		get("bob's reward is held", "/v1/participants/bob/rewards", http.StatusOK).
			expect(map[string]any{"data.0.status": "held", "data.0.expires_at": nil, "data.0.reviewed_at": nil}).
			keep(map[string]string{"credit": "data.0.id"}),
		get("so is alice's", "/v1/participants/alice/rewards", http.StatusOK).
			expect(map[string]any{"data.0.status": "held"}).keep(map[string]string{"cash": "data.0.id"}),
		get("the held filter", "/v1/rewards?status=held", http.StatusOK).expect(map[string]any{"data.1.status": "held"}),
		post("redeem a held reward", "/v1/rewards/{credit}/redeem", nil, http.StatusConflict).code("reward_status_transition"),
		post("void a held reward", "/v1/rewards/{credit}/void", nil, http.StatusConflict).code("reward_status_transition"),
		post("reject without a reason", "/v1/rewards/{credit}/reject", map[string]any{}, http.StatusUnprocessableEntity).
			code("missing_field").expect(map[string]any{"error.field": "reason"}),
		post("reject with a blank reason", "/v1/rewards/{credit}/reject", map[string]any{"reason": "  "}, http.StatusUnprocessableEntity).
			code("invalid_length").expect(map[string]any{"error.field": "reason"}),
		post("approve with a body", "/v1/rewards/{credit}/approve", map[string]any{"reason": "x"}, http.StatusUnprocessableEntity).
			code("unknown_field"),
		post("approve", "/v1/rewards/{credit}/approve", nil, http.StatusOK).
			expect(map[string]any{"status": "issued", "review_reason": nil}).then(once("reward.approved", "credit")),
		post("approve again", "/v1/rewards/{credit}/approve", nil, http.StatusOK).
			expect(map[string]any{"status": "issued"}).then(once("reward.approved", "credit")),
		post("reject the approved", "/v1/rewards/{credit}/reject", map[string]any{"reason": "too late"}, http.StatusConflict).
			code("reward_status_transition"),
		post("redeem the approved", "/v1/rewards/{credit}/redeem", nil, http.StatusOK).expect(map[string]any{"status": "redeemed"}),
		post("reject", "/v1/rewards/{cash}/reject", map[string]any{"reason": "the same card as the host"}, http.StatusOK).
			expect(map[string]any{"status": "voided", "review_reason": "the same card as the host"}).then(once("reward.rejected", "cash")),
		post("reject again", "/v1/rewards/{cash}/reject", map[string]any{"reason": "another reason"}, http.StatusOK).
			expect(map[string]any{"status": "voided", "review_reason": "the same card as the host"}).then(once("reward.rejected", "cash")),
		post("approve the rejected", "/v1/rewards/{cash}/approve", nil, http.StatusConflict).code("reward_status_transition"),
		post("approve an unknown reward", "/v1/rewards/rwd_00000000000000000000000000000000/approve", nil, http.StatusNotFound).
			code("reward_not_found"),
	))
}
