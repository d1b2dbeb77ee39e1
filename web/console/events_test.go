package console

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tandemhq/tandem/models"
)

func TestConsoleEventCatalog(t *testing.T) {
	app := newConsoleApp(t)
	b := newBrowser(t, app)
	owner := signUp(t, b)
	p := b.get("/events")
	wantStatus(t, p, http.StatusOK)
	builtin := p.Doc.Find(`[data-testid="event-definition"][data-event-name="invitation_claimed"]`)
	if builtin.Find(`[data-testid="builtin"]`).Length() != 1 || builtin.Find(`[data-testid="event-edit-form"]`).Length() != 0 {
		t.Error("the built-in event is not marked, or is editable")
	}

	// Define through htmx: the panel comes back, the list out of band.
	p = b.post("/events", url.Values{"name": {"purchase_complete"}, "description": {"Paid a first order."}}, "HX-Request", "true")
	wantStatus(t, p, http.StatusCreated)
	if p.find("event-defined").Length() != 1 || p.Doc.Find(`#event-definitions[hx-swap-oob]`).Length() != 1 {
		t.Fatalf("define answer: %s", p.Body)
	}
	if !strings.Contains(p.Doc.Find(`[data-event-name="purchase_complete"]`).Text(), "Paid a first order.") {
		t.Error("the new event is not in the list")
	}
	if opsAuditCount(t, owner, "event_definition.created", "purchase_complete") != 1 {
		t.Error("not audited")
	}

	// Mistakes come back next to the field, with what was typed.
	for _, sc := range []struct{ name, field string }{{"purchase_complete", "name"}, {"Bad Name", "name"}} {
		p := b.post("/events", url.Values{"name": {sc.name}, "description": {"typed"}}, "HX-Request", "true")
		wantStatus(t, p, http.StatusUnprocessableEntity)
		if p.text("error-"+sc.field) == "" || p.Doc.Find(`input[name="description"]`).AttrOr("value", "") != "typed" {
			t.Errorf("%q: error %q", sc.name, p.text("error-"+sc.field))
		}
	}

	// Edit a description in place.
	p = tableRows(t, b.post("/events/purchase_complete", url.Values{"description": {"Paid any order."}}, "HX-Request", "true"))
	wantStatus(t, p, http.StatusOK)
	if p.text("event-description") != "Paid any order." {
		t.Errorf("edited row: %q", p.text("event-description"))
	}
	wantStatus(t, b.post("/events/invitation_claimed", url.Values{"description": {"mine"}}), http.StatusConflict)
	wantStatus(t, b.post("/events/never_defined", url.Values{"description": {"x"}}), http.StatusNotFound)
	// Without htmx, post/redirect/get.
	wantRedirect(t, b.post("/events", url.Values{"name": {"signup_complete"}}), "/events")
	if n := b.get("/events").find("event-definition").Length(); n != 3 {
		t.Errorf("%d definitions, want 3", n)
	}

	// A marketer reads the catalog and cannot change it.
	mb := newBrowser(t, app)
	logIn(t, mb, addMember(t, owner.tenantID, models.RoleMarketer))
	mp := mb.get("/events")
	wantStatus(t, mp, http.StatusOK)
	if mp.find("event-define-form").Length()+mp.find("event-edit-form").Length() != 0 {
		t.Error("a marketer is shown the catalog's forms")
	}
	wantStatus(t, mb.post("/events", url.Values{"name": {"sneaky"}}), http.StatusForbidden)
	wantStatus(t, mb.post("/events/purchase_complete", url.Values{"description": {"sneaky"}}), http.StatusForbidden)
}
