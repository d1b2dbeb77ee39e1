package console

import (
	"net/http"
	"strings"
	"testing"
)

func TestConsoleInvitationsFilter(t *testing.T) {
	b, _ := opsOwner(t)
	for _, sc := range []struct {
		query  string
		count  int
		status string // every row's, when set
	}{
		{"", 7, ""},
		{"status=completed", 4, "completed"},
		{"status=claimed", 2, "claimed"},
		{"status=pending", 1, "pending"},
		{"status=expired", 0, ""},
		{"campaign=spring", 5, ""},
		{"campaign=lucky&status=completed", 2, "completed"},
		{"campaign=lucky&status=pending", 0, ""},
		{"step=form_a_complete", 1, "claimed"},
		{"step=signup_complete", 1, "claimed"},
		{"campaign=spring&step=purchase_complete", 0, ""},
		{"host=erin", 2, "completed"},
	} {
		p := b.get("/invitations?" + sc.query)
		wantStatus(t, p, http.StatusOK)
		statuses := listed(p, "invitation", "data-status")
		if len(statuses) != sc.count {
			t.Errorf("%q: %d invitations (%v), want %d", sc.query, len(statuses), statuses, sc.count)
		}
		for _, s := range statuses {
			if sc.status != "" && s != sc.status {
				t.Errorf("%q: an invitation is %s", sc.query, s)
			}
		}
		if sc.count == 0 && (p.find("empty-state").Length() != 1 || !strings.Contains(p.text("empty-state"), "filters")) {
			t.Errorf("%q: no empty state about the filters", sc.query)
		}
	}
	// The step filter only offers steps of current quests.
	p := b.get("/invitations?campaign=lucky")
	if opts := p.Doc.Find(`select[name="step"] option`).Length(); opts != 2 {
		t.Errorf("lucky's step menu has %d options, want any + signup_complete", opts)
	}
	if selected := p.Doc.Find(`select[name="campaign"] option[selected]`).AttrOr("value", ""); selected != "lucky" {
		t.Errorf("the campaign filter shows %q", selected)
	}
	wantStatus(t, b.get("/invitations?status=lost"), http.StatusUnprocessableEntity)
	wantStatus(t, b.get("/invitations?host=nobody"), http.StatusNotFound)
}
