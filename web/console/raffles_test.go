package console

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/tandemhq/tandem/models"
)

func TestConsoleRaffleDraw(t *testing.T) {
	b, owner := opsOwner(t)
	p := b.get("/raffles")
	wantStatus(t, p, http.StatusOK)
	if p.find("raffle-form").Length() != 1 || p.find("raffle-draws").Find(`[data-testid="empty-state"]`).Length() != 1 {
		t.Fatal("no draw form, or past draws not empty")
	}
	if opts := p.Doc.Find(`[data-testid="raffle-form"] select[name="campaign"] option`); opts.Length() != 1 || opts.AttrOr("value", "") != "lucky" {
		t.Errorf("the pot menu offers %d campaigns", opts.Length())
	}

	// Step 1: review. Nothing is drawn yet.
	review := b.post("/raffles/confirm", url.Values{"campaign": {"lucky"}, "winners": {"2"}}, "HX-Request", "true")
	wantStatus(t, review, http.StatusOK)
	if text := review.text("raffle-confirm-text"); !strings.Contains(text, "Draw 2 winners") || !strings.Contains(text, "3 participants") ||
		!strings.Contains(text, "8 tickets") {
		t.Errorf("confirmation %q", text)
	}
	if review.find("sidebar").Length() != 0 || !strings.Contains(review.Header.Get("Vary"), "HX-Request") {
		t.Error("htmx got a whole page, or no Vary")
	}
	var draws int
	env.Owner.Raw(`SELECT count(*) FROM raffle_draws WHERE tenant_id = ?`, owner.tenantID).Scan(&draws)
	if draws != 0 {
		t.Fatal("the review drew")
	}
	bad := b.post("/raffles/confirm", url.Values{"campaign": {"spring"}, "winners": {"0"}}, "HX-Request", "true")
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	if bad.text("error-campaign") == "" || bad.text("error-winners") == "" {
		t.Errorf("errors: %q %q", bad.text("error-campaign"), bad.text("error-winners"))
	}

	// Step 2: draw, then the result page.
	var hidden = url.Values{}
	review.find("raffle-confirm-form").Find("input[type=hidden]").Each(func(_ int, s *goquery.Selection) {
		hidden.Add(s.AttrOr("name", ""), s.AttrOr("value", ""))
	})
	drawn := b.post("/raffles", hidden)
	if drawn.Status != http.StatusSeeOther || !regexp.MustCompile(`^/raffles/rfl_[0-9a-f]{32}$`).MatchString(drawn.Header.Get("Location")) {
		t.Fatalf("draw: %d to %q", drawn.Status, drawn.Header.Get("Location"))
	}
	result := b.get(drawn.Header.Get("Location"))
	wantStatus(t, result, http.StatusOK)
	winners := listedText(result, "winner")
	if len(winners) != 2 || winners[0] == winners[1] {
		t.Fatalf("winners %v", winners)
	}
	if result.find("recheck").AttrOr("data-verified", "") != "true" {
		t.Errorf("re-check: %q", result.text("recheck"))
	}
	seed := result.find("raffle-seed").AttrOr("value", "")
	var entries []models.RaffleEntry
	result.find("raffle-entry").Each(func(_ int, s *goquery.Selection) {
		n, _ := strconv.ParseInt(strings.TrimSpace(s.Find("td").Eq(1).Text()), 10, 64)
		entries = append(entries, models.RaffleEntry{Participant: strings.TrimSpace(s.Find("td").Eq(0).Text()), Tickets: n})
	})
	if len(entries) != 3 || !strings.Contains(result.text("flash-message"), "Drew 2 winners") {
		t.Fatalf("entries %v, flash %q", entries, result.text("flash-message"))
	}
	// Anyone with the page's seed and entries draws the same winners.
	again, err := models.DrawWinners(seed, entries, 2)
	if err != nil || !slices.Equal(again, winners) {
		t.Errorf("drawn again from the page: %v (%v), page says %v", again, err, winners)
	}

	// The pot is used up; the draw is listed and audited.
	list := b.get("/raffles")
	if list.find("raffle-draw").Length() != 1 || list.find("raffle-form").Length() != 0 {
		t.Error("the draw is not listed, or the empty pot is still offered")
	}
	if !strings.Contains(list.find("raffle-draw").Text(), owner.email) {
		t.Errorf("drawn by: %q", list.find("raffle-draw").Text())
	}
	id := strings.TrimPrefix(drawn.Header.Get("Location"), "/raffles/")
	if opsAuditCount(t, owner, "raffle.drawn", id) != 1 {
		t.Error("the draw is not audited by the member")
	}
	tickets := b.get("/rewards?kind=ticket")
	for _, s := range listed(tickets, "reward-row", "data-status") {
		if s != models.RewardRedeemed {
			t.Errorf("a ticket is %s after the draw", s)
		}
	}
	if !strings.Contains(tickets.text("settled-by"), "a raffle draw") {
		t.Errorf("ticket settled by %q", tickets.text("settled-by"))
	}

	// A viewer sees the result but cannot draw.
	vb := newBrowser(t, b.app)
	logIn(t, vb, addMember(t, owner.tenantID, models.RoleViewer))
	if p := vb.get("/raffles/" + id); p.Status != http.StatusOK || len(listedText(p, "winner")) != 2 {
		t.Errorf("viewer: %d", p.Status)
	}
	if vb.get("/raffles").find("raffle-form-panel").Length() != 0 {
		t.Error("a viewer is shown the draw form")
	}
	wantStatus(t, vb.post("/raffles", url.Values{"campaign": {"lucky"}, "winners": {"1"}}), http.StatusForbidden)
}
