package console

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/uuid"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

// dashIn runs fn in a transaction of tenant, as models would: every
// step commits, and the dashboard's counters move at commit.
func dashIn(t testing.TB, tenant uuid.UUID, fn func(ctx context.Context) error) {
	t.Helper()
	if err := tenants.WithTenant(context.Background(), env.App, tenant, fn); err != nil {
		t.Fatal(err)
	}
}

// dashEvents sends events, one transaction each: pairs of guest, event.
func dashEvents(t testing.TB, tenant uuid.UUID, pairs ...string) {
	t.Helper()
	for i := 0; i+1 < len(pairs); i += 2 {
		dashIn(t, tenant, func(ctx context.Context) error {
			_, _, err := models.IngestEvent(ctx, models.EventInput{Participant: pairs[i], Name: pairs[i+1]})
			return err
		})
	}
}

// dashScript builds campaign slug in tenant: a three-step quest whose host
// milestones pay $10, then €15, then two raffle tickets (repeated), and a
// $5 guest reward. alice invites four guests, bob three; then
//
//	g1, g2, g3 (alice's) and g5 (bob's) complete the quest, in any order:
//	   alice is at her 3rd completion, bob at his 1st;
//	g4 (alice's) does step 1, g6 (bob's) steps 1 and 2;
//	bob's third invitation stays unclaimed;
//	the first reward issued (g1's guest credit, $5) is redeemed.
//
// So: 7 invited, 6 claimed, 6 did step 1, 5 step 2, 4 step 3, 4 completed.
// Rewards: USD $5 × 4 guests + $10 × 2 hosts = $40 issued, $5 redeemed;
// EUR €15 once (alice's 2nd); tickets once, quantity 2 (alice's 3rd).
func dashScript(t testing.TB, tenant uuid.UUID, slug string) {
	t.Helper()
	usd, eur, welcome := int64(1000), int64(1500), int64(500)
	rules := models.Rules{
		Steps:               []string{"signup_complete", "form_a_complete", "purchase_complete"},
		RepeatLastMilestone: true,
		Milestones: []models.Milestone{
			{Count: 1, Reward: models.Reward{Description: "$10", Kind: "cash", Amount: &usd, Currency: "USD"}},
			{Count: 2, Reward: models.Reward{Description: "€15", Kind: "credit", Amount: &eur, Currency: "EUR"}},
			{Count: 3, Reward: models.Reward{Description: "two tickets", Kind: "ticket", Quantity: 2}},
		},
		GuestReward: &models.Reward{Description: "welcome", Kind: "credit", Amount: &welcome, Currency: "USD"},
	}
	hosts := []string{"alice", "alice", "alice", "alice", "bob", "bob", "bob"}
	codes := make([]string, len(hosts))
	dashIn(t, tenant, func(ctx context.Context) error {
		for _, e := range rules.Steps {
			if _, _, err := models.DefineEvent(ctx, e, ""); err != nil {
				return err
			}
		}
		if _, _, err := models.SaveCampaignDraft(ctx, slug, models.CampaignInput{Name: "Spring " + slug, Mode: models.ModeInvitation, Rules: rules}); err != nil {
			return err
		}
		if _, err := models.PublishCampaign(ctx, slug, models.InflightKeep); err != nil {
			return err
		}
		for i, h := range hosts {
			inv, err := models.CreateInvitation(ctx, slug, models.InvitationInput{Host: h})
			if err != nil {
				return err
			}
			codes[i] = inv.Code
		}
		return nil
	})
	for i, guest := range []string{"g1", "g2", "g3", "g4", "g5", "g6"} {
		dashIn(t, tenant, func(ctx context.Context) error {
			_, err := models.Claim(ctx, codes[i], guest)
			return err
		})
	}
	dashEvents(t, tenant,
		"g1", "purchase_complete", "g1", "signup_complete", "g1", "form_a_complete", // out of order
		"g5", "signup_complete", "g5", "form_a_complete", "g5", "purchase_complete",
		"g2", "signup_complete", "g2", "signup_complete", "g2", "form_a_complete", "g2", "purchase_complete",
		"g4", "signup_complete", "g4", "purchase_complete", // step 3 early: still at 1
		"g6", "signup_complete", "g6", "form_a_complete",
		"g3", "signup_complete", "g3", "form_a_complete", "g3", "purchase_complete",
	)
	var id string
	err := env.Owner.Raw(`SELECT id FROM reward_tokens WHERE tenant_id = ? AND reason = 'guest' ORDER BY issued_at, id LIMIT 1`,
		tenant).Scan(&id).Error
	if err != nil {
		t.Fatal(err)
	}
	dashIn(t, tenant, func(ctx context.Context) error {
		_, err := models.RedeemReward(ctx, id)
		return err
	})
}

// funnelCounts reads the funnel as stage → count.
func funnelCounts(p *page) map[string]string {
	out := map[string]string{}
	p.find("funnel-stage").Each(func(_ int, s *goquery.Selection) {
		out[s.AttrOr("data-stage", "")] = s.AttrOr("data-count", "")
	})
	return out
}

