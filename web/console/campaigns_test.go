package console

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/tandemhq/tandem/models"
)

func TestCampaignListEmptyState(t *testing.T) {
	b, owner := builderOwner(t)
	p := b.get("/campaigns")
	wantStatus(t, p, http.StatusOK)
	if p.find("nav-campaigns").Length() != 1 {
		t.Error("the sidebar has no Campaigns entry")
	}
	if p.find("empty-state").Length() != 1 || !strings.Contains(p.text("empty-state"), "Create your first campaign") {
		t.Fatalf("empty state %q", p.text("empty-state"))
	}
	if href, _ := p.find("new-campaign").Attr("href"); href != "/campaigns/new" {
		t.Errorf("new campaign link %q", href)
	}

	// A viewer is told who can create one, and gets no button.
	viewer := addMember(t, owner.tenantID, models.RoleViewer)
	vb := newBrowser(t, b.app)
	logIn(t, vb, viewer)
	p = vb.get("/campaigns")
	wantStatus(t, p, http.StatusOK)
	if p.find("new-campaign").Length() != 0 || !strings.Contains(p.text("empty-state"), "owner or admin") {
		t.Errorf("viewer's empty state: %q", p.text("empty-state"))
	}
}

// TestCampaignBuild builds a referrer-code campaign with a three-step
// quest and a three-row milestone table through the editor, as a browser
// with htmx would: define an event inline, add steps, add rows, save.
func TestCampaignBuild(t *testing.T) {
	b, owner := builderOwner(t)
	p := b.get("/campaigns/new")
	wantStatus(t, p, http.StatusOK)
	if p.find("step").Length() != 1 || p.find("milestone").Length() != 0 || p.find("no-guest-reward").Length() != 1 {
		t.Fatalf("a new campaign's editor: %d steps, %d rows", p.find("step").Length(), p.find("milestone").Length())
	}
	hx := []string{"HX-Request", "true"}

	// Define an event inline: it fills the empty first step, and every
	// select offers it.
	v := campaignValues{name: "Bring a friend", mode: models.ModeReferrerCode, steps: []string{""}}
	form := v.form()
	form.Set("new_event_name", "newsletter_joined")
	form.Set("new_event_description", "Subscribed to the newsletter")
	p = b.post("/campaigns/new/events", form, hx...)
	wantStatus(t, p, http.StatusOK)
	if p.find("sidebar").Length() != 0 || p.find("quest-editor").Length() != 1 {
		t.Fatal("htmx did not get the quest editor alone")
	}
	if got := p.values(`select[name="step"]`); !slices.Equal(got, []string{"newsletter_joined"}) {
		t.Errorf("steps after defining: %v", got)
	}
	if p.find("event-defined").Length() != 1 || p.Doc.Find(`option[value="newsletter_joined"]`).Length() != 1 {
		t.Error("no confirmation, or the select does not offer the new event")
	}
	var audited int
	env.Owner.Raw(`SELECT count(*) FROM audit_log WHERE tenant_id = ? AND action = 'event_definition.created' AND subject = 'newsletter_joined' AND actor = ?`,
		owner.tenantID, "member:"+owner.memberID).Scan(&audited)
	if audited != 1 {
		t.Error("defining an event is not audited as the member")
	}

	// An invalid event name is shown next to its input, as typed.
	form.Set("new_event_name", "Bad Name")
	p = b.post("/campaigns/new/events", form, hx...)
	wantStatus(t, p, http.StatusUnprocessableEntity)
	if p.errorText("new_event.name") == "" || p.values(`input[name="new_event_name"]`)[0] != "Bad Name" {
		t.Errorf("bad event name: error %q", p.errorText("new_event.name"))
	}

	// Add a step, then a first row and a copy of it.
	v.steps = []string{"signup_complete"}
	p = b.post("/campaigns/new/editor", withOp(v.form(), "step-add"), hx...)
	wantStatus(t, p, http.StatusOK)
	if got := p.values(`select[name="step"]`); !slices.Equal(got, []string{"signup_complete", ""}) {
		t.Errorf("after adding a step: %v", got)
	}
	p = b.post("/campaigns/new/editor", withOp(v.form(), "ms-add"), hx...)
	wantStatus(t, p, http.StatusOK)
	if p.find("milestone-editor").Length() != 1 || p.find("milestone").Length() != 1 || p.values(`input[name="ms_count"]`)[0] != "1" {
		t.Fatalf("first row: %v", p.values(`input[name="ms_count"]`))
	}
	v.rows = []milestoneRow{{"1", "$10 store credit", "credit", "1", "10.00", "USD"}}
	p = b.post("/campaigns/new/editor", withOp(v.form(), "ms-add"), hx...)
	if got := p.values(`input[name="ms_count"]`); !slices.Equal(got, []string{"1", "2"}) ||
		p.values(`input[name="ms_amount"]`)[1] != "10.00" || p.values(`input[name="ms_currency"]`)[1] != "USD" {
		t.Errorf("the added row does not follow the one above: counts %v amounts %v", got, p.values(`input[name="ms_amount"]`))
	}

	// Save the whole campaign: referrer code, three steps, three rows.
	slug := uniqueSlug("friends")
	v = threeStepCampaign(slug)
	createCampaign(t, b, v)
	status, version := campaignRow(t, owner.tenantID, slug)
	if status != "draft" || version != nil {
		t.Fatalf("saved campaign: %s %v", status, version)
	}
	var amounts []int64
	env.Owner.Raw(`SELECT reward_amount FROM campaign_version_milestones m JOIN campaigns c ON c.tenant_id = m.tenant_id AND c.id = m.campaign_id
		WHERE c.tenant_id = ? AND c.slug = ? ORDER BY nth`, owner.tenantID, slug).Scan(&amounts)
	if !slices.Equal(amounts, []int64{1000, 1000, 1000}) {
		t.Errorf("amounts stored %v, want minor units", amounts)
	}

	p = b.get("/campaigns/" + slug)
	wantStatus(t, p, http.StatusOK)
	if !strings.Contains(p.text("flash-message"), "Draft saved") || p.text("campaign-status") != "Draft" {
		t.Errorf("campaign page: flash %q status %q", p.text("flash-message"), p.text("campaign-status"))
	}
	if got := p.items("draft-rules-steps"); !slices.Equal(got, v.steps) {
		t.Errorf("draft steps %v", got)
	}
	if p.find("draft-rules-milestone").Length() != 3 || !strings.Contains(p.text("draft-rules-milestones"), "$30.00") {
		t.Errorf("draft milestones: %q", p.text("draft-rules-milestones"))
	}
	if p.find("publish-link").Length() != 1 {
		t.Error("no publish link for the owner")
	}

	list := b.get("/campaigns")
	row := list.Doc.Find(`[data-testid="campaign-row"][data-slug="` + slug + `"]`)
	if row.Length() != 1 || strings.TrimSpace(row.Find(`[data-testid="campaign-mode"]`).Text()) != "Referrer code" ||
		strings.TrimSpace(row.Find(`[data-testid="campaign-status"]`).Text()) != "Draft" ||
		strings.TrimSpace(row.Find(`[data-testid="campaign-version"]`).Text()) != "Not published" {
		t.Errorf("list row: %q", row.Text())
	}

	// The same slug cannot be created twice.
	p = b.post("/campaigns/new", v.form())
	wantStatus(t, p, http.StatusUnprocessableEntity)
	if !strings.Contains(p.errorText("slug"), "already exists") {
		t.Errorf("duplicate slug: %q", p.errorText("slug"))
	}
}

