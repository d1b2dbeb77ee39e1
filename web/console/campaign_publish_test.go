package console

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/uuid"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/views"
)

// TestCampaignPublishKeepThenMigrate publishes a first version, lets
// guests start their quests, then publishes a changed quest with
// "migrate": the diff and the preview come first, the numbers match what
// happens, and the history keeps both versions.
func TestCampaignPublishKeepThenMigrate(t *testing.T) {
	b, owner := builderOwner(t)
	slug := uniqueSlug("publish")
	v := threeStepCampaign(slug)
	createCampaign(t, b, v)

	// The first publication: no diff, the rules, no in-flight choice.
	p := b.get("/campaigns/" + slug + "/publish")
	wantStatus(t, p, http.StatusOK)
	if !strings.Contains(p.text("publish-diff"), "First version") || p.find("inflight-migrate").Length() != 0 {
		t.Errorf("first publication page: %q", p.text("publish-diff"))
	}
	p = publishDraft(t, b, slug, "")
	if !strings.Contains(p.text("flash-message"), "Version 1 is live") || p.text("campaign-status") != "Active" ||
		p.text("current-version") != "Version 1 live" {
		t.Fatalf("after publishing: flash %q status %q version %q", p.text("flash-message"), p.text("campaign-status"), p.text("current-version"))
	}
	if p.find("publish-link").Length() != 0 || p.find("current-rules").Length() != 1 {
		t.Error("a published campaign without a draft offers to publish, or hides its rules")
	}
	if status, version := campaignRow(t, owner.tenantID, slug); status != "active" || version == nil || *version != 1 {
		t.Fatalf("in the database: %s %v", status, version)
	}
	if row := b.get("/campaigns").Doc.Find(`[data-slug="` + slug + `"]`); strings.TrimSpace(row.Find(`[data-testid="campaign-version"]`).Text()) != "v1" {
		t.Errorf("list version %q", row.Find(`[data-testid="campaign-version"]`).Text())
	}

	// Four guests of one host are in flight under version 1.
	inFlight(t, owner.tenantID, slug, map[string][]string{
		"g-signup":   {"signup_complete"},                      // progress 1
		"g-both":     {"signup_complete", "purchase_complete"}, // progress 1: form_a missing
		"g-nothing":  nil,                                      // progress 0
		"g-purchase": {"purchase_complete"},                    // progress 0
	})
	if p := b.get("/campaigns"); !strings.Contains(p.Doc.Find(`[data-slug="`+slug+`"] [data-testid="stat-claimed"]`).Text(), "4") {
		t.Errorf("claimed count: %q", p.Doc.Find(`[data-slug="`+slug+`"]`).Text())
	}

	// The mode is fixed now; the editor says why.
	p = b.get("/campaigns/" + slug + "/edit")
	wantStatus(t, p, http.StatusOK)
	if _, off := p.Doc.Find(`input[name="mode"][value="invitation"]`).Attr("disabled"); !off || p.find("mode-locked").Length() != 1 {
		t.Error("the mode of a published campaign is not locked")
	}

	// Version 2: form_a goes, purchase comes first, the 3rd row changes, a
	// 4th row and a guest reward appear, invitations last 7 days. The form
	// sends invitation as the mode: it is ignored.
	v2 := threeStepCampaign(slug)
	v2.mode = models.ModeInvitation
	v2.steps = []string{"purchase_complete", "signup_complete"}
	v2.rows[2] = milestoneRow{"3", "$15 store credit", "credit", "", "15", "USD"}
	v2.rows = append(v2.rows, milestoneRow{"4", "Raffle ticket", "ticket", "1", "", ""})
	v2.guest = &milestoneRow{description: "$5 off", kind: "coupon", amount: "5", currency: "USD"}
	v2.ttl = "7"
	wantRedirect(t, b.post("/campaigns/"+slug+"/edit", v2.form()), "/campaigns/"+slug)
	var mode string
	env.Owner.Raw(`SELECT mode FROM campaigns WHERE tenant_id = ? AND slug = ?`, owner.tenantID, slug).Scan(&mode)
	if mode != models.ModeReferrerCode {
		t.Fatalf("the mode changed to %s", mode)
	}

	p = b.get("/campaigns/" + slug + "/publish")
	wantStatus(t, p, http.StatusOK)
	changes := strings.Join(p.texts("diff-change"), "\n")
	for _, want := range []string{
		"Step 2, form_a_complete, is removed.",
		"purchase_complete moves from step 3 to step 1.",
		"The 3rd referral: $10 store credit · Credit · $10.00 → $15 store credit · Credit · $15.00",
		"New row: the 4th referral earns Raffle ticket · Raffle ticket.",
		"Guests now earn $5 off · Coupon · $5.00.",
		"New invitation links work for 7 days instead of 14 days.",
	} {
		if !strings.Contains(changes, want) {
			t.Errorf("the diff lacks %q; it says:\n%s", want, changes)
		}
	}
	if got := p.Doc.Find(`[data-testid="diff-before"] [data-mark="removed"]`).Text(); !strings.Contains(got, "form_a_complete") {
		t.Errorf("side by side, removed: %q", got)
	}
	if p.find("inflight-keep").Length() != 1 || p.find("inflight-migrate").Length() != 1 || p.find("migration-preview").Length() != 0 {
		t.Fatal("the in-flight choice is missing, or the preview is computed before it is asked for")
	}
	if p.find("publish-progress").Length() != 1 {
		t.Error("no progress indicator for a long publication")
	}

	// Choosing migrate asks for the preview (htmx), without changing anything.
	p = b.get("/campaigns/"+slug+"/publish/preview", "HX-Request", "true")
	wantStatus(t, p, http.StatusOK)
	if !strings.Contains(p.Header.Get("Vary"), "HX-Request") || p.find("sidebar").Length() != 0 {
		t.Error("the preview fragment")
	}
	want := map[string]string{"preview-in-flight": "4", "preview-complete": "1", "preview-advance": "1", "preview-fall-back": "1", "preview-unchanged": "1"}
	for id, n := range want {
		if p.text(id) != n {
			t.Errorf("%s = %q, want %s", id, p.text(id), n)
		}
	}
	// Without JavaScript: the publish page with migrate chosen and the preview.
	p = b.get("/campaigns/" + slug + "/publish/preview")
	if _, on := p.Doc.Find(`[data-testid="inflight-migrate"]`).Attr("checked"); !on || p.text("preview-complete") != "1" {
		t.Error("the preview page")
	}

	// A stale review is not published.
	fp, _ := p.Doc.Find(`input[name="fingerprint"]`).Attr("value")
	v2.rows[0].amount = "11"
	wantRedirect(t, b.post("/campaigns/"+slug+"/edit", v2.form()), "/campaigns/"+slug)
	wantRedirect(t, b.post("/campaigns/"+slug+"/publish", url.Values{"inflight": {"migrate"}, "fingerprint": {fp}}), "/campaigns/"+slug+"/publish")
	if _, version := campaignRow(t, owner.tenantID, slug); *version != 1 {
		t.Fatal("a draft changed since its review was published")
	}
	if p := b.get("/campaigns/" + slug + "/publish"); !strings.Contains(p.text("flash-message"), "changed while you were reviewing") {
		t.Errorf("stale review flash %q", p.text("flash-message"))
	}

	// Publish with migrate, through htmx: HX-Redirect to the campaign.
	p = b.get("/campaigns/" + slug + "/publish")
	fp, _ = p.Doc.Find(`input[name="fingerprint"]`).Attr("value")
	p = b.post("/campaigns/"+slug+"/publish", url.Values{"inflight": {"migrate"}, "fingerprint": {fp}}, "HX-Request", "true")
	if p.Status != http.StatusNoContent || p.Header.Get("HX-Redirect") != "/campaigns/"+slug {
		t.Fatalf("htmx publish: %d %q", p.Status, p.Header.Get("HX-Redirect"))
	}
	p = b.get("/campaigns/" + slug)
	if msg := p.text("flash-message"); !strings.Contains(msg, "Version 2 is live") ||
		!strings.Contains(msg, "4 in-flight invitations are moving to it") ||
		!strings.Contains(msg, "1 will complete, 1 advance, 1 fall back, 1 stay unchanged") {
		t.Errorf("flash %q", msg)
	}
	// The publish moved nothing itself: the migration's job does, a batch a
	// transaction (here run by the test), and the page follows it.
	if got := p.text("migration-progress"); !strings.Contains(got, "Moving the 4 in-flight invitations to version 2: 0 moved so far") {
		t.Errorf("migration progress %q", got)
	}
	env.InTenant(t, owner.tenantID, func(ctx context.Context) error {
		c, err := models.GetCampaign(ctx, slug)
		if err != nil {
			return err
		}
		for finished := false; !finished; {
			if _, finished, err = models.MigrateBatch(ctx, c.ID, 2, 3); err != nil {
				return err
			}
		}
		return nil
	})
	p = b.get("/campaigns/" + slug)
	if got := p.text("migration-progress"); !strings.Contains(got, "4 in-flight invitations moved to version 2, finished") {
		t.Errorf("migration finished %q", got)
	}
	var versions []int
	env.Owner.Raw(`SELECT i.version FROM invitations i JOIN campaigns c ON c.tenant_id = i.tenant_id AND c.id = i.campaign_id
		WHERE c.tenant_id = ? AND c.slug = ?`, owner.tenantID, slug).Scan(&versions)
	if len(versions) != 4 || slices.ContainsFunc(versions, func(n int) bool { return n != 2 }) {
		t.Errorf("invitation versions %v", versions)
	}
	if p.text("stat-completed") != "1" || p.text("stat-rewards") == "0" {
		t.Errorf("after migrating: completed %q rewards %q", p.text("stat-completed"), p.text("stat-rewards"))
	}

	// The history keeps both versions as they were.
	if p.find("version-row").Length() != 2 {
		t.Fatalf("%d versions in the history", p.find("version-row").Length())
	}
	p = b.get("/campaigns/" + slug + "/versions/1")
	wantStatus(t, p, http.StatusOK)
	if got := p.items("version-rules-steps"); !slices.Equal(got, v.steps) {
		t.Errorf("version 1 steps %q", got)
	}
	if p.text("version-rules-ttl") != "14 days" || p.text("version-rules-guest") != "None" || p.find("next-version").Length() != 1 {
		t.Errorf("version 1: ttl %q guest %q", p.text("version-rules-ttl"), p.text("version-rules-guest"))
	}
	p = b.get("/campaigns/" + slug + "/versions/2")
	if got := p.items("version-rules-steps"); !slices.Equal(got, []string{"purchase_complete", "signup_complete"}) ||
		!strings.Contains(p.text("version-rules-milestones"), "$11.00") || !strings.Contains(p.text("version-published"), "in force") {
		t.Errorf("version 2: %v %q", got, p.text("version-rules-milestones"))
	}
	for _, path := range []string{"/versions/3", "/versions/0", "/versions/two"} {
		wantStatus(t, b.get("/campaigns/"+slug+path), http.StatusNotFound)
	}

	// Nothing left to publish.
	wantRedirect(t, b.get("/campaigns/"+slug+"/publish"), "/campaigns/"+slug)
	if p := b.get("/campaigns/" + slug); !strings.Contains(p.text("flash-message"), "no draft") {
		t.Errorf("flash %q", p.text("flash-message"))
	}

	// Both publications are audited as the owner.
	var n int
	env.Owner.Raw(`SELECT count(*) FROM audit_log WHERE tenant_id = ? AND action = 'campaign.published' AND actor = ?`,
		owner.tenantID, "member:"+owner.memberID).Scan(&n)
	if n != 2 {
		t.Errorf("%d publications audited", n)
	}
}

