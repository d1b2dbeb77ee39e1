package views

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/tandemhq/tandem/models"
)

func usd(minor int64) *int64 { return &minor }

// longMilestoneTable is n rows at counts 1..n: $1.00, 2 tickets, €0.50
// in turn, with a repeated count every 7th row (which earns nothing).
func longMilestoneTable(n int) []models.Milestone {
	ms := make([]models.Milestone, 0, n)
	count := 0
	for i := range n {
		if i%7 != 6 {
			count++
		}
		r := models.Reward{Description: "row", Kind: "cash", Amount: usd(100), Currency: "USD"}
		switch i % 3 {
		case 1:
			r = models.Reward{Description: "row", Kind: "ticket", Quantity: 2}
		case 2:
			r = models.Reward{Description: "row", Kind: "cash", Amount: usd(50), Currency: "EUR"}
		}
		ms = append(ms, models.Milestone{Count: count, Reward: r})
	}
	return ms
}

// wantRunningTotals is the running total of longMilestoneTable's rows,
// worked out row by row without the code under test.
func wantRunningTotals(ms []models.Milestone) []string {
	out := make([]string, len(ms))
	var dollars, tickets, cents int64
	last := 0
	for i, m := range ms {
		if m.Count > last {
			last = m.Count
			switch {
			case m.Reward.Currency == "USD":
				dollars += *m.Reward.Amount
			case m.Reward.Currency == "EUR":
				cents += *m.Reward.Amount
			default:
				tickets += int64(m.Reward.Quantity)
			}
		}
		parts := []string{fmt.Sprintf("$%s", commas(dollars/100)) + fmt.Sprintf(".%02d", dollars%100)}
		if tickets > 0 {
			parts = append(parts, fmt.Sprintf("%d tickets", tickets))
		}
		if cents > 0 {
			parts = append(parts, fmt.Sprintf("€%s.%02d", commas(cents/100), cents%100))
		}
		out[i] = strings.Join(parts, " + ")
	}
	return out
}

func commas(n int64) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// TestRunningTotalsOnePass: the running-total column of 10,000 rows. The
// column used to add rows 0..i up again for every row i, through
// MilestoneTotals, itself quadratic: about 10¹¹ additions for this table,
// hours of work, far past go test's default timeout. In one pass it is
// 10,000 additions.
func TestRunningTotalsOnePass(t *testing.T) {
	ms := longMilestoneTable(10_000)
	got, want := RunningTotals(ms), wantRunningTotals(ms)
	if len(got) != len(want) {
		t.Fatalf("%d totals for %d rows", len(got), len(ms))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("row %d: total %q, want %q", i, got[i], want[i])
		}
	}
	totals := MilestoneTotals(ms)
	if n := len(totals); n != ms[len(ms)-1].Count {
		t.Fatalf("%d milestone totals, want one per distinct count (%d)", n, ms[len(ms)-1].Count)
	}
	if last := totals[len(totals)-1]; last.Value != want[len(want)-1] {
		t.Errorf("last milestone total %q, want %q", last.Value, want[len(want)-1])
	}
	if RunningTotals(nil) == nil || len(RunningTotals(nil)) != 0 {
		t.Error("no rows: want an empty column")
	}
	// Rows before the first valid one have no total yet.
	if got := RunningTotals([]models.Milestone{{Count: 0}, {Count: 1, Reward: models.Reward{Kind: "ticket", Quantity: 1}}}); got[0] != "" || got[1] != "1 ticket" {
		t.Errorf("leading invalid row: %q", got)
	}
}

// TestRulesViewRendersLongTablesInOnePass renders the campaign page's rules
// with 10,000 milestone rows (past the cap of models.MaxMilestones, which
// the page must survive all the same): with the cubic column this render
// never finished.
func TestRulesViewRendersLongTablesInOnePass(t *testing.T) {
	ms := longMilestoneTable(10_000)
	var b bytes.Buffer
	if err := RulesView(models.Rules{Steps: []string{"signup_complete"}, Milestones: ms}, "rules").Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	want := wantRunningTotals(ms)
	rows := doc.Find(`[data-testid="rules-milestone"]`)
	if rows.Length() != len(ms) {
		t.Fatalf("%d rows rendered, want %d", rows.Length(), len(ms))
	}
	rows.Each(func(i int, s *goquery.Selection) {
		if got := strings.TrimSpace(s.Find("td").Last().Text()); got != want[i] {
			t.Fatalf("row %d: running total %q, want %q", i, got, want[i])
		}
	})
}

// TestCampaignEditorFocusOnePass renders the editor with a long milestone
// table and an error on its last row. Every input used to ask which field
// is first in error by listing every field again: n² for n rows (about
// 3.6·10⁹ field names for these 10,000 rows). Now the first error is found
// once per component.
func TestCampaignEditorFocusOnePass(t *testing.T) {
	f := CampaignForm{Slug: "long", Name: "Long", Mode: models.ModeInvitation, Steps: []string{"signup_complete"}}
	for i := range 10_000 {
		f.Milestones = append(f.Milestones, MilestoneInput{Count: fmt.Sprint(i + 1), Reward: RewardInput{Description: "row", Kind: "credit", Quantity: "1"}})
	}
	last := len(f.Milestones) - 1
	f.Errors = map[string]string{milestoneKey(last, "reward.amount"): "Enter an amount.", guestKey("currency"): "later in the form"}
	f.GuestOn = true
	var b bytes.Buffer
	if err := CampaignEditorForm(f).Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	focused := doc.Find("[autofocus]")
	if focused.Length() != 1 {
		t.Fatalf("%d inputs take the focus, want 1", focused.Length())
	}
	if id, _ := focused.Attr("id"); id != fmt.Sprintf("ms-amount-%d", last) {
		t.Errorf("the focus is on %q, want the last row's amount", id)
	}
	// The add-row button goes once the table is full.
	if n := doc.Find(`[data-testid="add-milestone"]`).Length(); n != 0 {
		t.Errorf("%d add-row buttons on a table past %d rows", n, models.MaxMilestones)
	}
}