func withOp(f url.Values, op string) url.Values {
	f.Set("op", op)
	return f
}

// TestCampaignEditorValidation: errors come back next to their input,
// with everything typed kept, and nothing is saved.
func TestCampaignEditorValidation(t *testing.T) {
	b, owner := builderOwner(t)
	b.get("/campaigns/new")
	slug := uniqueSlug("invalid")
	v := threeStepCampaign(slug)
	v.rows[1].currency = "" // an amount without its currency

	p := b.post("/campaigns/new", v.form(), "HX-Request", "true")
	wantStatus(t, p, http.StatusUnprocessableEntity)
	if p.find("sidebar").Length() != 0 || p.find("campaign-form").Length() != 1 {
		t.Fatal("htmx did not get the form alone")
	}
	row := p.find("milestone").Eq(1)
	if msg := strings.TrimSpace(row.Find(`[data-testid="error-host_milestones[1].reward.currency"]`).Text()); !strings.Contains(msg, "needs a currency") {
		t.Errorf("currency error in the row: %q", msg)
	}
	if _, focus := row.Find(`input[name="ms_currency"]`).Attr("autofocus"); !focus {
		t.Error("the field in error does not take the focus")
	}
	if got := p.values(`input[name="ms_amount"]`); !slices.Equal(got, []string{"10.00", "10", "10.0"}) {
		t.Errorf("amounts as typed: %v", got)
	}
	if got := p.values(`select[name="step"]`); !slices.Equal(got, v.steps) {
		t.Errorf("steps kept: %v", got)
	}
	if got := p.values(`input[name="name"]`); got[0] != v.name || p.values(`input[name="slug"]`)[0] != slug {
		t.Errorf("name and slug kept: %v", got)
	}
	if status, _ := campaignRow(t, owner.tenantID, slug); status != "" {
		t.Fatal("an invalid campaign was saved")
	}

	// Without htmx, the whole page, still 422.
	p = b.post("/campaigns/new", v.form())
	wantStatus(t, p, http.StatusUnprocessableEntity)
	if p.find("sidebar").Length() != 1 || p.errorText("host_milestones[1].reward.currency") == "" {
		t.Error("a plain post did not get the page with the error")
	}

	for _, tc := range []struct {
		name  string
		edit  func(v *campaignValues)
		field string
		want  string
	}{
		{"amount with a comma", func(v *campaignValues) { v.rows[0].amount = "10,50" }, "host_milestones[0].reward.amount", "Use a dot"},
		{"yen with decimals", func(v *campaignValues) { v.rows[2].currency, v.rows[2].amount = "JPY", "10.5" }, "host_milestones[2].reward.amount", "no decimals"},
		{"a step without an event", func(v *campaignValues) { v.steps[1] = "" }, "quest.steps[1]", "Choose an event"},
		{"a step twice", func(v *campaignValues) { v.steps[2] = v.steps[0] }, "quest.steps[2]", "already a step"},
		{"counts not increasing", func(v *campaignValues) { v.rows[2].count = "2" }, "host_milestones[2].count", "greater than 2"},
		{"no name", func(v *campaignValues) { v.name = "" }, "name", "name"},
		{"bad sign-up URL", func(v *campaignValues) { v.signupURL = "shop.example" }, "signup_url", "https://"},
		{"reserved slug", func(v *campaignValues) { v.slug = "new" }, "slug", "reserved"},
		{"no mode", func(v *campaignValues) { v.mode = "" }, "mode", "Mode"},
		{"bad TTL", func(v *campaignValues) { v.ttl = "0" }, "invitation_ttl_hours", "whole number"},
		{"guest reward without kind", func(v *campaignValues) {
			v.guest = &milestoneRow{description: "$5 off", kind: "", amount: "5"}
		}, "guest_reward.kind", "Choose a kind"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := threeStepCampaign(uniqueSlug("invalid"))
			v.steps = slices.Clone(v.steps)
			v.rows = slices.Clone(v.rows)
			tc.edit(&v)
			p := b.post("/campaigns/new", v.form(), "HX-Request", "true")
			wantStatus(t, p, http.StatusUnprocessableEntity)
			if got := p.errorText(tc.field); !strings.Contains(strings.ToLower(got), strings.ToLower(tc.want)) {
				t.Errorf("error of %s: %q, want it to mention %q; errors shown: %v", tc.field, got, tc.want, p.texts("error-form"))
			}
		})
	}
}

