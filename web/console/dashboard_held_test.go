package console

import (
	"net/http"
	"testing"
)

// TestDashboardShowsHeldRewards: a campaign whose rewards wait for review
// shows them per currency beside the issued ones; once decided they leave
// the column, and a campaign that holds nothing has no such column.
func TestDashboardShowsHeldRewards(t *testing.T) {
	b, owner := reviewOwner(t)
	p := b.get("/dashboard?campaign=vetted")
	wantStatus(t, p, http.StatusOK)
	row := `[data-testid="reward-currency"][data-currency="USD"] `
	if held, issued := p.Doc.Find(row+`[data-testid="held-value"]`).Text(), p.Doc.Find(row+`[data-testid="issued-value"]`).Text(); held != "$30.00" || issued != "$0.00" {
		t.Errorf("held %q, issued %q; want $30.00 held and nothing issued", held, issued)
	}
	b.get("/review")
	wantRedirect(t, b.post("/review/bulk", map[string][]string{"action": {"approve"}, "id": {reviewRewardOf(t, owner.tenantID, "gus"),
		reviewRewardOf(t, owner.tenantID, "gail"), reviewRewardOf(t, owner.tenantID, "gwen")}}), "/review")
	p = b.get("/dashboard?campaign=vetted")
	if p.Doc.Find(`[data-testid="held-value"]`).Length() != 0 || p.Doc.Find(row+`[data-testid="issued-value"]`).Text() != "$30.00" {
		t.Errorf("after approving every held reward: %s", p.Doc.Find(`[data-testid="rewards"]`).Text())
	}
	if p = b.get("/dashboard?campaign=open"); p.Doc.Find(`[data-testid="held-value"]`).Length() != 0 {
		t.Error("a campaign without review shows a held column")
	}
}
