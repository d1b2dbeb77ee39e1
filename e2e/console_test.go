package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tandemhq/tandem/models"
)

// The story's names.
const (
	tenantName   = "Greenleaf Coffee"
	ownerEmail   = "owner@greenleaf.example"
	ownerPass    = "correct horse battery staple"
	campaignName = "Spring referrals"
	campaignSlug = "spring-referrals"
	host         = "host-ada"
	guest        = "guest-bob"
)

// The quest: two events defined in the event catalog, the third inline in
// the campaign builder.
var quest = []string{"email_verified", "first_purchase", "subscription_started"}

// milestones is the host's table: the Nth successful referral earns row N.
var milestones = []struct{ count, description, amount string }{
	{"1", "$10 store credit", "10.00"},
	{"2", "$20 store credit", "20.00"},
	{"3", "$30 store credit", "30.00"},
}

// TestE2EConsole is a new tenant's first hour, in a real browser: sign up,
// define events, build a referrer-code campaign with a three-step quest and
// a three-row milestone table, publish it; then, as events arrive through
// models, watch the guest's progress, redeem the host's reward from the
// queue and see the dashboard change. Any console error or CSP violation
// on the way fails it.
func TestE2EConsole(t *testing.T) {
	if testing.Short() {
		t.Skip("the browser test is slow; -short skips it")
	}
	b := newChrome(t, findChromium(t), startServer(t))

	// The guard works: an inline script injected into a page is refused by
	// the CSP, and the test sees the violation.
	b.open("/signup")
	b.proveCSPGuard()

	// Sign up: a new tenant and its owner.
	b.screenshot("signup")
	b.fill(`input[name="name"]`, tenantName)
	b.fill(`input[name="email"]`, ownerEmail)
	b.fill(`input[name="password"]`, ownerPass)
	b.clickAndLoad(testid("signup-submit"), "/signup")
	b.assertText(testid("welcome-tenant"), tenantName)
	b.clickAndLoad(testid("continue"), "/")
	b.assertText(testid("tenant-name"), tenantName)
	b.mustSee(testid("dashboard-placeholder"), "the welcome dashboard of a tenant without campaigns")
	b.screenshot("dashboard-empty")

	// Define the first two events in the event catalog.
	b.open("/events")
	for _, name := range quest[:2] {
		b.fill(`[data-testid="event-define-form"] input[name="name"]`, name)
		b.fill(`[data-testid="event-define-form"] input[name="description"]`, "Reported by the shop: "+strings.ReplaceAll(name, "_", " "))
		b.click(testid("event-define-submit"))
		b.mustSee(fmt.Sprintf(`[data-testid="event-definition"][data-event-name=%q]`, name), "the new event in the catalog")
	}
	b.screenshot("event-catalog")

	// Build the campaign.
	b.open("/campaigns")
	b.mustSee(testid("empty-state"), "the campaigns list's empty state")
	b.screenshot("campaigns-empty")
	b.clickAndLoad(testid("new-campaign"), "/campaigns/new")
	b.buildCampaign()
	b.screenshot("builder")

	// Saving without a name is answered in place, through htmx, keeping
	// everything typed.
	b.fill(`#campaign-form input[name="name"]`, "")
	b.expectFailure("/campaigns/new", 422)
	b.click(testid("save-draft"))
	b.mustSee(testid("error-name"), "the name's error next to its field")
	if n := b.count(testid("step-select")); n != 3 {
		t.Fatalf("after a failed save the quest has %d steps, want the 3 typed", n)
	}
	if got := b.attr("#ms-description-2", "value"); got != milestones[2].description {
		t.Fatalf("after a failed save milestone row 3 reads %q, want %q", got, milestones[2].description)
	}
	b.screenshot("builder-error")
	b.fill(`#campaign-form input[name="name"]`, campaignName)
	b.clickAndLoad(testid("save-draft"), "/campaigns/"+campaignSlug)
	b.assertText(testid("campaign-status"), "Draft")
	b.screenshot("campaign-draft")

	// Publish the first version, after reviewing it.
	b.clickAndLoad(testid("publish-link"), "/campaigns/"+campaignSlug+"/publish")
	b.mustSee(testid("draft-rules"), "the rules about to be published")
	b.screenshot("publish")
	b.clickAndLoad(testid("publish-submit"), "/campaigns/"+campaignSlug)
	b.assertText(testid("campaign-status"), "Active")
	b.assertText(testid("current-version"), "Version 1")
	b.mustSee(testid("current-rules"), "the rules in force")
	b.screenshot("campaign-active")
	b.open("/campaigns")
	b.assertText(fmt.Sprintf(`[data-testid="campaign-row"][data-slug=%q] [data-testid="campaign-status"]`, campaignSlug), "Active")
	b.screenshot("campaigns")
	// The overview, where members land, leads to the campaign's dashboard.
	b.open("/")
	overviewRow := fmt.Sprintf(`[data-testid="overview-row"][data-slug=%q]`, campaignSlug)
	b.assertText(overviewRow+` [data-testid="overview-status"]`, "Active")
	b.screenshot("overview")
	b.clickAndLoad(overviewRow+` [data-testid="overview-dashboard-link"]`, "/dashboard")
	b.mustSee(testid("dashboard-no-data"), "the dashboard of a published campaign without referrals")

	// Events arrive through models, as from the tenant's backend: the
	// host's referrer code, a guest signing up with it, two quest steps.
	tenantID := env.TenantNamed(t, tenantName)
	env.InTenant(t, tenantID, func(ctx context.Context) error {
		code, err := models.ReferrerCode(ctx, campaignSlug, host)
		if err != nil {
			return err
		}
		if _, err := models.Claim(ctx, code, guest); err != nil {
			return err
		}
		return ingest(ctx, guest, quest[:2]...)
	})

	b.open("/participants/" + guest)
	bar := `[data-testid="invited-by"] ` + testid("progress-bar")
	b.assertProgress(bar, 2, 3)
	b.screenshot("participant-guest")
	b.open("/participants/" + host)
	b.assertProgress(`[data-testid="host-invitations"] `+testid("progress-bar"), 2, 3)
	before := b.dashboardNumbers()
	b.screenshot("dashboard-before")

	// The last step completes the quest: the guest and the host earn their
	// rewards.
	env.InTenant(t, tenantID, func(ctx context.Context) error { return ingest(ctx, guest, quest[2]) })
	b.open("/participants/" + guest)
	b.assertProgress(bar, 3, 3)
	b.screenshot("participant-completed")

	// Redeem the host's reward from the queue, after confirming it.
	b.open("/rewards")
	row := b.rewardRowOf(host)
	b.screenshot("rewards")
	b.clickAndLoad(row+` `+testid("redeem"), "/rewards/"+b.attr(row, "data-reward-id")+"/redeem")
	b.assertText(testid("redeem-confirmation"), "$10.00")
	b.screenshot("reward-redeem-confirmation")
	b.clickAndLoad(testid("redeem-confirm"), "/rewards")
	b.mustSee(row+`[data-status="redeemed"]`, "the host's reward redeemed")
	b.assertText(row+` `+testid("settled-by"), ownerEmail)
	b.screenshot("rewards-redeemed")

	// The dashboard moved.
	after := b.dashboardNumbers()
	b.screenshot("dashboard")
	t.Logf("dashboard before: %v", before)
	t.Logf("dashboard after:  %v", after)
	for _, want := range []struct {
		key           string
		before, after string
	}{
		{"claimed", "1", "1"},
		{"completed", "0", "1"},
		{"USD issued", "", "$15.00"},
		{"USD redeemed", "", "$10.00"},
		{"top hosts", "0", "1"},
	} {
		if before[want.key] != want.before || after[want.key] != want.after {
			t.Errorf("dashboard %s: %q then %q, want %q then %q", want.key, before[want.key], after[want.key], want.before, want.after)
		}
	}

	// Webhooks: an endpoint (its secret shown once), a test event, and its
	// delivery in the log (no job runner here: it waits, pending).
	b.open("/webhooks")
	b.fill(`[data-testid="webhook-form"] input[name="url"]`, "http://127.0.0.1:9/hook")
	b.clickAndLoad(testid("webhook-create"), "/webhooks")
	b.mustSee(testid("webhook-secret"), "the new endpoint's secret, shown once")
	b.screenshot("webhooks")
	endpoint := b.attr(testid("webhook-endpoint"), "data-endpoint-id")
	b.open("/webhooks/" + endpoint)
	b.clickAndLoad(testid("webhook-test"), "/webhooks/"+endpoint)
	b.assertText(`[data-testid="webhook-delivery"] [data-testid="status"]`, "Pending")
	b.screenshot("webhook-endpoint")
	b.checkClean("the end")
}