func TestConsoleDashboard(t *testing.T) {
	app := newConsoleApp(t)
	b := newBrowser(t, app)
	owner := signUp(t, b)
	slug := uniqueDashSlug("spring")
	dashScript(t, owner.tenantID, slug)

	p := b.get("/dashboard")
	wantStatus(t, p, http.StatusOK)
	if got := p.find("dashboard-campaign").AttrOr("data-slug", ""); got != slug {
		t.Fatalf("the dashboard opens on %q, want %q (the only active campaign)", got, slug)
	}

	t.Run("funnel", func(t *testing.T) {
		want := map[string]string{"created": "7", "claimed": "6", "step-1": "6", "step-2": "5", "step-3": "4", "completed": "4"}
		if got := funnelCounts(p); !maps.Equal(got, want) {
			t.Errorf("funnel %v, want %v", got, want)
		}
		stages := p.find("funnel-stage")
		if stages.Length() != 6 || !strings.Contains(stages.Eq(2).Text(), "signup_complete") {
			t.Errorf("%d stages; step 1 reads %q", stages.Length(), stages.Eq(2).Text())
		}
		// Conversion from the stage before: 6 of 7 claimed.
		if share := strings.TrimSpace(stages.Eq(1).Find(`[data-testid="funnel-share"]`).Text()); share != "85.7%" {
			t.Errorf("claimed share %q", share)
		}
		if p.find("quest-changed").Length() != 0 {
			t.Error("a campaign with one version says its quest changed")
		}
	})

	t.Run("rewards per currency, never added together", func(t *testing.T) {
		rows := p.find("reward-currency")
		got := map[string][2]string{}
		rows.Each(func(_ int, s *goquery.Selection) {
			got[s.AttrOr("data-currency", "")] = [2]string{
				strings.TrimSpace(s.Find(`[data-testid="issued-value"]`).Text()),
				strings.TrimSpace(s.Find(`[data-testid="redeemed-value"]`).Text()),
			}
		})
		want := map[string][2]string{"USD": {"$40.00", "$5.00"}, "EUR": {"€15.00", "€0.00"}}
		if len(got) != 2 || got["USD"] != want["USD"] || got["EUR"] != want["EUR"] {
			t.Errorf("money rows %v, want %v", got, want)
		}
		if strings.Contains(p.Body, "$55.00") || strings.Contains(p.Body, "55.00") {
			t.Error("USD and EUR were added together somewhere")
		}
		tickets := p.find("reward-kind")
		if tickets.Length() != 1 || tickets.AttrOr("data-kind", "") != "ticket" ||
			strings.TrimSpace(tickets.Find(`[data-testid="issued-count"]`).Text()) != "1 token" {
			t.Errorf("rewards without an amount: %q", tickets.Text())
		}
	})

	t.Run("top hosts", func(t *testing.T) {
		hosts := p.find("top-host")
		var order, completed []string
		hosts.Each(func(_ int, s *goquery.Selection) {
			order = append(order, s.AttrOr("data-host", ""))
			completed = append(completed, strings.TrimSpace(s.Find(`[data-testid="top-host-completed"]`).Text()))
		})
		if !slices.Equal(order, []string{"alice", "bob"}) || !slices.Equal(completed, []string{"3", "1"}) {
			t.Errorf("top hosts %v with %v completed; want alice 3, bob 1", order, completed)
		}
		if r := strings.TrimSpace(hosts.Eq(0).Find(`[data-testid="top-host-rewards"]`).Text()); r != "€15.00 + $10.00 + 2 × raffle ticket" {
			t.Errorf("alice's rewards %q", r)
		}
	})

	t.Run("30 days, today last", func(t *testing.T) {
		days := p.find("series-day")
		if days.Length() != models.DashboardDays {
			t.Fatalf("%d points, want %d", days.Length(), models.DashboardDays)
		}
		today := days.Last()
		if today.AttrOr("data-day", "") != time.Now().UTC().Format(time.DateOnly) ||
			today.AttrOr("data-claims", "") != "6" || today.AttrOr("data-completions", "") != "4" {
			t.Errorf("today's point: day %s, %s claims, %s completions", today.AttrOr("data-day", ""),
				today.AttrOr("data-claims", ""), today.AttrOr("data-completions", ""))
		}
		if p.find("series-x-label").Length() < 4 {
			t.Error("the time axis has no labels")
		}
		if strings.Contains(p.Body, "style=") {
			t.Error("the page uses a style attribute, which the CSP forbids")
		}
	})

	t.Run("the numbers change after new events", func(t *testing.T) {
		dashEvents(t, owner.tenantID, "g6", "purchase_complete", "g4", "form_a_complete")
		p := b.get("/dashboard?campaign=" + slug)
		wantStatus(t, p, http.StatusOK)
		want := map[string]string{"created": "7", "claimed": "6", "step-1": "6", "step-2": "6", "step-3": "6", "completed": "6"}
		if got := funnelCounts(p); !maps.Equal(got, want) {
			t.Errorf("funnel after g4 and g6 completed: %v, want %v", got, want)
		}
		if got := p.find("series-day").Last().AttrOr("data-completions", ""); got != "6" {
			t.Errorf("today's completions %s, want 6", got)
		}
	})

	t.Run("the picker's htmx request gets the dashboard alone", func(t *testing.T) {
		p := b.get("/dashboard?campaign="+slug, "HX-Request", "true")
		wantStatus(t, p, http.StatusOK)
		if p.Doc.Find("html body aside").Length() != 0 || p.find("dashboard").Length() != 1 {
			t.Errorf("htmx got more or less than the dashboard:\n%s", p.Body)
		}
		if !strings.Contains(p.Header.Get("Vary"), "HX-Request") {
			t.Errorf("Vary %q", p.Header.Get("Vary"))
		}
	})

	t.Run("an unknown campaign is not found", func(t *testing.T) {
		wantStatus(t, b.get("/dashboard?campaign=no-such-campaign"), http.StatusNotFound)
	})
}

