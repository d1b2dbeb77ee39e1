package console

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// An event's label is set in the catalog and read wherever a person reads
// the step: the campaign's rules, the dashboard's funnel, a guest's
// progress and the invitations' step filter; a step without a label shows
// its event's name.
func TestConsoleEventLabels(t *testing.T) {
	app := newConsoleApp(t)
	b := newBrowser(t, app)
	owner := signUp(t, b)
	slug := uniqueDashSlug("labels")
	dashScript(t, owner.tenantID, slug)
	const label = "Filled in form A"

	p := tableRows(t, b.post("/events/form_a_complete", url.Values{"label": {label}, "description": {"The first form."}}, "HX-Request", "true"))
	wantStatus(t, p, http.StatusOK)
	if p.text("event-label") != label || p.text("event-description") != "The first form." {
		t.Fatalf("edited row: label %q, description %q", p.text("event-label"), p.text("event-description"))
	}
	// A form without the label field (an older page) keeps the label.
	wantRedirect(t, b.post("/events/form_a_complete", url.Values{"description": {"Form A."}}), "/events")
	// A bad label comes back on its field, and changes nothing.
	p = tableRows(t, b.post("/events/form_a_complete", url.Values{"label": {strings.Repeat("x", 81)}, "description": {"x"}}, "HX-Request", "true"))
	wantStatus(t, p, http.StatusUnprocessableEntity)
	if p.text("error-label") == "" {
		t.Errorf("a label too long: no error on the field:\n%s", p.Body)
	}
	row := b.get("/events").Doc.Find(`[data-testid="event-definition"][data-event-name="form_a_complete"]`)
	if got := strings.TrimSpace(row.Find(`[data-testid="event-label"]`).Text()); got != label {
		t.Fatalf("the catalog shows the label %q, want %q", got, label)
	}

	steps := b.get("/campaigns/" + slug).find("current-rules-steps").Find(`li`)
	if steps.Length() != 3 || !strings.Contains(steps.Eq(1).Text(), label) || !strings.Contains(steps.Eq(1).Text(), "form_a_complete") ||
		strings.TrimSpace(steps.Eq(0).Text()) != "signup_complete" {
		t.Errorf("the campaign's quest reads %q", strings.Join(strings.Fields(steps.Text()), " "))
	}

	funnel := b.get("/dashboard?campaign=" + slug).Doc.Find(`[data-testid="funnel-stage"][data-stage="step-2"]`)
	if !strings.Contains(funnel.Text(), label) || strings.Contains(funnel.Text(), "form_a_complete") {
		t.Errorf("the funnel's step 2 reads %q", funnel.Text())
	}

	// g4 did step 1 (and step 3 early): form A is next.
	guest := b.get("/participants/g4")
	if got := guest.text("progress-label"); got != "1 of 3 steps done · next: "+label {
		t.Errorf("g4's progress reads %q", got)
	}
	if got := guest.Doc.Find(`[data-testid="progress-step"]`).Eq(1).AttrOr("title", ""); got != label {
		t.Errorf("g4's second segment is titled %q", got)
	}

	filter := b.get("/invitations").Doc.Find(`select[name="step"] option[value="form_a_complete"]`)
	if strings.TrimSpace(filter.Text()) != label {
		t.Errorf("the step filter offers %q", filter.Text())
	}
}
