package console

import (
	"net/http"
	"strings"
	"testing"
)

// TestCampaignReviewSettings: the builder saves a version's review rules
// and shows them again; the publish page's diff says when they change, and
// the published rules show them; blocking without review is refused next
// to its field.
func TestCampaignReviewSettings(t *testing.T) {
	b, _ := builderOwner(t)
	slug := uniqueSlug("review")
	v := threeStepCampaign(slug)
	form := v.form()
	form.Set("review", "risky")
	form.Set("review_threshold", "high")
	form.Set("block_high_risk", "1")
	form.Set("velocity_claims", "3")
	form.Set("velocity_window", "15")
	wantStatus(t, b.get("/campaigns/new"), http.StatusOK)
	wantRedirect(t, b.post("/campaigns/new", form), "/campaigns/"+slug)

	edit := b.get("/campaigns/" + slug + "/edit")
	wantStatus(t, edit, http.StatusOK)
	review, _ := edit.Doc.Find(`select[name="review"] option[selected]`).Attr("value")
	threshold, _ := edit.Doc.Find(`select[name="review_threshold"] option[selected]`).Attr("value")
	if review != "risky" || threshold != "high" || edit.Doc.Find(`input[name="block_high_risk"][checked]`).Length() != 1 {
		t.Fatalf("the editor shows review %q, threshold %q, block %d", review, threshold, edit.Doc.Find(`input[name="block_high_risk"][checked]`).Length())
	}
	claims, _ := edit.Doc.Find(`input[name="velocity_claims"]`).Attr("value")
	window, _ := edit.Doc.Find(`input[name="velocity_window"]`).Attr("value")
	if claims != "3" || window != "15" {
		t.Fatalf("the editor shows velocity %q claims in %q minutes, want 3 in 15", claims, window)
	}
	p := publishDraft(t, b, slug, "")
	if got := p.text("current-rules-velocity"); !strings.Contains(got, "beyond 3 in 15 minutes") {
		t.Errorf("published rules' velocity: %q", got)
	}
	if got := p.text("current-rules-review"); !strings.Contains(got, "high risk signal are held") || !strings.Contains(got, "refused") {
		t.Errorf("published rules' review: %q", got)
	}

	form.Set("review", "off")
	bad := b.post("/campaigns/"+slug+"/edit", form)
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	if got := bad.errorText("block_high_risk"); !strings.Contains(got, "review") {
		t.Errorf("blocking without review: error %q", got)
	}
	form.Set("velocity_claims", "many")
	bad = b.post("/campaigns/"+slug+"/edit", form)
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	if got := bad.errorText("velocity_claims"); !strings.Contains(got, "whole number") {
		t.Errorf("velocity as words: error %q", got)
	}
	form.Set("velocity_claims", "")
	form.Set("review", "all")
	form.Del("block_high_risk")
	wantRedirect(t, b.post("/campaigns/"+slug+"/edit", form), "/campaigns/"+slug)
	pub := b.get("/campaigns/" + slug + "/publish")
	wantStatus(t, pub, http.StatusOK)
	if got := strings.Join(pub.texts("diff-change"), " | "); !strings.Contains(got, "every reward is held for review (was: rewards of referrals with a high") ||
		!strings.Contains(got, "beyond 10 in 15 minutes carry the velocity signal (was: a host's claims beyond 3 in 15") {
		t.Errorf("publish diff: %q", got)
	}
}
