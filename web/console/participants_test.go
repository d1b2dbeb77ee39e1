package console

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

// listed returns the values of attr on the elements with data-testid id.
func listed(p *page, id, attr string) []string {
	var out []string
	p.find(id).Each(func(_ int, s *goquery.Selection) {
		v, _ := s.Attr(attr)
		out = append(out, v)
	})
	return out
}

func TestConsoleParticipantSearch(t *testing.T) {
	b, owner := opsOwner(t)
	err := tenants.WithTenant(context.Background(), env.App, owner.tenantID, func(ctx context.Context) error {
		email := "Zed.Odd@Example.com"
		_, _, err := models.UpsertParticipant(ctx, models.ParticipantInput{ExternalID: "user_100%", Email: &email})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}

	all := b.get("/participants")
	wantStatus(t, all, http.StatusOK)
	if n := all.find("participant").Length(); n != 9 {
		t.Errorf("%d participants listed, want 9: %v", n, listed(all, "participant", "data-external-id"))
	}
	if all.find("nav-participants").AttrOr("aria-current", "") != "page" {
		t.Error("the sidebar does not mark Participants as current")
	}
	for _, sc := range []struct {
		q    string
		want string
	}{
		{"ALI", "alice"},           // external id, any case
		{"alice@EX", "alice"},      // e-mail prefix
		{"zed.odd@", "user_100%"},  // e-mail stored in mixed case
		{"user_100%", "user_100%"}, // wildcards match themselves
		{"  Frank ", "frank"},      // trimmed
		{"%", ""},                  // not a wildcard
		{"user_1000", ""},          // longer than the id
		{"lice", ""},               // a prefix, not a substring
		{"e", "ed,erin"},           // several, newest first
	} {
		p := b.get("/participants?q=" + url.QueryEscape(sc.q))
		wantStatus(t, p, http.StatusOK)
		got := strings.Join(listed(p, "participant", "data-external-id"), ",")
		if sc.want == "ed,erin" {
			if got != "erin,ed" && got != "ed,erin" {
				t.Errorf("q=%q: %q", sc.q, got)
			}
			continue
		}
		if got != sc.want {
			t.Errorf("q=%q: got %q, want %q", sc.q, got, sc.want)
		}
		if sc.want == "" && p.find("empty-state").Length() != 1 {
			t.Errorf("q=%q: no empty state", sc.q)
		}
	}
}

func TestConsoleParticipantPage(t *testing.T) {
	b, _ := opsOwner(t)
	p := b.get("/participants/alice")
	wantStatus(t, p, http.StatusOK)
	if p.text("participant-external-id") != "alice" || !strings.Contains(p.text("participant-profile"), "alice@example.com") {
		t.Fatalf("profile: %q", p.text("participant-profile"))
	}
	host := p.find("host-invitations")
	if n := host.Find(`[data-testid="invitation"]`).Length(); n != 5 {
		t.Fatalf("%d invitations as host, want 5", n)
	}
	// Each guest's step bar: one segment per step, done / next / todo.
	wantBars := map[string]struct {
		done, total string
		states      string
	}{
		"bob":  {"3", "3", "done,done,done"},
		"dave": {"1", "3", "done,next,todo"},
		"ed":   {"0", "3", "next,todo,todo"},
		"":     {"0", "3", "todo,todo,todo"}, // not claimed: no step is next
	}
	host.Find(`[data-testid="invitation"]`).Each(func(_ int, row *goquery.Selection) {
		guest := strings.TrimSpace(row.Find("td").Eq(1).Find("a").Text())
		want, ok := wantBars[guest]
		if !ok {
			return
		}
		bar := row.Find(`[data-testid="progress-bar"]`)
		var states, names []string
		bar.Find(`[data-testid="progress-step"]`).Each(func(_ int, s *goquery.Selection) {
			states = append(states, s.AttrOr("data-state", ""))
			names = append(names, strings.TrimSpace(s.Text()))
		})
		if bar.AttrOr("data-done", "") != want.done || bar.AttrOr("data-total", "") != want.total || strings.Join(states, ",") != want.states {
			t.Errorf("guest %q: bar %s/%s %v, want %s/%s %s", guest, bar.AttrOr("data-done", ""), bar.AttrOr("data-total", ""), states, want.done, want.total, want.states)
		}
		if strings.Join(names, ",") != strings.Join(opsSpringSteps, ",") {
			t.Errorf("guest %q: step names %v", guest, names)
		}
	})
	if n := p.find("participant-rewards").Find(`[data-testid="reward"]`).Length(); n != 2 {
		t.Errorf("alice has %d rewards listed, want 2", n)
	}
	if p.find("invited-by").Find(`[data-testid="empty-state"]`).Length() != 1 {
		t.Error("alice was referred by nobody, yet no empty state")
	}

	// A guest's page: who invited them, in which campaign, how far they are.
	d := b.get("/participants/dave")
	wantStatus(t, d, http.StatusOK)
	gi := d.find("guest-invitation")
	if gi.Length() != 1 || !strings.Contains(gi.Text(), "alice") || !strings.Contains(gi.Text(), "Spring referrals") {
		t.Fatalf("dave's invitation as guest: %q", gi.Text())
	}
	bar := gi.Find(`[data-testid="progress-bar"]`)
	if bar.AttrOr("data-done", "") != "1" || bar.AttrOr("data-total", "") != "3" ||
		!strings.Contains(gi.Find(`[data-testid="progress-label"]`).Text(), "next: form_a_complete") {
		t.Errorf("dave's bar: %s/%s %q", bar.AttrOr("data-done", ""), bar.AttrOr("data-total", ""), gi.Text())
	}

	// External ids are escaped as one path segment.
	owner := lookupAccount(t, strings.TrimSpace(d.text("member-email")))
	err := tenants.WithTenant(context.Background(), env.App, owner.tenantID, func(ctx context.Context) error {
		_, _, err := models.UpsertParticipant(ctx, models.ParticipantInput{ExternalID: "x/y?z#1"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	odd := b.get("/participants/" + url.PathEscape("x/y?z#1"))
	wantStatus(t, odd, http.StatusOK)
	if odd.text("participant-external-id") != "x/y?z#1" {
		t.Errorf("odd id page: %q", odd.text("participant-external-id"))
	}

	// Unknown participants are the console's 404 page.
	nf := b.get("/participants/nobody")
	wantStatus(t, nf, http.StatusNotFound)
	if nf.text("error-title") != "Not found" {
		t.Errorf("404 page: %q", nf.text("error-title"))
	}
}

func TestConsoleOperationsEmptyStates(t *testing.T) {
	b := newBrowser(t, newConsoleApp(t))
	signUp(t, b)
	for _, path := range []string{"/participants", "/invitations", "/rewards", "/raffles", "/audit?action=nothing.", "/participants?q=nobody"} {
		p := b.get(path)
		wantStatus(t, p, http.StatusOK)
		if p.find("empty-state").Length() == 0 {
			t.Errorf("%s: no empty state", path)
		}
		if strings.TrimSpace(p.find("empty-state").First().Find("p.muted").Text()) == "" {
			t.Errorf("%s: the empty state does not say what to do next", path)
		}
	}
	for _, path := range []string{"/raffles/rfl_00000000000000000000000000000000", "/participants/ghost"} {
		p := b.get(path)
		wantStatus(t, p, http.StatusNotFound)
		if p.find("error-back").Length() != 1 {
			t.Errorf("%s: not the console's 404 page", path)
		}
	}
	home := b.get("/")
	for _, nav := range []string{"participants", "invitations", "rewards", "raffles", "events", "api_keys", "audit"} {
		if home.find("nav-"+nav).Length() != 1 {
			t.Errorf("the owner's sidebar lacks %s", nav)
		}
	}
}

func TestConsoleParticipantsPaging(t *testing.T) {
	b := newBrowser(t, newConsoleApp(t))
	owner := signUp(t, b)
	err := tenants.WithTenant(context.Background(), env.App, owner.tenantID, func(ctx context.Context) error {
		for i := range opsPageSize + 5 {
			if _, _, err := models.UpsertParticipant(ctx, models.ParticipantInput{ExternalID: "p" + strings.Repeat("x", i%3) + string(rune('a'+i%26)) + strconv.Itoa(i)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	first := b.get("/participants")
	if first.find("participant").Length() != opsPageSize || first.find("pager-first").Length() != 0 {
		t.Fatalf("first page: %d rows", first.find("participant").Length())
	}
	next := first.find("pager-next").AttrOr("href", "")
	second := b.get(next)
	wantStatus(t, second, http.StatusOK)
	if second.find("participant").Length() != 5 || second.find("pager-next").Length() != 0 || second.find("pager-first").AttrOr("href", "") != "/participants" {
		t.Fatalf("second page (%s): %d rows", next, second.find("participant").Length())
	}
	seen := map[string]bool{}
	for _, id := range append(listed(first, "participant", "data-external-id"), listed(second, "participant", "data-external-id")...) {
		if seen[id] {
			t.Errorf("%s listed twice", id)
		}
		seen[id] = true
	}
	if len(seen) != opsPageSize+5 {
		t.Errorf("%d participants over both pages", len(seen))
	}
	// The search keeps its query across pages.
	if href := b.get("/participants?q=p").find("pager-next").AttrOr("href", ""); !strings.Contains(href, "q=p") {
		t.Errorf("next page of a search: %q", href)
	}
}
