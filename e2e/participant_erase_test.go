package e2e

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/tandemhq/tandem/models"
)

// TestE2EParticipantErase: an owner opens a participant, downloads their
// data (everything held about her, her e-mail and name included), asks to
// erase them, reads what stays, confirms, and lands on the
// participant under its pseudonym, marked erased, without a console error
// or CSP violation.
func TestE2EParticipantErase(t *testing.T) {
	if testing.Short() {
		t.Skip("the browser test is slow; -short skips it")
	}
	b := newChrome(t, findChromium(t), startServer(t))
	b.open("/signup")
	b.fill(`input[name="name"]`, "Erasure Espresso")
	b.fill(`input[name="email"]`, "owner@erasure-espresso.test")
	b.fill(`input[name="password"]`, ownerPass)
	b.clickAndLoad(testid("signup-submit"), "/signup")
	b.clickAndLoad(testid("continue"), "/")
	env.InTenant(t, env.TenantNamed(t, "Erasure Espresso"), func(ctx context.Context) error {
		email, name := "nora@erasure-espresso.test", "Nora Erasmus"
		_, _, err := models.UpsertParticipant(ctx, models.ParticipantInput{ExternalID: "nora-1", Email: &email, DisplayName: &name})
		return err
	})

	b.open("/participants/nora-1")
	b.mustSee(testid("download-data"), "the download of her data")
	export := downloadData(b)
	for _, want := range []string{"nora-1", "nora@erasure-espresso.test", "Nora Erasmus"} {
		if !strings.Contains(export, want) {
			t.Errorf("her export lacks %q: %.300s", want, export)
		}
	}
	b.clickAndLoad(testid("erase-participant"), "/participants/nora-1/erase")
	b.mustSee(testid("erase-stays"), "what erasure keeps")
	b.screenshot("participant-erase")
	b.checkClean("the erasure's confirmation")
	b.press(testid("erase-confirm"))
	b.waitFor(`location.pathname.startsWith("/participants/erased_")`, "the erased participant's page")
	b.waitReady("the erased participant's page")
	b.mustSee(testid("participant-erased"), "when she was erased")
	b.assertText(testid("flash-message"), "nora-1 is erased")
	if b.count(testid("erase-participant")) != 0 {
		t.Error("an erased participant is offered Erase again")
	}
	// The export after erasure says so and holds nothing of what was erased.
	export = downloadData(b)
	for _, gone := range []string{"nora-1", "nora@erasure-espresso.test", "Nora Erasmus"} {
		if strings.Contains(export, gone) {
			t.Errorf("the export after erasure still holds %q", gone)
		}
	}
	if !strings.Contains(export, "erased_at") {
		t.Errorf("the export after erasure does not say when: %.300s", export)
	}
	b.checkClean("the erased participant's page")
}

// downloadData fetches the page's "Download data" link as the signed-in
// member's browser does, and returns the JSON document it answers.
func downloadData(b *chrome) string {
	b.t.Helper()
	eval[bool](b, `(window.__download = null, fetch(document.querySelector('`+testid("download-data")+`').href)
		.then(function (r) { return r.text(); }).then(function (t) { window.__download = t; }), true)`)
	b.waitFor(`window.__download !== null`, "the download of the participant's data")
	text := eval[string](b, `window.__download`)
	if !json.Valid([]byte(text)) {
		b.t.Fatalf("the download is not JSON: %.300s", text)
	}
	return text
}
