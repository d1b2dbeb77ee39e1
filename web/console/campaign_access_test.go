package console

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tandemhq/tandem/models"
)

// TestCampaignRoles: marketers and viewers read every campaign page, see
// no button they may not use, and are refused (403) every change.
func TestCampaignRoles(t *testing.T) {
	ob, owner := builderOwner(t)
	slug := uniqueSlug("roles")
	v := threeStepCampaign(slug)
	createCampaign(t, ob, v)
	publishDraft(t, ob, slug, "")
	v.rows[0].amount = "12"
	wantRedirect(t, ob.post("/campaigns/"+slug+"/edit", v.form()), "/campaigns/"+slug) // a draft to publish

	for _, role := range []string{models.RoleViewer, models.RoleMarketer} {
		t.Run(role, func(t *testing.T) {
			m := addMember(t, owner.tenantID, role)
			b := newBrowser(t, ob.app)
			logIn(t, b, m)
			p := b.get("/campaigns")
			wantStatus(t, p, http.StatusOK)
			if p.find("new-campaign").Length() != 0 || p.find("campaign-row").Length() != 1 {
				t.Error("the list offers a new campaign, or hides the campaign")
			}
			p = b.get("/campaigns/" + slug)
			wantStatus(t, p, http.StatusOK)
			for _, id := range []string{"publish-link", "edit-draft", "campaign-pause", "campaign-end", "status-actions"} {
				if p.find(id).Length() != 0 {
					t.Errorf("the campaign page shows %s to a %s", id, role)
				}
			}
			if p.find("draft-rules").Length() != 1 || p.find("current-rules").Length() != 1 {
				t.Error("the rules are hidden from a reader")
			}
			wantStatus(t, b.get("/campaigns/"+slug+"/versions/1"), http.StatusOK)
			for _, path := range []string{"/campaigns/new", "/campaigns/" + slug + "/edit", "/campaigns/" + slug + "/publish",
				"/campaigns/" + slug + "/publish/preview"} {
				if p := b.get(path); p.Status != http.StatusForbidden || p.text("error-title") != errForbidden.Title {
					t.Errorf("GET %s: %d %q", path, p.Status, p.text("error-title"))
				}
			}
			form := v.form()
			form.Set("new_event_name", "sneaky_event")
			for _, path := range []string{"/campaigns/new", "/campaigns/" + slug + "/edit", "/campaigns/" + slug + "/editor",
				"/campaigns/" + slug + "/events", "/campaigns/new/events", "/campaigns/" + slug + "/publish",
				"/campaigns/" + slug + "/pause", "/campaigns/" + slug + "/end"} {
				wantStatus(t, b.post(path, form), http.StatusForbidden)
			}
		})
	}
	if status, version := campaignRow(t, owner.tenantID, slug); status != "active" || *version != 1 {
		t.Errorf("readers changed the campaign: %s v%d", status, *version)
	}
	var defined int
	env.Owner.Raw(`SELECT count(*) FROM event_definitions WHERE tenant_id = ? AND name = 'sneaky_event'`, owner.tenantID).Scan(&defined)
	if defined != 0 {
		t.Error("a reader defined an event")
	}

	// An admin may do it all.
	admin := addMember(t, owner.tenantID, models.RoleAdmin)
	ab := newBrowser(t, ob.app)
	logIn(t, ab, admin)
	p := ab.get("/campaigns/" + slug)
	if p.find("publish-link").Length() != 1 || p.find("campaign-pause").Length() != 1 {
		t.Error("an admin lacks the buttons")
	}
	publishDraft(t, ab, slug, models.InflightKeep)
}

