package console

import (
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// The event log lists the tenant's events newest first with what each
// did, in words, filtered by participant,
// name and time; a bad time is a 400 and an unknown participant a 404.
func TestConsoleEventLog(t *testing.T) {
	b, _ := opsOwner(t)
	all := b.get("/events/log")
	wantStatus(t, all, http.StatusOK)
	if n := all.find("event-row").Length(); n < 10 {
		t.Fatalf("the log lists %d events, want the fixture's", n)
	}

	dave := b.get("/events/log?participant=dave")
	wantStatus(t, dave, http.StatusOK)
	var effects []string
	dave.find("event-effect").Each(func(_ int, s *goquery.Selection) {
		effects = append(effects, s.AttrOr("data-type", "")+": "+strings.TrimSpace(s.Text()))
	})
	want := []string{"advanced: Advanced step 1 of 3 (signup_complete) for invitation", "claimed: Claimed invitation"}
	if len(effects) != len(want) {
		t.Fatalf("dave's effects: %q, want %d", effects, len(want))
	}
	for i, w := range want {
		if !strings.HasPrefix(effects[i], w) {
			t.Errorf("dave's effect %d: %q, want %q…", i, effects[i], w)
		}
	}

	bob := b.get("/events/log?participant=bob&name=purchase_complete")
	if got := listed(bob, "event-effect", "data-type"); len(got) != 1 || got[0] != "completed" {
		t.Errorf("bob's purchase: effects %v, want completed", got)
	}
	alice := b.get("/events/log?participant=alice")
	if alice.find("event-row").Length() != 0 || !strings.Contains(alice.text("empty-state"), "No event matches") {
		t.Errorf("alice sent no event, yet: %s", alice.text("event-log"))
	}
	if got := b.get("/events/log?until=2000-01-01T00:00"); got.find("event-row").Length() != 0 {
		t.Error("events received before 2000 listed")
	}
	if got := b.get("/events/log?since=2000-01-01T00:00&name=signup_complete"); got.find("event-row").Length() != 5 {
		t.Errorf("since 2000, %d signups, want 5", got.find("event-row").Length())
	}
	wantStatus(t, b.get("/events/log?since=yesterday"), http.StatusBadRequest)
	wantStatus(t, b.get("/events/log?participant=nobody"), http.StatusNotFound)
}
