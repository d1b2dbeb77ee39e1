package console

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/tandemhq/tandem/models"
)

// A participant's page links to the download of their data, which is the
// API's export as a JSON attachment; only those who may read the audit log
// see the link or get the file.
func TestConsoleParticipantDataDownload(t *testing.T) {
	ob, owner := opsOwner(t)
	p := ob.get("/participants/alice")
	wantStatus(t, p, http.StatusOK)
	href := p.find("download-data").AttrOr("href", "")
	if href != "/participants/alice/export" {
		t.Fatalf("download link %q", href)
	}
	d := ob.get(href)
	wantStatus(t, d, http.StatusOK)
	if cd := d.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.HasSuffix(cd, `.json"`) {
		t.Errorf("Content-Disposition %q", cd)
	}
	var doc struct {
		Object      string `json:"object"`
		Participant struct {
			ExternalID string `json:"external_id"`
		} `json:"participant"`
		Rewards []map[string]any `json:"rewards"`
	}
	if err := json.Unmarshal([]byte(d.Body), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, d.Body)
	}
	if doc.Object != "participant_export" || doc.Participant.ExternalID != "alice" || len(doc.Rewards) == 0 {
		t.Errorf("export: %s", d.Body)
	}
	wantStatus(t, ob.get("/participants/nobody/export"), http.StatusNotFound)

	for _, sc := range []struct {
		role   string
		status int
	}{{models.RoleAdmin, http.StatusOK}, {models.RoleMarketer, http.StatusForbidden}, {models.RoleViewer, http.StatusForbidden}} {
		t.Run(sc.role, func(t *testing.T) {
			b := newBrowser(t, ob.app)
			logIn(t, b, addMember(t, owner.tenantID, sc.role))
			if shown := b.get("/participants/alice").find("download-data").Length() == 1; shown != (sc.status == http.StatusOK) {
				t.Errorf("download link shown: %v", shown)
			}
			wantStatus(t, b.get("/participants/alice/export"), sc.status)
		})
	}
}