func TestConsoleDashboardEveryRoleReads(t *testing.T) {
	app := newConsoleApp(t)
	owner := signUp(t, newBrowser(t, app))
	slug := uniqueDashSlug("roles")
	dashScript(t, owner.tenantID, slug)
	for _, role := range []string{models.RoleViewer, models.RoleMarketer, models.RoleAdmin} {
		t.Run(role, func(t *testing.T) {
			b := newBrowser(t, app)
			logIn(t, b, addMember(t, owner.tenantID, role))
			p := b.get("/dashboard?campaign=" + slug)
			wantStatus(t, p, http.StatusOK)
			if got := funnelCounts(p)["completed"]; got != "4" {
				t.Errorf("a %s reads %q completed, want 4", role, got)
			}
		})
	}
}

func TestConsoleDashboardIsolation(t *testing.T) {
	app := newConsoleApp(t)
	a := signUp(t, newBrowser(t, app))
	slug := uniqueDashSlug("secret")
	dashScript(t, a.tenantID, slug)

	b := newBrowser(t, app)
	signUp(t, b) // tenant B, with no campaign
	for _, path := range []string{"/dashboard?campaign=" + slug, "/dashboard?campaign=" + slug + "&x=1"} {
		p := b.get(path, "HX-Request", "true")
		wantStatus(t, p, http.StatusNotFound)
		p = b.get(path)
		wantStatus(t, p, http.StatusNotFound)
		if strings.Contains(p.Body, slug) || strings.Contains(p.Body, "alice") {
			t.Errorf("%s: B's 404 page names A's campaign or hosts", path)
		}
	}
	home := b.get("/")
	wantStatus(t, home, http.StatusOK)
	for _, secret := range []string{slug, "Spring", "alice", "$40.00", "€15.00"} {
		if strings.Contains(home.Body, secret) {
			t.Errorf("B's dashboard shows %q of A", secret)
		}
	}
	if home.find("dashboard-placeholder").Length() != 1 || home.find("funnel").Length() != 0 {
		t.Error("B, without campaigns, does not get the welcome state")
	}
}

func TestConsoleDashboardEmptyStates(t *testing.T) {
	app := newConsoleApp(t)
	b := newBrowser(t, app)
	owner := signUp(t, b)

	p := b.get("/")
	wantStatus(t, p, http.StatusOK)
	if href := p.find("create-campaign").AttrOr("href", ""); href != "/campaigns/new" {
		t.Errorf("no campaigns: the call to action goes to %q", href)
	}
	viewer := newBrowser(t, app)
	logIn(t, viewer, addMember(t, owner.tenantID, models.RoleViewer))
	if p := viewer.get("/"); p.find("dashboard-placeholder").Length() != 1 || p.find("create-campaign").Length() != 0 {
		t.Error("a viewer without campaigns is offered to create one, or sees no welcome")
	}

	// A published campaign nobody was invited to yet.
	dashIn(t, owner.tenantID, func(ctx context.Context) error {
		if _, _, err := models.DefineEvent(ctx, "signup_complete", ""); err != nil {
			return err
		}
		_, _, err := models.SaveCampaignDraft(ctx, "quiet", models.CampaignInput{Name: "Quiet", Mode: models.ModeReferrerCode,
			Rules: models.Rules{Steps: []string{"signup_complete"}}})
		if err != nil {
			return err
		}
		_, err = models.PublishCampaign(ctx, "quiet", models.InflightKeep)
		return err
	})
	p = b.get("/dashboard")
	wantStatus(t, p, http.StatusOK)
	if p.find("dashboard-no-data").Length() != 1 || p.find("funnel").Length() != 0 {
		t.Errorf("a campaign without invitations does not say so:\n%s", p.find("dashboard").Text())
	}
	if p.find("campaign-select").Find("option").Length() != 1 {
		t.Error("the picker does not offer the campaign")
	}
}

// uniqueDashSlug is a campaign slug no other test uses.
func uniqueDashSlug(prefix string) string { return fmt.Sprintf("%s-%d", prefix, accountCounter.Add(1)) }