// ingest reports events of participant through models.
func ingest(ctx context.Context, participant string, names ...string) error {
	for _, name := range names {
		if _, _, err := models.IngestEvent(ctx, models.EventInput{Participant: participant, Name: name}); err != nil {
			return err
		}
	}
	return nil
}

// proveCSPGuard injects an inline script into the page, which the console's
// CSP must refuse, and checks that the test saw that: otherwise a passing
// run would prove nothing.
func (c *chrome) proveCSPGuard() {
	c.t.Helper()
	eval[bool](c, `(function () {
		var s = document.createElement("script");
		s.textContent = "window.__inlineRan = true";
		document.head.appendChild(s);
		return true;
	})()`)
	if eval[bool](c, `window.__inlineRan === true`) {
		c.t.Fatal("an inline script ran: the page has no CSP against inline scripts")
	}
	c.waitForProblem("CSP violation", "the injected inline script's CSP violation")
	c.mu.Lock()
	c.problems, c.failedLoads = nil, nil
	c.mu.Unlock()
}

// waitForProblem waits until a recorded problem contains substr.
func (c *chrome) waitForProblem(substr, what string) {
	c.t.Helper()
	for range 100 {
		c.mu.Lock()
		for _, p := range c.problems {
			if strings.Contains(p, substr) {
				c.mu.Unlock()
				return
			}
		}
		c.mu.Unlock()
		time.Sleep(20 * time.Millisecond)
	}
	c.mu.Lock()
	seen := append([]string(nil), c.problems...)
	c.mu.Unlock()
	c.t.Fatalf("never saw %s; problems seen: %q", what, seen)
}

