package console

import (
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/tandemhq/tandem/models"
)

// TestConsoleInvitationsShowRisk: the invitations page, and a host's page
// that lists their invitations, show a flagged referral's risk level and
// signal codes with each signal's evidence inside a disclosure, and
// nothing for a referral without a signal.
func TestConsoleInvitationsShowRisk(t *testing.T) {
	b, _ := reviewOwner(t)
	for _, path := range []string{"/invitations", "/participants/hana"} {
		p := b.get(path)
		wantStatus(t, p, http.StatusOK)
		rows := map[string]*goquery.Selection{}
		p.find("invitation").Each(func(_ int, row *goquery.Selection) {
			for _, guest := range []string{"gus", "gail", "gwen"} {
				if row.Find(`a[href="/participants/`+guest+`"]`).Length() > 0 {
					rows[guest] = row
				}
			}
		})
		if len(rows) != 3 {
			t.Fatalf("%s: rows of %d of hana's guests, want 3", path, len(rows))
		}
		gus := rows["gus"].Find(`details[data-testid="invitation-risk"]`)
		if gus.AttrOr("data-level", "") != models.RiskHigh ||
			strings.TrimSpace(gus.Find(`summary [data-testid="risk-level"]`).Text()) != "High" ||
			!strings.Contains(gus.Find("summary").Text(), "Email alias") {
			t.Errorf("%s: gus's risk summary %q", path, strings.Join(strings.Fields(gus.Find("summary").Text()), " "))
		}
		if sig := gus.Find(`[data-testid="risk-signal"]`); sig.Length() != 1 || sig.AttrOr("data-code", "") != models.SignalEmailAlias ||
			strings.TrimSpace(sig.Find(`[data-testid="risk-evidence"]`).Text()) != reviewEvidence {
			t.Errorf("%s: gus's signals %q", path, strings.Join(strings.Fields(gus.Find(`[data-testid="risk-signals"]`).Text()), " "))
		}
		gail := rows["gail"].Find(`[data-testid="invitation-risk"]`)
		if gail.AttrOr("data-level", "") != models.RiskMedium || gail.Find(`[data-testid="risk-signal"]`).AttrOr("data-code", "") != models.SignalVelocity {
			t.Errorf("%s: gail's risk %q", path, strings.Join(strings.Fields(gail.Text()), " "))
		}
		if gwen := rows["gwen"]; gwen.Find(`[data-testid="invitation-risk"], [data-testid="risk-level"], [data-testid="risk-signal"]`).Length() != 0 {
			t.Errorf("%s: gwen's referral carries no signal, yet shows %q", path, strings.Join(strings.Fields(gwen.Find(".risk-cell").Text()), " "))
		}
	}
}