func TestCampaignEditorSteps(t *testing.T) {
	b, _ := builderOwner(t)
	b.get("/campaigns/new")
	v := threeStepCampaign("ignored")
	steps := func(op string) []string {
		t.Helper()
		p := b.post("/campaigns/new/editor", withOp(v.form(), op), "HX-Request", "true")
		wantStatus(t, p, http.StatusOK)
		if !strings.Contains(p.Header.Get("Vary"), "HX-Request") {
			t.Errorf("Vary %q", p.Header.Get("Vary"))
		}
		return p.values(`select[name="step"]`)
	}
	for _, tc := range []struct {
		op   string
		want []string
	}{
		{"step-up:2", []string{"signup_complete", "purchase_complete", "form_a_complete"}},
		{"step-down:0", []string{"form_a_complete", "signup_complete", "purchase_complete"}},
		{"step-up:0", v.steps}, // the first step cannot go higher
		{"step-down:2", v.steps},
		{"step-remove:1", []string{"signup_complete", "purchase_complete"}},
		{"step-remove:9", v.steps},
	} {
		if got := steps(tc.op); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.op, got, tc.want)
		}
	}

	// The first step's "up" and the last one's "down" are disabled.
	b.get("/campaigns/new")
	p := b.post("/campaigns/new/editor", withOp(v.form(), "step-up:1"), "HX-Request", "true")
	if _, off := p.find("step-up").First().Attr("disabled"); !off {
		t.Error("the first step can be moved up")
	}
	if _, off := p.find("step-down").Last().Attr("disabled"); !off {
		t.Error("the last step can be moved down")
	}

	// Without JavaScript, the button posts the form and gets the page back.
	p = b.post("/campaigns/new/editor", withOp(v.form(), "step-up:2"))
	wantStatus(t, p, http.StatusOK)
	if p.find("sidebar").Length() != 1 || !slices.Equal(p.values(`select[name="step"]`)[1:], []string{"purchase_complete", "form_a_complete"}) {
		t.Error("plain post: not the page with the steps moved")
	}
	wantStatus(t, b.post("/campaigns/new/editor", withOp(v.form(), "explode")), http.StatusBadRequest)
}