// buildCampaign fills the new campaign's form: name, slug, mode, the quest
// (two steps from the catalog, a third defined inline), the host's three
// milestones and the guest's reward.
func (c *chrome) buildCampaign() {
	c.t.Helper()
	c.fill(`#campaign-form input[name="name"]`, campaignName)
	c.fill(`#campaign-form input[name="slug"]`, campaignSlug)
	c.fill(`#campaign-form input[name="signup_url"]`, "https://greenleaf.example/signup")
	c.click(testid("mode-referrer_code"))

	// Quest: the form starts with one empty step.
	c.choose("#step-0", quest[0])
	c.click(testid("add-step"))
	c.mustSee("#step-1", "a second step")
	c.choose("#step-1", quest[1])
	c.click(".define-event summary")
	c.fill(testid("new-event-name"), quest[2])
	c.fill(testid("new-event-description"), "The guest's first subscription")
	c.click(testid("define-event"))
	c.mustSee(testid("event-defined"), "the inline event's confirmation")
	if got := c.stepValues(); strings.Join(got, ",") != strings.Join(quest, ",") {
		c.t.Fatalf("quest steps %q, want %q", got, quest)
	}

	// Host milestones: three rows, one at a time.
	for i, m := range milestones {
		c.click(testid("add-milestone"))
		c.mustSee(fmt.Sprintf("#ms-count-%d", i), fmt.Sprintf("milestone row %d", i+1))
		c.fill(fmt.Sprintf("#ms-count-%d", i), m.count)
		c.fill(fmt.Sprintf("#ms-description-%d", i), m.description)
		c.choose(fmt.Sprintf("#ms-kind-%d", i), "credit")
		c.fill(fmt.Sprintf("#ms-quantity-%d", i), "1")
		c.fill(fmt.Sprintf("#ms-amount-%d", i), m.amount)
		c.fill(fmt.Sprintf("#ms-currency-%d", i), "USD")
	}
	c.waitFor(fmt.Sprintf(`[].some.call(document.querySelectorAll(%q), function (e) { return e.textContent.indexOf("60.00") >= 0; })`,
		testid("milestone-total-line")), "the running total of three referrals, $60.00")
	c.waitReady("the running total")

	// The guest's reward.
	c.click(testid("guest-add"))
	c.fill(testid("guest-description"), "$5 off the first order")
	c.choose("#guest-kind", "coupon")
	c.fill(testid("guest-amount"), "5.00")
	c.fill(testid("guest-currency"), "USD")
	c.waitReady("the builder")
}