// TestCampaignCSRF: every builder action needs the session's token.
func TestCampaignCSRF(t *testing.T) {
	b, owner := builderOwner(t)
	slug := uniqueSlug("csrf")
	v := threeStepCampaign(slug)
	createCampaign(t, b, v)
	other := newBrowser(t, b.app)
	signUp(t, other)
	other.get("/campaigns")

	for _, path := range []string{"/campaigns/new", "/campaigns/" + slug + "/edit", "/campaigns/" + slug + "/editor",
		"/campaigns/" + slug + "/events", "/campaigns/" + slug + "/publish", "/campaigns/" + slug + "/pause"} {
		for name, token := range map[string]string{"missing": "", "foreign": other.csrf} {
			form := v.form()
			form.Set("name", "Changed")
			form.Set("_csrf", token)
			p := b.post(path, form)
			if p.Status != http.StatusForbidden || p.text("error-title") != errCSRF.Title {
				t.Errorf("%s token on %s: %d %q", name, path, p.Status, p.text("error-title"))
			}
		}
	}
	var name string
	env.Owner.Raw(`SELECT name FROM campaigns WHERE tenant_id = ? AND slug = ?`, owner.tenantID, slug).Scan(&name)
	if name != v.name {
		t.Error("a request without the token changed the campaign")
	}
	if status, _ := campaignRow(t, owner.tenantID, slug); status != "draft" {
		t.Error("a request without the token published")
	}
}

// TestCampaignIsolation: a member of tenant B gets 404 for every console
// URL of tenant A's campaign, and sees nothing of it.
func TestCampaignIsolation(t *testing.T) {
	ab, a := builderOwner(t)
	slug := uniqueSlug("secret-plan")
	v := threeStepCampaign(slug)
	v.name = "Tenant A's secret plan " + slug
	createCampaign(t, ab, v)
	publishDraft(t, ab, slug, "")
	v.rows[0].amount = "99"
	wantRedirect(t, ab.post("/campaigns/"+slug+"/edit", v.form()), "/campaigns/"+slug)

	bb, bOwner := builderOwner(t)
	if status, _ := campaignRow(t, bOwner.tenantID, slug); status != "" {
		t.Fatal("tenant B has a campaign with the same slug: the test would prove nothing")
	}
	list := bb.get("/campaigns")
	wantStatus(t, list, http.StatusOK)
	if strings.Contains(list.Body, slug) || list.find("empty-state").Length() != 1 {
		t.Error("tenant B's list shows tenant A's campaign")
	}
	form := v.form()
	form.Set("new_event_name", "b_event")
	for _, sc := range []struct{ method, path string }{
		{http.MethodGet, "/campaigns/" + slug},
		{http.MethodGet, "/campaigns/" + slug + "/edit"},
		{http.MethodGet, "/campaigns/" + slug + "/publish"},
		{http.MethodGet, "/campaigns/" + slug + "/publish/preview"},
		{http.MethodGet, "/campaigns/" + slug + "/versions/1"},
		{http.MethodPost, "/campaigns/" + slug + "/edit"},
		{http.MethodPost, "/campaigns/" + slug + "/editor"},
		{http.MethodPost, "/campaigns/" + slug + "/events"},
		{http.MethodPost, "/campaigns/" + slug + "/publish"},
		{http.MethodPost, "/campaigns/" + slug + "/pause"},
		{http.MethodPost, "/campaigns/" + slug + "/resume"},
		{http.MethodPost, "/campaigns/" + slug + "/end"},
	} {
		var p *page
		if sc.method == http.MethodGet {
			p = bb.get(sc.path)
		} else {
			p = bb.post(sc.path, url.Values(cloneValues(form)))
		}
		if p.Status != http.StatusNotFound {
			t.Errorf("%s %s: %d", sc.method, sc.path, p.Status)
		}
		if strings.Contains(p.Doc.Find("body").Text(), "secret plan") {
			t.Errorf("%s %s shows tenant A's campaign", sc.method, sc.path)
		}
	}
	if status, version := campaignRow(t, a.tenantID, slug); status != "active" || *version != 1 {
		t.Error("tenant B changed tenant A's campaign")
	}
	if status, _ := campaignRow(t, bOwner.tenantID, slug); status != "" {
		t.Error("tenant B's save created a campaign under A's slug")
	}
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}