func TestCampaignEditorRunningTotal(t *testing.T) {
	b, _ := builderOwner(t)
	b.get("/campaigns/new")
	total := func(v campaignValues) (lines []string, repeat string) {
		t.Helper()
		p := b.post("/campaigns/new/editor?op=total", v.form(), "HX-Request", "true")
		wantStatus(t, p, http.StatusOK)
		if p.find("milestone-total").Length() != 1 || p.find("milestone-editor").Length() != 0 {
			t.Fatal("not the total alone")
		}
		return p.texts("milestone-total-line"), p.text("milestone-total-repeat")
	}
	v := threeStepCampaign("ignored")
	if lines, _ := total(v); !slices.Equal(lines, []string{"1 referral = $10.00", "2 referrals = $20.00", "3 referrals = $30.00"}) {
		t.Errorf("USD total: %v", lines)
	}
	// Different currencies are never added; rewards without an amount add
	// up by kind; a row still being typed is left out.
	v.rows = []milestoneRow{
		{"1", "$10", "credit", "", "10", "USD"},
		{"2", "€5", "coupon", "", "5", "EUR"},
		{"3", "¥1000", "cash", "", "1000", "JPY"},
		{"5", "Tickets", "ticket", "2", "", ""},
		{"", "half typed", "credit", "", "7", "USD"},
	}
	v.repeatLast = true
	lines, repeat := total(v)
	want := []string{"1 referral = $10.00", "2 referrals = $10.00 + €5.00", "3 referrals = $10.00 + €5.00 + ¥1,000",
		"5 referrals = $10.00 + €5.00 + ¥1,000 + 2 tickets"}
	if !slices.Equal(lines, want) || repeat != "then 2 tickets for each further referral" {
		t.Errorf("mixed total: %v / %q", lines, repeat)
	}

	// Yen have no minor unit: 1000 is stored as 1000.
	owner := lookupAccountByBrowser(t, b)
	slug := uniqueSlug("yen")
	v = threeStepCampaign(slug)
	v.rows = []milestoneRow{{"1", "¥1000 off", "coupon", "", "1000", "JPY"}, {"2", "0.5 KWD", "cash", "", "0.5", "KWD"}}
	createCampaign(t, b, v)
	var amounts []int64
	env.Owner.Raw(`SELECT reward_amount FROM campaign_version_milestones m JOIN campaigns c ON c.tenant_id = m.tenant_id AND c.id = m.campaign_id
		WHERE c.tenant_id = ? AND c.slug = ? ORDER BY nth`, owner, slug).Scan(&amounts)
	if !slices.Equal(amounts, []int64{1000, 500}) {
		t.Errorf("JPY and KWD stored as %v", amounts)
	}
	// And they come back as typed in the editor.
	p := b.get("/campaigns/" + slug + "/edit")
	if got := p.values(`input[name="ms_amount"]`); !slices.Equal(got, []string{"1000", "0.500"}) {
		t.Errorf("amounts in the editor: %v", got)
	}
}

