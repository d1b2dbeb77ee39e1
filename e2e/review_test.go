package e2e

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/tandemhq/tandem/tenants"
)

// TestE2EReviewQueue: an owner whose campaign holds every reward opens the
// review queue from the sidebar, reads a referral's signal and evidence,
// approves one reward (focus moving on to the next), rejects one with a
// reason (refused first without one, the message beside the field and the
// focus in it; the focus then on the queue's heading, nothing being left
// to decide on the filtered page), rejects one from the bulk form with
// Enter in its reason's field, and approves the rest at once,
// without a console error or CSP violation; the database then holds each
// decision and its audit entry, by the owner.
func TestE2EReviewQueue(t *testing.T) {
	if testing.Short() {
		t.Skip("the browser test is slow; -short skips it")
	}
	execPath := findChromium(t)
	base := startServer(t)
	const email, password = "review@example.com", "correct horse battery"
	tenant, err := tenants.Create(context.Background(), env.App, tenants.NewTenant{Name: "Review Roasters", OwnerEmail: email, OwnerPassword: password})
	if err != nil {
		t.Fatal(err)
	}
	api := &apiClient{t: t, base: base, key: tenant.SecretKey}
	api.want(201, "POST", "/v1/event-definitions", map[string]any{"name": "signed_up"})
	api.want(200, "PUT", "/v1/campaigns/vetted", map[string]any{"name": "Vetted friends", "mode": "invitation", "review": "all",
		"quest":                 map[string]any{"steps": []string{"signed_up"}},
		"host_milestones":       []any{map[string]any{"count": 1, "reward": map[string]any{"description": "$10 credit", "kind": "credit", "amount": 1000, "currency": "USD"}}},
		"repeat_last_milestone": true})
	api.want(200, "POST", "/v1/campaigns/vetted/publish", nil)
	api.want(201, "POST", "/v1/participants", map[string]any{"external_id": "hana", "email": "hana@example.com"})
	rewards := map[string]string{} // guest → the host's reward for them
	for _, guest := range []string{"gus", "gail", "gwen", "gabe", "gia"} {
		mail := guest + "@example.com"
		if guest == "gus" {
			mail = "Hana+friend@example.com" // the host's own mailbox: email_alias
		}
		api.want(201, "POST", "/v1/participants", map[string]any{"external_id": guest, "email": mail})
		inv := api.want(201, "POST", "/v1/campaigns/vetted/invitations", map[string]any{"host": "hana"})
		api.want(201, "POST", "/v1/claims", map[string]any{"code": inv["code"], "guest": guest})
		api.want(202, "POST", "/v1/events", map[string]any{"participant": guest, "name": "signed_up"})
		var id string
		if err := env.Owner.Raw(`SELECT id FROM reward_tokens WHERE tenant_id = ? AND invitation_id = ?`, tenant.TenantID, inv["id"]).Scan(&id).Error; err != nil || id == "" {
			t.Fatalf("the reward of %s's referral: %v", guest, err)
		}
		rewards[guest] = id
	}

	c := newChrome(t, execPath, base)
	c.open("/login")
	c.fill(`input[name="email"]`, email)
	c.fill(`input[name="password"]`, password)
	c.clickAndLoad(testid("login-submit"), "/")
	c.clickAndLoad(testid("nav-review"), "/review")
	if n := c.count(testid("review-item")); n != 5 {
		t.Fatalf("the queue holds %d rewards, want 5", n)
	}
	item := func(guest string) string { return `[data-reward-id="` + rewards[guest] + `"]` }
	c.assertText(item("gus")+` [data-testid="risk-signal"]`, "Email alias")
	c.assertText(item("gus")+` [data-testid="risk-evidence"]`, "one mailbox")
	c.assertText(item("gus")+` [data-testid="review-others"]`, "4 other referrals of hana")
	c.screenshot("review-queue")

	// focusOn waits until the keyboard's focus is on sel, not lost to
	// <body> with the decided row's buttons.
	focusOn := func(sel, what string) {
		t.Helper()
		c.waitFor(`document.activeElement === document.querySelector('`+sel+`')`, "focus on "+what)
	}

	// Approve gail's, in place: focus moves on to the next held reward.
	c.click(item("gail") + ` [data-testid="review-approve"]`)
	c.waitFor(`document.querySelector('`+item("gail")+`').dataset.status === "issued"`, "gail's reward approved")
	c.assertText(testid("flash-message"), "is approved")
	focusOn(item("gwen")+` [data-testid="review-approve"]`, "gwen's Approve, the next held reward")

	// Reject gus's, the one reward of its signal: without a reason the
	// field says why (and has the focus), then with one; no held reward is
	// left on the page, so focus goes to the queue's heading.
	c.open("/review?signal=email_alias")
	if n := c.count(testid("review-item")); n != 1 {
		t.Fatalf("the queue filtered by email_alias holds %d rewards, want gus's", n)
	}
	c.fill(item("gus")+` [data-testid="review-reason-input"]`, " ")
	c.expectFailure("/review/"+rewards["gus"]+"/reject", 422)
	c.click(item("gus") + ` [data-testid="review-reject"]`)
	c.mustSee(item("gus")+` [data-testid="review-reason-error"]`, "the reason's error")
	focusOn(item("gus")+` [data-testid="review-reason-input"]`, "the reason's field, refused")
	c.fill(item("gus")+` [data-testid="review-reason-input"]`, "The host's own mailbox")
	c.click(item("gus") + ` [data-testid="review-reject"]`)
	c.waitFor(`document.querySelector('`+item("gus")+`').dataset.status === "voided"`, "gus's reward rejected")
	c.assertText(item("gus")+` [data-testid="review-reason"]`, "The host's own mailbox")
	focusOn(`#held-heading`, "the queue's heading, nothing left to decide")
	c.checkClean("deciding one reward at a time")
	c.open("/review")

	// Reject gia's from the bulk form by the keyboard: Enter in the
	// reason's field rejects the ticked rows (never approves them).
	c.click(item("gia") + ` [data-testid="review-select"]`)
	c.fill(testid("bulk-reason"), "A test account")
	eval[bool](c, `(window.__e2eOldPage = true)`)
	c.do("press Enter in the bulk reason", chromedp.SendKeys(chromedp.CSS(testid("bulk-reason")), kb.Enter))
	c.waitFor(`!window.__e2eOldPage && location.pathname === "/review"`, "the queue after the bulk rejection")
	c.waitReady("the queue after the bulk rejection")
	c.assertText(testid("flash-message"), "Rejected 1 reward.")

	// Approve the other two at once, ticked by keyboard-reachable boxes.
	c.click(item("gwen") + ` [data-testid="review-select"]`)
	c.click(item("gabe") + ` [data-testid="review-select"]`)
	c.clickAndLoad(testid("bulk-approve"), "/review")
	c.assertText(testid("flash-message"), "Approved 2 rewards.")
	if n := c.count(testid("review-item")); n != 0 {
		t.Errorf("%d rewards still held after the bulk approval", n)
	}
	c.screenshot("review-queue-empty")
	c.checkClean("the review queue")

	var member string
	if err := env.Owner.Raw(`SELECT id FROM members WHERE email = ?`, email).Scan(&member).Error; err != nil {
		t.Fatal(err)
	}
	for guest, want := range map[string]struct{ status, action string }{
		"gail": {"issued", "reward.approved"}, "gus": {"voided", "reward.rejected"},
		"gwen": {"issued", "reward.approved"}, "gabe": {"issued", "reward.approved"}, "gia": {"voided", "reward.rejected"},
	} {
		var row struct {
			Status       string
			ReviewReason *string
			Audited      int
		}
		err := env.Owner.Raw(`SELECT r.status, r.review_reason,
			(SELECT count(*) FROM audit_log a WHERE a.tenant_id = r.tenant_id AND a.subject = r.id AND a.action = ? AND a.actor = ?) AS audited
			FROM reward_tokens r WHERE r.tenant_id = ? AND r.id = ?`, want.action, "member:"+member, tenant.TenantID, rewards[guest]).Take(&row).Error
		if err != nil {
			t.Fatal(err)
		}
		if row.Status != want.status || row.Audited != 1 {
			t.Errorf("%s's reward: %s with %d %s entries by the owner, want %s with one", guest, row.Status, row.Audited, want.action, want.status)
		}
		if reason := map[string]string{"gus": "The host's own mailbox", "gia": "A test account"}[guest]; (row.ReviewReason == nil) != (reason == "") ||
			row.ReviewReason != nil && *row.ReviewReason != reason {
			t.Errorf("%s's reward's reason: %v, want %q", guest, row.ReviewReason, reason)
		}
	}
}
