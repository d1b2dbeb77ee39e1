package console

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/tandemhq/tandem/models"
)

// TestCampaignPageFullMilestoneTable publishes a campaign with the most
// milestone rows a version may hold and opens its page: every row shows
// its running total (the column used to cost n³ sums), and each is right.
func TestCampaignPageFullMilestoneTable(t *testing.T) {
	b, owner := builderOwner(t)
	slug := uniqueSlug("full")
	rules := models.Rules{Steps: []string{"signup_complete"}}
	for i := range models.MaxMilestones {
		r := models.Reward{Description: "$1 credit", Kind: "credit", Amount: opsMoneyPtr(100), Currency: "USD"}
		if i%2 == 1 {
			r = models.Reward{Description: "2 tickets", Kind: "ticket", Quantity: 2}
		}
		rules.Milestones = append(rules.Milestones, models.Milestone{Count: i + 1, Reward: r})
	}
	inTenant(t, owner.tenantID, func(ctx context.Context) error {
		return opsPublish(ctx, slug, "Full table", models.ModeReferrerCode, rules)
	})
	p := b.get("/campaigns/" + slug)
	wantStatus(t, p, http.StatusOK)
	rows := p.find("current-rules-milestone")
	if rows.Length() != models.MaxMilestones {
		t.Fatalf("%d milestone rows shown, want %d", rows.Length(), models.MaxMilestones)
	}
	for i := range models.MaxMilestones {
		dollars, tickets := (i+2)/2, 2*((i+1)/2)
		want := fmt.Sprintf("$%d.00", dollars)
		if tickets > 0 {
			want += fmt.Sprintf(" + %d tickets", tickets)
		}
		if got := strings.TrimSpace(rows.Eq(i).Find("td").Last().Text()); got != want {
			t.Fatalf("row %d: running total %q, want %q", i+1, got, want)
		}
	}
	wantStatus(t, b.get("/campaigns/"+slug+"/versions/1"), http.StatusOK)
}

// TestCampaignEditorCapsRows posts the editor far more rows and steps than
// a version may hold: it reads one more of each than the cap (enough for
// the models to refuse the table) and offers no row past the cap.
func TestCampaignEditorCapsRows(t *testing.T) {
	b, _ := builderOwner(t)
	b.get("/campaigns/new")
	v := threeStepCampaign(uniqueSlug("huge"))
	v.rows = nil
	for i := range 5_000 {
		v.rows = append(v.rows, milestoneRow{fmt.Sprint(i + 1), "$1", "credit", "1", "1", "USD"})
	}
	for range 500 {
		v.steps = append(v.steps, "signup_complete")
	}
	p := b.post("/campaigns/new/editor?op=ms-add", v.form())
	wantStatus(t, p, http.StatusOK)
	if n := p.find("milestone").Length(); n != models.MaxMilestones+1 {
		t.Errorf("%d milestone rows shown, want %d", n, models.MaxMilestones+1)
	}
	if n := p.find("step-select").Length(); n != models.MaxQuestSteps+1 {
		t.Errorf("%d steps shown, want %d", n, models.MaxQuestSteps+1)
	}
	if p.find("add-milestone").Length() != 0 {
		t.Error("a full table still offers another row")
	}
	p = b.post("/campaigns/new", v.form())
	wantStatus(t, p, http.StatusUnprocessableEntity)
	if msg := p.errorText("quest.steps"); !strings.Contains(msg, fmt.Sprint(models.MaxQuestSteps)) {
		t.Errorf("steps error %q", msg)
	}
	v.steps = v.steps[:3]
	p = b.post("/campaigns/new", v.form())
	wantStatus(t, p, http.StatusUnprocessableEntity)
	if msg := p.errorText("host_milestones"); !strings.Contains(msg, fmt.Sprint(models.MaxMilestones)) {
		t.Errorf("milestone error %q", msg)
	}
}
