package console

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/tandemhq/tandem/models"
)

func TestConsoleAuditLog(t *testing.T) {
	b, owner := opsOwner(t)
	b.get("/events")
	wantRedirect(t, b.post("/events", url.Values{"name": {"cart_filled"}, "description": {"first"}}), "/events")
	wantRedirect(t, b.post("/events/cart_filled", url.Values{"description": {"second"}}), "/events")

	p := b.get("/audit")
	wantStatus(t, p, http.StatusOK)
	if p.find("audit-entry").Length() < 10 {
		t.Fatalf("%d entries", p.find("audit-entry").Length())
	}
	first := p.find("audit-entry").First()
	if first.AttrOr("data-action", "") != "event_definition.updated" || strings.TrimSpace(first.Find(`[data-testid="audit-actor"]`).Text()) != owner.email {
		t.Errorf("newest entry: %s by %q", first.AttrOr("data-action", ""), first.Find(`[data-testid="audit-actor"]`).Text())
	}
	change := first.Find(`[data-testid="audit-change"][data-field="description"]`)
	if change.Length() != 1 || strings.TrimSpace(change.Find(".diff-before").Text()) != "first" || strings.TrimSpace(change.Find(".diff-after").Text()) != "second" {
		t.Errorf("diff: %q", first.Find(`[data-testid="audit-diff"]`).Text())
	}
	if first.Find(`[data-testid="audit-change"][data-field="name"]`).Length() != 0 {
		t.Error("an unchanged field is listed as changed")
	}
	if !strings.Contains(p.Body, "Tandem") && !strings.Contains(p.Body, "system") {
		t.Error("the system's entries have no actor")
	}

	for _, sc := range []struct{ query, prefix, actor string }{
		{"action=event_definition.", "event_definition.", ""},
		{"action=EVENT_DEF", "event_definition.", ""},
		{"actor=member:" + owner.memberID, "", owner.email},
		{"action=member.&actor=system", "member.", "Tandem"},
	} {
		p := b.get("/audit?" + sc.query)
		wantStatus(t, p, http.StatusOK)
		if p.find("audit-entry").Length() == 0 {
			t.Errorf("%q: nothing listed", sc.query)
		}
		for _, a := range listed(p, "audit-entry", "data-action") {
			if !strings.HasPrefix(a, sc.prefix) {
				t.Errorf("%q: lists %s", sc.query, a)
			}
		}
		for _, who := range listedText(p, "audit-actor") {
			if sc.actor != "" && who != sc.actor {
				t.Errorf("%q: actor %q", sc.query, who)
			}
		}
	}
	if p := b.get("/audit?action=nothing_like_this"); p.find("empty-state").Length() != 1 {
		t.Error("no empty state for a filter that matches nothing")
	}
	if p := b.get("/audit?action=%25"); p.find("audit-entry").Length() != 0 {
		t.Error("% is a wildcard in the action filter")
	}

	// A reward's change shows its status, not its whole record as new.
	b.get("/rewards")
	wantStatus(t, b.post("/rewards/"+opsRewardID(t, owner.tenantID, "bob", "$5 off")+"/redeem", nil), http.StatusSeeOther)
	redeemed := b.get("/audit?action=reward.").find("audit-entry").First()
	if fields := listed(&page{Doc: goquery.NewDocumentFromNode(redeemed.Nodes[0])}, "audit-change", "data-field"); strings.Join(fields, ",") != "status" {
		t.Errorf("reward.redeemed lists %v", fields)
	}
	if !strings.Contains(redeemed.Find(".audit-raw").Text(), `"participant": "bob"`) {
		t.Error("the full record is not shown")
	}

	mb := newBrowser(t, b.app)
	logIn(t, mb, addMember(t, owner.tenantID, models.RoleMarketer))
	wantStatus(t, mb.get("/audit"), http.StatusForbidden)
}