// inFlight makes one host refer a guest per key of guests in a
// referrer-code campaign, each guest having done the events listed.
func inFlight(t *testing.T, tenantID uuid.UUID, slug string, guests map[string][]string) {
	t.Helper()
	inTenant(t, tenantID, func(ctx context.Context) error {
		code, err := models.ReferrerCode(ctx, slug, "host-"+slug)
		if err != nil {
			return err
		}
		for guest, events := range guests {
			guest += "-" + slug
			if _, err := models.Claim(ctx, code, guest); err != nil {
				return fmt.Errorf("claim %s: %w", guest, err)
			}
			for _, e := range events {
				if _, _, err := models.IngestEvent(ctx, models.EventInput{Participant: guest, Name: e, IdempotencyKey: guest + e}); err != nil {
					return fmt.Errorf("event %s of %s: %w", e, guest, err)
				}
			}
		}
		return nil
	})
}

func TestCampaignStatusActions(t *testing.T) {
	b, owner := builderOwner(t)
	slug := uniqueSlug("status")
	createCampaign(t, b, threeStepCampaign(slug))

	// A draft campaign has no status buttons, and refuses a pause.
	p := b.get("/campaigns/" + slug)
	if p.find("campaign-pause").Length() != 0 || p.find("campaign-end").Length() != 0 {
		t.Error("a draft offers status changes")
	}
	wantRedirect(t, b.post("/campaigns/"+slug+"/pause", nil), "/campaigns/"+slug)
	if p := b.get("/campaigns/" + slug); !strings.Contains(p.text("flash-message"), "does not allow") {
		t.Errorf("pausing a draft: %q", p.text("flash-message"))
	}

	publishDraft(t, b, slug, "")
	for _, step := range []struct {
		action, status, label string
		buttons               []string
	}{
		{"pause", "paused", "Paused", []string{"campaign-resume", "campaign-end"}},
		{"resume", "active", "Active", []string{"campaign-pause", "campaign-end"}},
		{"end", "ended", "Ended", nil},
	} {
		wantRedirect(t, b.post("/campaigns/"+slug+"/"+step.action, nil), "/campaigns/"+slug)
		p := b.get("/campaigns/" + slug)
		if status, _ := campaignRow(t, owner.tenantID, slug); status != step.status || p.text("campaign-status") != step.label {
			t.Fatalf("after %s: %s, page says %q", step.action, status, p.text("campaign-status"))
		}
		if p.text("flash-message") == "" {
			t.Errorf("%s: no flash", step.action)
		}
		var shown []string
		p.find("status-actions").Find("button").Each(func(_ int, s *goquery.Selection) {
			id, _ := s.Attr("data-testid")
			shown = append(shown, id)
		})
		if !slices.Equal(shown, step.buttons) {
			t.Errorf("after %s, buttons %v, want %v", step.action, shown, step.buttons)
		}
		if step.action == "pause" {
			if confirm, _ := p.find("campaign-end").Closest("form").Attr("data-confirm"); !strings.Contains(confirm, "cannot be resumed") {
				t.Errorf("ending does not ask first: %q", confirm)
			}
		}
	}
	// An ended campaign cannot come back, edit its rules, or publish.
	wantRedirect(t, b.post("/campaigns/"+slug+"/resume", nil), "/campaigns/"+slug)
	if status, _ := campaignRow(t, owner.tenantID, slug); status != "ended" {
		t.Fatal("an ended campaign resumed")
	}
	p = b.get("/campaigns/" + slug)
	if !strings.Contains(p.text("flash-message"), "does not allow") || p.find("edit-draft").Length() != 0 {
		t.Errorf("resuming an ended campaign: %q", p.text("flash-message"))
	}
	var audited []string
	env.Owner.Raw(`SELECT action FROM audit_log WHERE tenant_id = ? AND action IN ('campaign.pause', 'campaign.resume', 'campaign.end') ORDER BY id`,
		owner.tenantID).Scan(&audited)
	if !slices.Equal(audited, []string{"campaign.pause", "campaign.resume", "campaign.end"}) {
		t.Errorf("audited %v", audited)
	}
}

func TestDiffSteps(t *testing.T) {
	marks := func(steps []views.DiffStep) string {
		var out []string
		for _, s := range steps {
			out = append(out, s.Event+":"+s.Mark)
		}
		return strings.Join(out, " ")
	}
	for _, tc := range []struct {
		before, after []string
		wantB, wantA  string
	}{
		// Inserting a step in front shifts the others without moving them.
		{[]string{"a", "b"}, []string{"x", "a", "b"}, "a: b:", "x:added a: b:"},
		{[]string{"a", "b", "c"}, []string{"a", "c"}, "a: b:removed c:", "a: c:"},
		// A step brought forward is the one that moved.
		{[]string{"a", "b", "c"}, []string{"c", "a", "b"}, "a: b: c:moved", "c:moved a: b:"},
		{[]string{"a", "b"}, []string{"a", "b"}, "a: b:", "a: b:"},
	} {
		b, a, _ := diffSteps(tc.before, tc.after)
		if marks(b) != tc.wantB || marks(a) != tc.wantA {
			t.Errorf("%v → %v: before %q after %q", tc.before, tc.after, marks(b), marks(a))
		}
	}
}
