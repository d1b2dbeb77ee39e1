package console

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/tandemhq/tandem/models"
)

// The overview is where members land: every campaign with its numbers,
// each row leading to that campaign's dashboard.
func TestConsoleOverview(t *testing.T) {
	app := newConsoleApp(t)
	b := newBrowser(t, app)
	owner := signUp(t, b)
	slug := uniqueDashSlug("spring")
	dashScript(t, owner.tenantID, slug)
	dashIn(t, owner.tenantID, func(ctx context.Context) error {
		_, _, err := models.SaveCampaignDraft(ctx, "later", models.CampaignInput{Name: "Later", Mode: models.ModeReferrerCode,
			Rules: models.Rules{Steps: []string{"signup_complete"}}})
		return err
	})

	p := b.get("/")
	wantStatus(t, p, http.StatusOK)
	var order []string
	p.find("overview-row").Each(func(_ int, s *goquery.Selection) { order = append(order, s.AttrOr("data-slug", "")) })
	if !slices.Equal(order, []string{slug, "later"}) {
		t.Fatalf("the overview lists %v, want the active campaign, then the draft", order)
	}
	row := p.find("overview-row").First()
	cell := func(id string) string { return strings.TrimSpace(row.Find(`[data-testid="` + id + `"]`).Text()) }
	// dashScript's story: 6 claimed, 4 completed; $40 and €15 issued, and
	// one reward of two raffle tickets; all of it today.
	if cell("overview-status") != "Active" || cell("overview-claims") != "6" || cell("overview-completions") != "4" ||
		cell("overview-rewards") != "€15.00 + $40.00 + 2 × raffle ticket" || cell("overview-last-activity") == "—" {
		t.Errorf("the campaign's row reads %q", strings.Join(strings.Fields(row.Text()), " "))
	}
	draft := p.find("overview-row").Last()
	if got := strings.Join(draft.Find("td").Slice(2, 6).Map(func(_ int, s *goquery.Selection) string {
		return strings.TrimSpace(s.Text())
	}), " "); got != "0 0 — —" {
		t.Errorf("the draft's numbers read %q, want nothing yet", got)
	}
	if got := p.text("overview-count"); got != "2 campaigns, live ones first." {
		t.Errorf("count %q", got)
	}

	link := row.Find(`[data-testid="overview-dashboard-link"]`).AttrOr("href", "")
	d := b.get(link)
	wantStatus(t, d, http.StatusOK)
	if got := d.find("dashboard-campaign").AttrOr("data-slug", ""); got != slug {
		t.Errorf("the row's link %q opens the dashboard of %q", link, got)
	}

	t.Run("another tenant sees none of it", func(t *testing.T) {
		other := newBrowser(t, app)
		signUp(t, other)
		p := other.get("/")
		wantStatus(t, p, http.StatusOK)
		if p.find("overview-row").Length() != 0 || strings.Contains(p.Body, slug) || strings.Contains(p.Body, "$40.00") {
			t.Error("B's overview shows A's campaigns")
		}
	})

	t.Run("every role lands on it", func(t *testing.T) {
		for _, role := range []string{models.RoleViewer, models.RoleMarketer} {
			m := newBrowser(t, app)
			logIn(t, m, addMember(t, owner.tenantID, role))
			if p := m.get("/"); p.Status != http.StatusOK || p.find("overview-row").Length() != 2 {
				t.Errorf("a %s gets %d with %d rows", role, p.Status, p.find("overview-row").Length())
			}
		}
	})
}

// A campaign page leads to the campaign's dashboard and to the lists of its
// invitations and rewards, each filtered to it.
func TestConsoleCampaignPageLinks(t *testing.T) {
	app := newConsoleApp(t)
	b := newBrowser(t, app)
	owner := signUp(t, b)
	slug := uniqueDashSlug("links")
	dashScript(t, owner.tenantID, slug)

	p := b.get("/campaigns/" + slug)
	wantStatus(t, p, http.StatusOK)
	for id, want := range map[string]string{
		"campaign-dashboard-link":   "/dashboard?campaign=" + slug,
		"campaign-invitations-link": "/invitations?campaign=" + slug,
		"campaign-rewards-link":     "/rewards?campaign=" + slug,
	} {
		href := p.find(id).AttrOr("href", "")
		if href != want {
			t.Errorf("%s goes to %q, want %q", id, href, want)
			continue
		}
		target := b.get(href)
		wantStatus(t, target, http.StatusOK)
		if id == "campaign-dashboard-link" {
			if got := target.find("dashboard-campaign").AttrOr("data-slug", ""); got != slug {
				t.Errorf("the dashboard link opens %q", got)
			}
			continue
		}
		if got := target.Doc.Find(`select[name="campaign"] option[selected]`).AttrOr("value", ""); got != slug {
			t.Errorf("%s: the list is filtered to %q, want %q", href, got, slug)
		}
	}
}
