package console

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/tandemhq/tandem/internal/dbtest"
	"github.com/tandemhq/tandem/models"
)

// reviewItems are the reward ids a review page lists, in order.
func reviewItemIDs(p *page) []string {
	var ids []string
	for _, n := range p.find("review-item").Nodes {
		for _, a := range n.Attr {
			if a.Key == "data-reward-id" {
				ids = append(ids, a.Val)
			}
		}
	}
	return ids
}

// reviewDecision is a reward's status and review reason, read as the
// schema owner.
func reviewDecision(t testing.TB, id string) (status, reason string) {
	t.Helper()
	var row struct {
		Status       string
		ReviewReason *string
	}
	if err := env.Owner.Raw(`SELECT status, review_reason FROM reward_tokens WHERE id = ?`, id).Take(&row).Error; err != nil {
		t.Fatal(err)
	}
	if row.ReviewReason != nil {
		reason = *row.ReviewReason
	}
	return row.Status, reason
}

// reviewAge makes a held reward held since ago, with the triggers off (a
// token keeps the time it was issued at). The time is a value: Citus
// computes no interval arithmetic on a column in an UPDATE.
func reviewAge(t testing.TB, id string, ago time.Duration) {
	t.Helper()
	dbtest.WithoutTriggers(t, env.Owner, func(tx *gorm.DB) error {
		return tx.Exec(`UPDATE reward_tokens SET issued_at = ? WHERE id = ?`, time.Now().Add(-ago), id).Error
	})
}

// TestReviewQueueShowsHeldRewards: the queue lists the held rewards only,
// oldest first, each with host, guest, its signals and their evidence and
// the host's other referrals; each filter narrows it, and a filter value
// it does not know is a 422.
func TestReviewQueueShowsHeldRewards(t *testing.T) {
	b, owner := reviewOwner(t)
	gus, gail, gwen := reviewRewardOf(t, owner.tenantID, "gus"), reviewRewardOf(t, owner.tenantID, "gail"), reviewRewardOf(t, owner.tenantID, "gwen")
	// The fixture holds all three in one transaction: a minute apart, so
	// that the order shows.
	for i, id := range []string{gus, gail, gwen} {
		reviewAge(t, id, time.Duration(3-i)*time.Minute)
	}
	p := b.get("/review")
	wantStatus(t, p, http.StatusOK)
	if got := reviewItemIDs(p); !slices.Equal(got, []string{gus, gail, gwen}) {
		t.Fatalf("queue %v, want gus's, gail's and gwen's rewards in that order %v", got, []string{gus, gail, gwen})
	}
	item := p.Doc.Find(`[data-reward-id="` + gus + `"]`)
	if host, guest := strings.TrimSpace(item.Find(`[data-testid="review-host"]`).Text()), strings.TrimSpace(item.Find(`[data-testid="review-guest"]`).Text()); host != "hana" || guest != "gus" {
		t.Errorf("host %q, guest %q", host, guest)
	}
	if code := item.Find(`[data-testid="risk-signal"]`).AttrOr("data-code", ""); code != models.SignalEmailAlias ||
		strings.TrimSpace(item.Find(`[data-testid="risk-evidence"]`).Text()) != reviewEvidence ||
		strings.TrimSpace(item.Find(`[data-testid="risk-level"]`).Text()) != "High" {
		t.Errorf("gus's signals: %s", item.Find(`[data-testid="risk-signals"]`).Text())
	}
	if others := item.Find(`[data-testid="review-others"]`); others.AttrOr("data-count", "") != "2" ||
		others.Find(`[data-testid="review-other"]`).Length() != 2 || strings.Contains(others.Text(), "gus") {
		t.Errorf("hana's other referrals beside gus's: %q", others.Text())
	}
	if p.find("review-approve").Length() != 3 || p.find("review-select").Length() != 3 || p.find("review-read-only").Length() != 0 {
		t.Error("an owner is not offered the decisions")
	}

	for _, sc := range []struct {
		query string
		want  []string
	}{
		{"signal=velocity", []string{gail}},
		{"signal=email_alias&campaign=vetted", []string{gus}},
		{"campaign=open", nil},
		{"campaign=nowhere", nil},
		{"age=1d", nil},
	} {
		p := b.get("/review?" + sc.query)
		wantStatus(t, p, http.StatusOK)
		if got := reviewItemIDs(p); !slices.Equal(got, sc.want) {
			t.Errorf("%s: %v, want %v", sc.query, got, sc.want)
		}
		if len(sc.want) == 0 && p.find("empty-state").Length() != 1 {
			t.Errorf("%s: no empty state", sc.query)
		}
	}
	// Held for over a day: the rewards, a day and a half older.
	reviewAge(t, gwen, 36*time.Hour)
	if got := reviewItemIDs(b.get("/review?age=1d")); !slices.Equal(got, []string{gwen}) {
		t.Errorf("held over a day: %v, want gwen's", got)
	}
	wantStatus(t, b.get("/review?signal=phishing"), http.StatusUnprocessableEntity)
	wantStatus(t, b.get("/review?age=forever"), http.StatusUnprocessableEntity)
}

