package console

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tandemhq/tandem/models"
)

// A participant's page offers Erase to owners and admins, which asks first
// (saying what stays), needs the CSRF token, and lands on the participant's
// page under its pseudonym; the old external id then finds nothing.
func TestConsoleParticipantErase(t *testing.T) {
	ob, owner := opsOwner(t)
	href := ob.get("/participants/alice").find("erase-participant").AttrOr("href", "")
	if href != "/participants/alice/erase" {
		t.Fatalf("erase link %q", href)
	}
	ask := ob.get(href)
	wantStatus(t, ask, http.StatusOK)
	if stays := ask.find("erase-stays").Text(); !strings.Contains(stays, "reward tokens") || !strings.Contains(stays, "raffle") {
		t.Errorf("the confirmation does not say what stays: %q", stays)
	}
	wantStatus(t, ob.post(href, url.Values{"_csrf": {"forged"}}), http.StatusForbidden)
	wantStatus(t, ob.get("/participants/alice"), http.StatusOK)

	for _, sc := range []struct {
		role   string
		status int
	}{{models.RoleAdmin, http.StatusOK}, {models.RoleMarketer, http.StatusForbidden}, {models.RoleViewer, http.StatusForbidden}} {
		t.Run(sc.role, func(t *testing.T) {
			b := newBrowser(t, ob.app)
			logIn(t, b, addMember(t, owner.tenantID, sc.role))
			if shown := b.get("/participants/alice").find("erase-participant").Length() == 1; shown != (sc.status == http.StatusOK) {
				t.Errorf("erase link shown: %v", shown)
			}
			wantStatus(t, b.get(href), sc.status)
			if sc.status != http.StatusOK {
				wantStatus(t, b.post(href, nil), sc.status)
			}
		})
	}

	done := ob.post(href, nil)
	wantStatus(t, done, http.StatusSeeOther)
	next := done.Header.Get("Location")
	if !strings.HasPrefix(next, "/participants/erased_") {
		t.Fatalf("after erasure: %q", next)
	}
	p := ob.get(next)
	wantStatus(t, p, http.StatusOK)
	if p.find("participant-erased").Length() != 1 || p.find("erase-participant").Length() != 0 || strings.Contains(p.Body, "alice@") {
		t.Errorf("the erased participant's page:\n%s", p.find("participant-profile").Text())
	}
	wantStatus(t, ob.get("/participants/alice"), http.StatusNotFound)
	wantStatus(t, ob.post(href, nil), http.StatusNotFound)
}