// stepValues are the quest's steps as the builder's selects hold them.
func (c *chrome) stepValues() []string {
	return eval[[]string](c, `[].map.call(document.querySelectorAll('[data-testid="step-select"]'), function (s) { return s.value; })`)
}

// assertProgress waits for the step bar at sel to show done of total.
func (c *chrome) assertProgress(sel string, done, total int) {
	c.t.Helper()
	c.mustSee(sel, "a quest progress bar")
	gotDone, gotTotal := c.attr(sel, "data-done"), c.attr(sel, "data-total")
	if gotDone != fmt.Sprint(done) || gotTotal != fmt.Sprint(total) {
		c.screenshot("assert-failed")
		c.t.Fatalf("%s: progress %s of %s, want %d of %d", sel, gotDone, gotTotal, done, total)
	}
	doneSteps := c.count(sel + ` [data-testid="progress-step"][data-state="done"]`)
	if doneSteps != done || c.count(sel+` `+testid("progress-step")) != total {
		c.t.Fatalf("%s: %d steps drawn done, want %d of %d", sel, doneSteps, done, total)
	}
}

// rewardRowOf returns the selector of the queue's issued reward of
// participant, by its id.
func (c *chrome) rewardRowOf(participant string) string {
	c.t.Helper()
	c.mustSee(testid("reward-queue"), "the rewards queue")
	id := eval[string](c, fmt.Sprintf(`(function () {
		var rows = document.querySelectorAll('[data-testid="reward-row"][data-status="issued"]');
		for (var i = 0; i < rows.length; i++) {
			var link = rows[i].querySelector('a[href$="/participants/' + %q + '"]');
			if (link) { return rows[i].getAttribute("data-reward-id"); }
		}
		return "";
	})()`, participant))
	if id == "" {
		c.screenshot("assert-failed")
		c.t.Fatalf("no issued reward of %s in the queue", participant)
	}
	return fmt.Sprintf(`[data-testid="reward-row"][data-reward-id=%q]`, id)
}

// dashboardNumbers opens the dashboard and reads its numbers: each funnel
// stage's count, the USD issued and redeemed, and how many top hosts.
func (c *chrome) dashboardNumbers() map[string]string {
	c.t.Helper()
	c.open("/dashboard?campaign=" + campaignSlug)
	c.mustSee(`[data-testid="dashboard-campaign"][data-slug="`+campaignSlug+`"]`, "the campaign's dashboard")
	n := eval[map[string]string](c, `(function () {
		var out = {};
		document.querySelectorAll('[data-testid="funnel-stage"]').forEach(function (g) {
			out[g.getAttribute("data-stage")] = g.getAttribute("data-count");
		});
		var usd = document.querySelector('[data-testid="reward-currency"][data-currency="USD"]');
		if (usd) {
			out["USD issued"] = usd.querySelector('[data-testid="issued-value"]').textContent.trim();
			out["USD redeemed"] = usd.querySelector('[data-testid="redeemed-value"]').textContent.trim();
		}
		out["top hosts"] = String(document.querySelectorAll('[data-testid="top-host"]').length);
		return out;
	})()`)
	return n
}
