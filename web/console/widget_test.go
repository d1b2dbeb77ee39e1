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

	// The preview mints a short-lived token for the participant, on POST.
	p = b.post("/widget/preview", url.Values{"participant": {"host-1"}, "campaign": {"nope"}})
	if p.Doc.Find(`[role="alert"]`).Length() != 1 || p.find("widget-preview-element").Length() != 0 {
		t.Errorf("preview of an unknown campaign: %s", p.Doc.Find(`[data-testid="widget-preview"]`).Text())
	}
	env.InTenant(t, owner.tenantID, func(ctx context.Context) error {
		_, _, err := models.SaveCampaignDraft(ctx, "spring", models.CampaignInput{Name: "Spring", Mode: models.ModeReferrerCode,
			Rules: models.Rules{Steps: []string{"invitation_claimed"}}})
		return err
	})
	p = b.post("/widget/preview", url.Values{"participant": {"host-1"}, "campaign": {"spring"}})
	if token := p.find("widget-preview-element").AttrOr("token", ""); !strings.HasPrefix(token, "wt_") ||
		p.Doc.Find(`script[src^="/static/widget."]`).Length() != 1 {
		t.Errorf("preview: %s", p.Doc.Find(`[data-testid="widget-preview"]`).Text())
	}

	// A forged form mints nothing.
	wantStatus(t, b.post("/widget/preview", url.Values{"participant": {"host-1"}, "campaign": {"spring"}, "_csrf": {"forged"}}),
		http.StatusForbidden)

	// Marketers never see it.
	mb := newBrowser(t, app)
	logIn(t, mb, addMember(t, owner.tenantID, models.RoleMarketer))
	wantStatus(t, mb.get("/widget"), http.StatusForbidden)
	wantStatus(t, mb.post("/widget/settings", url.Values{"allowed_origins": {"https://evil.example"}}), http.StatusForbidden)
}

// A GET never writes: the old preview link, followed from another site
// (SameSite=Lax sends the session on a top-level GET), creates no
// participant and mints no token; it only fills the form in.
func TestConsoleWidgetPreviewLinkWritesNothing(t *testing.T) {
	app := newConsoleApp(t)
	b := newBrowser(t, app)
	owner := signUp(t, b)
	env.InTenant(t, owner.tenantID, func(ctx context.Context) error {
		_, _, err := models.SaveCampaignDraft(ctx, "spring", models.CampaignInput{Name: "Spring", Mode: models.ModeReferrerCode,
			Rules: models.Rules{Steps: []string{"invitation_claimed"}}})
		return err
	})
	count := func(table string) (n int64) {
		t.Helper()
		if err := env.Owner.Raw(`SELECT count(*) FROM `+table+` WHERE tenant_id = ?`, owner.tenantID).Scan(&n).Error; err != nil {
			t.Fatal(err)
		}
		return n
	}
	participants, tokens := count("participants"), count("widget_tokens")
	p := b.get("/widget?participant=planted&campaign=spring", "Sec-Fetch-Site", "cross-site")
	wantStatus(t, p, http.StatusOK)
	if p.find("widget-preview-element").Length() != 0 || count("participants") != participants || count("widget_tokens") != tokens {
		t.Fatalf("a GET minted a preview: %d participants (was %d), %d tokens (was %d)",
			count("participants"), participants, count("widget_tokens"), tokens)
	}
	if v := p.find("widget-preview-form").Find(`input[name="participant"]`).AttrOr("value", ""); v != "planted" {
		t.Errorf("the form is not filled in: %q", v)
	}
}
