package console

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tandemhq/tandem/models"
)

func TestConsoleWidgetPage(t *testing.T) {
	app := newConsoleApp(t)
	b := newBrowser(t, app)
	owner := signUp(t, b)
	p := b.get("/widget")
	wantStatus(t, p, http.StatusOK)
	if !strings.Contains(p.text("widget-snippet-code"), "/widget.js\" data-key=\"pk_…\" async></script>") ||
		p.find("widget-publishable-keys").Find("li").Length() != 1 {
		t.Errorf("snippet %q, publishable keys %q", p.text("widget-snippet-code"), p.text("widget-publishable-keys"))
	}

	// Origins are checked, saved (audited) and shown again.
	p = b.post("/widget/settings", url.Values{"allowed_origins": {"https://shop.example/app"}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	if p.text("error-allowed_origins") == "" || p.Doc.Find(`textarea[name="allowed_origins"]`).Text() != "https://shop.example/app" {
		t.Errorf("bad origin: %q", p.text("error-allowed_origins"))
	}
	wantRedirect(t, b.post("/widget/settings", url.Values{"allowed_origins": {"https://Shop.example\nhttp://localhost:3000"}}), "/widget")
	if got := b.get("/widget").Doc.Find(`textarea[name="allowed_origins"]`).Text(); got != "https://shop.example\nhttp://localhost:3000" {
		t.Errorf("saved origins shown as %q", got)
	}
	if opsAuditCount(t, owner, "widget.settings_saved", "widget") != 1 {
		t.Error("saving origins is not audited once")
	}

	// The preview mints a short-lived token for the participant.
	p = b.get("/widget?participant=host-1&campaign=nope")
	if p.Doc.Find(`[role="alert"]`).Length() != 1 || p.find("widget-preview-element").Length() != 0 {
		t.Errorf("preview of an unknown campaign: %s", p.Doc.Find(`[data-testid="widget-preview"]`).Text())
	}
	env.InTenant(t, owner.tenantID, func(ctx context.Context) error {
		_, _, err := models.SaveCampaignDraft(ctx, "spring", models.CampaignInput{Name: "Spring", Mode: models.ModeReferrerCode,
			Rules: models.Rules{Steps: []string{"invitation_claimed"}}})
		return err
	})
	p = b.get("/widget?participant=host-1&campaign=spring")
	if token := p.find("widget-preview-element").AttrOr("token", ""); !strings.HasPrefix(token, "wt_") ||
		p.Doc.Find(`script[src^="/static/widget."]`).Length() != 1 {
		t.Errorf("preview: %s", p.Doc.Find(`[data-testid="widget-preview"]`).Text())
	}

	// Marketers never see it.
	mb := newBrowser(t, app)
	logIn(t, mb, addMember(t, owner.tenantID, models.RoleMarketer))
	wantStatus(t, mb.get("/widget"), http.StatusForbidden)
	wantStatus(t, mb.post("/widget/settings", url.Values{"allowed_origins": {"https://evil.example"}}), http.StatusForbidden)
}