// TestReviewApproveAndRejectOne: approving issues the reward and rejecting
// voids it with the reason, each audited as the member; a rejection
// without a reason is a 422 beside the field that changes nothing; a
// second decision leaves the first as it is.
func TestReviewApproveAndRejectOne(t *testing.T) {
	b, owner := reviewOwner(t)
	gus, gail := reviewRewardOf(t, owner.tenantID, "gus"), reviewRewardOf(t, owner.tenantID, "gail")
	b.get("/review")

	p := b.post("/review/"+gus+"/approve", nil, "HX-Request", "true")
	wantStatus(t, p, http.StatusOK)
	if row := p.find("review-item"); row.AttrOr("data-status", "") != models.RewardIssued || row.Find(`[data-testid="review-approve"]`).Length() != 0 ||
		p.Doc.Find(`#flashes[hx-swap-oob]`).Length() != 1 {
		t.Fatalf("not the approved row with a message: %s", p.Body)
	}
	if status, _ := reviewDecision(t, gus); status != models.RewardIssued || opsAuditCount(t, owner, "reward.approved", gus) != 1 {
		t.Fatalf("approved: status %s, or not audited by the member", status)
	}

	p = b.post("/review/"+gail+"/reject", url.Values{"reason": {"  "}}, "HX-Request", "true")
	wantStatus(t, p, http.StatusUnprocessableEntity)
	if p.find("review-reason-error").Length() != 1 || p.find("review-item").AttrOr("data-status", "") != models.RewardHeld {
		t.Errorf("a rejection without a reason: %s", p.Body)
	}
	if status, _ := reviewDecision(t, gail); status != models.RewardHeld {
		t.Fatalf("a rejection without a reason changed the reward: %s", status)
	}
	// Without htmx, the queue with the message beside the row's field.
	p = b.post("/review/"+gail+"/reject", url.Values{"reason": {""}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	if p.Doc.Find(`[data-reward-id="`+gail+`"] [data-testid="review-reason-error"]`).Length() != 1 {
		t.Errorf("the queue does not say why beside gail's reward: %s", p.Body)
	}

	p = b.post("/review/"+gail+"/reject", url.Values{"reason": {"Same household as the host"}}, "Referer", "https://tandem.test/review?signal=velocity")
	wantRedirect(t, p, "/review?signal=velocity")
	if status, reason := reviewDecision(t, gail); status != models.RewardVoided || reason != "Same household as the host" ||
		opsAuditCount(t, owner, "reward.rejected", gail) != 1 {
		t.Fatalf("rejected: %s %q, or not audited", status, reason)
	}
	// Deciding again: the first decision stands, and the message says so.
	p = b.post("/review/"+gail+"/approve", nil, "HX-Request", "true")
	wantStatus(t, p, http.StatusOK)
	if p.find("review-item").AttrOr("data-status", "") != models.RewardVoided || p.Doc.Find(`[data-kind="error"]`).Length() != 1 ||
		p.text("review-reason") != "Rejected because: Same household as the host" {
		t.Errorf("approving a rejected reward: %s", p.Body)
	}
	if status, _ := reviewDecision(t, gail); status != models.RewardVoided {
		t.Fatal("a rejected reward was approved")
	}
	wantStatus(t, b.post("/review/rwd_00000000000000000000000000000000/approve", nil), http.StatusNotFound)
	wantStatus(t, b.post("/review/"+reviewRewardOf(t, owner.tenantID, "gwen")+"/approve", url.Values{"_csrf": {"forged"}}), http.StatusForbidden)
}

// TestReviewInBulk: ?select=all ticks every row; the ticked rewards are
// approved or rejected together, those decided meanwhile counted and left
// as they are; a bulk rejection without a reason is a 422 beside the form
// that keeps the ticks and changes nothing.
func TestReviewInBulk(t *testing.T) {
	b, owner := reviewOwner(t)
	gus, gail, gwen := reviewRewardOf(t, owner.tenantID, "gus"), reviewRewardOf(t, owner.tenantID, "gail"), reviewRewardOf(t, owner.tenantID, "gwen")
	p := b.get("/review?select=all")
	if p.Doc.Find(`[data-testid="review-select"][checked]`).Length() != 3 {
		t.Fatal("select=all does not tick every row")
	}

	p = b.post("/review/bulk", url.Values{"action": {"reject"}, "id": {gus, gail}, "back": {"campaign=vetted"}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	if p.find("bulk-error").Length() != 1 || p.Doc.Find(`[data-testid="review-select"][checked]`).Length() != 2 {
		t.Errorf("a bulk rejection without a reason: %s", p.Body)
	}
	wantStatus(t, b.post("/review/bulk", url.Values{"action": {"approve"}}), http.StatusUnprocessableEntity)
	wantStatus(t, b.post("/review/bulk", url.Values{"action": {"pay"}, "id": {gus}}), http.StatusUnprocessableEntity)

	wantRedirect(t, b.post("/review/bulk", url.Values{"action": {"reject"}, "id": {gwen}, "reason": {"Test account"}, "back": {"campaign=vetted"}}),
		"/review?campaign=vetted")
	if got := b.get("/review?campaign=vetted").text("flash-message"); got != "Rejected 1 reward." {
		t.Errorf("flash %q", got)
	}
	p = b.post("/review/bulk", url.Values{"action": {"approve"}, "id": {gus, gail, gwen}, "back": {""}})
	wantRedirect(t, p, "/review")
	if got := b.get("/review").text("flash-message"); got != "Approved 2 rewards. 1 reward already decided, left as they were." {
		t.Errorf("flash %q", got)
	}
	for id, want := range map[string]string{gus: models.RewardIssued, gail: models.RewardIssued, gwen: models.RewardVoided} {
		if status, _ := reviewDecision(t, id); status != want {
			t.Errorf("%s is %s, want %s", id, status, want)
		}
	}
	if opsAuditCount(t, owner, "reward.approved", gus) != 1 || opsAuditCount(t, owner, "reward.approved", gail) != 1 ||
		opsAuditCount(t, owner, "reward.rejected", gwen) != 1 {
		t.Error("a bulk decision is not audited reward by reward")
	}
}

// TestReviewReadOnlyRoles: marketers and viewers see the queue without
// its decisions, and the server refuses their decisions whatever they
// send; the blocklist is the configurers' only.
func TestReviewReadOnlyRoles(t *testing.T) {
	_, owner := reviewOwner(t)
	gus := reviewRewardOf(t, owner.tenantID, "gus")
	for _, role := range []string{models.RoleMarketer, models.RoleViewer} {
		t.Run(role, func(t *testing.T) {
			b := newBrowser(t, newConsoleApp(t))
			logIn(t, b, addMember(t, owner.tenantID, role))
			p := b.get("/review")
			wantStatus(t, p, http.StatusOK)
			if len(reviewItemIDs(p)) != 3 || p.find("review-read-only").Length() != 1 || p.find("review-approve").Length() != 0 ||
				p.find("review-select").Length() != 0 || p.find("review-bulk").Length() != 0 || p.find("blocklist-link").Length() != 0 {
				t.Errorf("a %s's queue: %s", role, p.Body)
			}
			wantStatus(t, b.post("/review/"+gus+"/approve", nil), http.StatusForbidden)
			wantStatus(t, b.post("/review/"+gus+"/reject", url.Values{"reason": {"no"}}), http.StatusForbidden)
			wantStatus(t, b.post("/review/bulk", url.Values{"action": {"approve"}, "id": {gus}}), http.StatusForbidden)
			wantStatus(t, b.get("/blocklist"), http.StatusForbidden)
			wantStatus(t, b.post("/blocklist", url.Values{"entries": {"*@example.com"}}), http.StatusForbidden)
			if status, _ := reviewDecision(t, gus); status != models.RewardHeld {
				t.Fatalf("a %s decided a reward: %s", role, status)
			}
		})
	}
}

// TestReviewIsolation: another tenant's owner neither sees tenant A's
// held rewards nor decides them.
func TestReviewIsolation(t *testing.T) {
	_, a := reviewOwner(t)
	gus := reviewRewardOf(t, a.tenantID, "gus")
	bb := newBrowser(t, newConsoleApp(t))
	signUp(t, bb)
	p := bb.get("/review")
	wantStatus(t, p, http.StatusOK)
	for _, secret := range []string{gus, "hana", "Vetted referrals", reviewEvidence} {
		if strings.Contains(p.Body, secret) {
			t.Errorf("B's queue shows A's %q", secret)
		}
	}
	wantStatus(t, bb.get("/review?campaign=vetted"), http.StatusOK)
	wantStatus(t, bb.post("/review/"+gus+"/approve", nil), http.StatusNotFound)
	wantStatus(t, bb.post("/review/"+gus+"/reject", url.Values{"reason": {"spite"}}), http.StatusNotFound)
	wantRedirect(t, bb.post("/review/bulk", url.Values{"action": {"approve"}, "id": {gus}}), "/review")
	if status, _ := reviewDecision(t, gus); status != models.RewardHeld {
		t.Fatalf("another tenant decided A's reward: %s", status)
	}
}
