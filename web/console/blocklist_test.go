package console

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestConsoleBlocklist: an owner replaces the blocklist one entry a line
// (stored normalised, audited); an entry the API refuses shows the form
// as typed with the error beside the field, naming the line, and saves
// nothing.
func TestConsoleBlocklist(t *testing.T) {
	b := newBrowser(t, newConsoleApp(t))
	owner := signUp(t, b)
	p := b.get("/blocklist")
	wantStatus(t, p, http.StatusOK)
	if p.find("blocklist-count").AttrOr("data-count", "") != "0" {
		t.Fatalf("a new tenant's blocklist: %s", p.text("blocklist-count"))
	}

	typed := "*@Example.com\r\n\r\n203.0.113.7/24\r\nnot an entry!"
	p = b.post("/blocklist", url.Values{"entries": {typed}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	if got := p.errorText("entries"); !strings.HasPrefix(got, "Line 4 (not an entry!):") || !strings.Contains(got, "IP address or range") {
		t.Errorf("error %q", got)
	}
	if got := p.text("blocklist-entries"); got != strings.TrimSpace(strings.ReplaceAll(typed, "\r\n", "\n")) {
		t.Errorf("the form lost what was typed: %q", got)
	}
	var n int
	env.Owner.Raw(`SELECT count(*) FROM fraud_blocklist WHERE tenant_id = ?`, owner.tenantID).Scan(&n)
	if n != 0 {
		t.Fatalf("a refused blocklist saved %d entries", n)
	}

	wantRedirect(t, b.post("/blocklist", url.Values{"entries": {"*@Example.com\n\n203.0.113.7/24\n"}}), "/blocklist")
	p = b.get("/blocklist")
	if got := p.text("blocklist-entries"); got != "*@example.com\n203.0.113.0/24" || p.text("flash-message") != "Blocklist saved: 2 entries." {
		t.Errorf("saved blocklist %q, flash %q", got, p.text("flash-message"))
	}
	if opsAuditCount(t, owner, "fraud.blocklist", "blocklist") != 1 {
		t.Error("not audited as the member")
	}
	wantStatus(t, b.post("/blocklist", url.Values{"entries": {strings.Repeat("a.example\n", 1001)}}), http.StatusUnprocessableEntity)
}
