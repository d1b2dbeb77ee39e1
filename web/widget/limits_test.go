package widget

import (
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/tandemhq/tandem/internal/webtest"
	"github.com/tandemhq/tandem/models"
)

// invite invites friend number n with token, as the widget does.
func (w *widgetTenant) invite(token string, n int) webtest.Response {
	w.t.Helper()
	return w.do("POST", "/widget/v1/invitations", map[string]any{"channel": "email", "recipient": fmt.Sprintf("friend%d@friends.example", n)}, token, shop)
}

// One token makes at most writesPerToken writes a minute, and one
// participant, over all their tokens, writesPerParticipant; the refusal is
// 429 rate_limited with Retry-After, others' tokens are not held back, and
// the next minute starts afresh. The counts reach the table every machine
// shares.
func TestWidgetWritesAreLimited(t *testing.T) {
	w := newWidgetTenant(t, shop)
	w.publish("manual", models.ModeInvitation, "signed_up")
	// Start at a minute's beginning, so that the test ends inside it.
	now := w.clock.now()
	w.clock.advance(now.Truncate(time.Minute).Add(time.Minute).Sub(now))

	first := w.mint("host", "manual", time.Hour)
	for i := range writesPerToken {
		if r := w.invite(first, i); r.Status != http.StatusCreated {
			t.Fatalf("write %d: %d %s", i, r.Status, r.Body)
		}
	}
	r := w.invite(first, 99)
	if retry, _ := strconv.Atoi(r.Header.Get("Retry-After")); r.Status != http.StatusTooManyRequests || r.ErrorCode() != "rate_limited" || retry < 1 || retry > 60 {
		t.Fatalf("write %d of one token: %d %s, Retry-After %q; want 429 rate_limited", writesPerToken+1, r.Status, r.Body, r.Header.Get("Retry-After"))
	}

	// More tokens for the same participant: their own limit holds.
	written := writesPerToken
	for written < writesPerParticipant {
		token := w.mint("host", "manual", time.Hour)
		for i := 0; i < writesPerToken && written < writesPerParticipant; i++ {
			if r := w.invite(token, 100+written); r.Status != http.StatusCreated {
				t.Fatalf("participant's write %d: %d %s", written, r.Status, r.Body)
			}
			written++
		}
	}
	if r := w.invite(w.mint("host", "manual", time.Hour), 999); r.Status != http.StatusTooManyRequests || r.ErrorCode() != "rate_limited" {
		t.Fatalf("write %d of one participant on a fresh token: %d %s", writesPerParticipant+1, r.Status, r.Body)
	}
	if r := w.invite(w.mint("other-host", "manual", time.Hour), 0); r.Status != http.StatusCreated {
		t.Fatalf("another participant is held back: %d %s", r.Status, r.Body)
	}
	// Reads are not writes.
	want(t, "a read", w.get("/widget/v1/me", first, shop), http.StatusOK, "")

	// The counts are in the shared table (the flush runs every second).
	deadline := time.Now().Add(5 * time.Second)
	for {
		var tokens, participants int
		env.Owner.Raw(`SELECT coalesce(sum(requests) FILTER (WHERE key_id LIKE 'wtk\_%'), 0), coalesce(sum(requests) FILTER (WHERE key_id LIKE 'par\_%'), 0)
			FROM api_rate_limits WHERE tenant_id = ?`, w.created.TenantID).Row().Scan(&tokens, &participants)
		if tokens == writesPerParticipant+1 && participants == writesPerParticipant+1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("shared counts: %d by token, %d by participant; want %d each", tokens, participants, writesPerParticipant+1)
		}
		time.Sleep(100 * time.Millisecond)
	}

	w.clock.advance(time.Minute)
	if r := w.invite(first, 1000); r.Status != http.StatusCreated {
		t.Fatalf("the next minute: %d %s", r.Status, r.Body)
	}
}