// lookupAccountByBrowser is the tenant of the member signed in on b.
func lookupAccountByBrowser(t *testing.T, b *browser) uuid.UUID {
	t.Helper()
	email := b.get("/").text("member-email")
	return lookupAccount(t, email).tenantID
}

func TestParseAmount(t *testing.T) {
	for _, tc := range []struct {
		in, currency string
		want         int64
		ok           bool
	}{
		{"10", "USD", 1000, true}, {"10.5", "USD", 1050, true}, {"10.50", "USD", 1050, true}, {".5", "EUR", 50, true},
		{"10.500", "USD", 1050, true}, {"10.505", "USD", 0, false}, {"1000", "JPY", 1000, true}, {"1000.0", "JPY", 1000, true},
		{"10.5", "JPY", 0, false}, {"1.234", "KWD", 1234, true}, {"0", "USD", 0, true}, {"-1", "USD", 0, false},
		{"1,000", "USD", 0, false}, {"$10", "USD", 0, false}, {"abc", "USD", 0, false}, {".", "USD", 0, false},
		{"99999999999999999", "USD", 0, false}, {"10", "", 1000, true},
	} {
		got, msg := parseAmount(tc.in, tc.currency)
		if tc.ok != (msg == "") || (tc.ok && (got == nil || *got != tc.want)) {
			t.Errorf("parseAmount(%q, %q) = %v, %q", tc.in, tc.currency, got, msg)
		}
	}
	if got, msg := parseAmount("", "USD"); got != nil || msg != "" {
		t.Error("an empty amount is no amount")
	}
}

func TestSlugFromName(t *testing.T) {
	for in, want := range map[string]string{
		"Spring referrals 2025": "spring-referrals-2025", "  Bring a Friend!! ": "bring-a-friend", "€€€": "",
		strings.Repeat("a", 70): strings.Repeat("a", 63),
	} {
		if got := slugFromName(in); got != want {
			t.Errorf("slugFromName(%q) = %q, want %q", in, got, want)
		}
	}
	// A name with nothing to make a slug of asks for one.
	b, _ := builderOwner(t)
	b.get("/campaigns/new")
	v := threeStepCampaign("")
	v.name = "€€€"
	p := b.post("/campaigns/new", v.form(), "HX-Request", "true")
	wantStatus(t, p, http.StatusUnprocessableEntity)
	if p.errorText("slug") == "" {
		t.Error("no slug error")
	}
	// An empty slug is made from the name.
	v.name = "Summer " + uniqueSlug("x")
	wantRedirect(t, b.post("/campaigns/new", v.form()), "/campaigns/"+slugFromName(v.name))
}
