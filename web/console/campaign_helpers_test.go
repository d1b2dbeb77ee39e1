package console

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/uuid"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

// Campaign builder test helpers: a tenant's owner with events defined, the
// editor's form as a browser sends it, and models called directly for
// what the console does not do (participants, claims, events).

// uniqueSlug is prefix with a number no other test campaign has, so that
// an isolation test never passes by accident.
func uniqueSlug(prefix string) string { return fmt.Sprintf("%s-%d", prefix, accountCounter.Add(1)) }

// inTenant runs fn in tenantID's transaction, failing the test on error.
func inTenant(t testing.TB, tenantID uuid.UUID, fn func(ctx context.Context) error) {
	t.Helper()
	if err := tenants.WithTenant(context.Background(), env.App, tenantID, fn); err != nil {
		t.Fatal(err)
	}
}

// defineTestEvents adds event definitions to a tenant's catalog.
func defineTestEvents(t testing.TB, tenantID uuid.UUID, names ...string) {
	t.Helper()
	inTenant(t, tenantID, func(ctx context.Context) error {
		for _, n := range names {
			if _, _, err := models.DefineEvent(ctx, n, ""); err != nil {
				return err
			}
		}
		return nil
	})
}

// milestoneRow is one row of the milestone table as typed.
type milestoneRow struct{ count, description, kind, quantity, amount, currency string }

// campaignValues is the editor's form as a browser posts it.
type campaignValues struct {
	name, slug, mode, signupURL, ttl, ttlUnit string
	steps                                     []string
	rows                                      []milestoneRow
	repeatLast                                bool
	guest                                     *milestoneRow // count unused
}

func (v campaignValues) form() url.Values {
	f := url.Values{"name": {v.name}, "slug": {v.slug}, "mode": {v.mode}, "signup_url": {v.signupURL},
		"ttl": {v.ttl}, "ttl_unit": {v.ttlUnit}, "starts_at": {""}, "ends_at": {""}}
	for _, s := range v.steps {
		f.Add("step", s)
	}
	for _, r := range v.rows {
		f.Add("ms_count", r.count)
		f.Add("ms_description", r.description)
		f.Add("ms_kind", r.kind)
		f.Add("ms_quantity", r.quantity)
		f.Add("ms_amount", r.amount)
		f.Add("ms_currency", r.currency)
	}
	if v.repeatLast {
		f.Set("repeat_last", "1")
	}
	if g := v.guest; g != nil {
		f.Set("guest_on", "1")
		f.Set("guest_description", g.description)
		f.Set("guest_kind", g.kind)
		f.Set("guest_quantity", g.quantity)
		f.Set("guest_amount", g.amount)
		f.Set("guest_currency", g.currency)
	}
	return f
}

// threeStepCampaign is a referrer-code campaign with a three-step quest
// and a three-row milestone table of $10 each.
func threeStepCampaign(slug string) campaignValues {
	return campaignValues{name: "Friends " + slug, slug: slug, mode: models.ModeReferrerCode,
		signupURL: "https://shop.example/signup", ttl: "14", ttlUnit: "days",
		steps: []string{"signup_complete", "form_a_complete", "purchase_complete"},
		rows: []milestoneRow{
			{"1", "$10 store credit", "credit", "1", "10.00", "USD"},
			{"2", "$10 store credit", "credit", "1", "10", "usd"},
			{"3", "$10 store credit", "credit", "", "10.0", "USD"},
		}}
}

// builderOwner signs up a tenant whose catalog has the three quest events,
// and returns its owner's browser.
func builderOwner(t *testing.T) (*browser, account) {
	t.Helper()
	app := newConsoleApp(t)
	b := newBrowser(t, app)
	owner := signUp(t, b)
	defineTestEvents(t, owner.tenantID, "signup_complete", "form_a_complete", "purchase_complete")
	return b, owner
}

// createCampaign saves a new campaign's draft through the editor.
func createCampaign(t *testing.T, b *browser, v campaignValues) {
	t.Helper()
	wantStatus(t, b.get("/campaigns/new"), http.StatusOK)
	wantRedirect(t, b.post("/campaigns/new", v.form()), "/campaigns/"+v.slug)
}

// publishDraft publishes a campaign's draft from its publish page.
func publishDraft(t *testing.T, b *browser, slug, inflight string) *page {
	t.Helper()
	p := b.get("/campaigns/" + slug + "/publish")
	wantStatus(t, p, http.StatusOK)
	fp, _ := p.Doc.Find(`input[name="fingerprint"]`).Attr("value")
	wantRedirect(t, b.post("/campaigns/"+slug+"/publish", url.Values{"inflight": {inflight}, "fingerprint": {fp}}), "/campaigns/"+slug)
	return b.get("/campaigns/" + slug)
}

// texts is the trimmed text of each element with data-testid id.
func (p *page) texts(id string) []string {
	var out []string
	p.find(id).Each(func(_ int, s *goquery.Selection) { out = append(out, strings.Join(strings.Fields(s.Text()), " ")) })
	return out
}

// items is the trimmed text of each list item inside data-testid id.
func (p *page) items(id string) []string {
	var out []string
	p.find(id).Find("li").Each(func(_ int, s *goquery.Selection) { out = append(out, strings.TrimSpace(s.Text())) })
	return out
}

// values is the value of each input or selected option matched by sel.
func (p *page) values(sel string) []string {
	var out []string
	p.Doc.Find(sel).Each(func(_ int, s *goquery.Selection) {
		if s.Is("select") {
			v, _ := s.Find("option[selected]").Attr("value")
			out = append(out, v)
			return
		}
		v, _ := s.Attr("value")
		out = append(out, v)
	})
	return out
}

// errorText is the message shown for field, from its data-testid.
func (p *page) errorText(field string) string {
	return strings.TrimSpace(p.Doc.Find(`[data-testid="error-` + field + `"]`).Text())
}

// campaignRow is a campaign's row in the database, read as the owner.
func campaignRow(t testing.TB, tenantID uuid.UUID, slug string) (status string, version *int) {
	t.Helper()
	var row struct {
		Status         string
		CurrentVersion *int
	}
	env.Owner.Raw(`SELECT status, current_version FROM campaigns WHERE tenant_id = ? AND slug = ?`, tenantID, slug).Scan(&row)
	return row.Status, row.CurrentVersion
}
