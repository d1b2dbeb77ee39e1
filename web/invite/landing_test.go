package invite_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/tandemhq/tandem/internal/dbtest"
	"github.com/tandemhq/tandem/internal/webtest"
	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
	"github.com/tandemhq/tandem/web"
)

var env *dbtest.Env

func TestMain(m *testing.M) { dbtest.Main(m, "invite", &env) }

// apiTenant is a tenant with its secret key and the whole app (web.New):
// its campaigns are set up through the API, its pages read at /i/{code}.
type apiTenant struct {
	app       *fiber.App
	created   tenants.Created
	secretKey string
}

func newAPITenant(t *testing.T) *apiTenant {
	t.Helper()
	created := webtest.NewTenant(t, env.App)
	return &apiTenant{app: web.New(web.Config{DB: env.App, PublicURL: "https://tandem.test"}), created: created, secretKey: created.SecretKey}
}

// call sends one request with the tenant's secret key.
func (a *apiTenant) call(t *testing.T, method, path string, body any) webtest.Response {
	t.Helper()
	return webtest.Do(t, a.app, method, path, body, "Authorization", "Bearer "+a.secretKey)
}

// inviteCampaign is a published, active campaign of a fresh tenant.
type inviteCampaign struct {
	*apiTenant
	tenantName string
}

// newInviteCampaign publishes campaign "friends" ("Bring a friend") in mode
// through the API, with a guest reward and signupURL.
func newInviteCampaign(t *testing.T, mode, signupURL string) *inviteCampaign {
	t.Helper()
	a := newAPITenant(t)
	if r := a.call(t, "POST", "/v1/event-definitions", map[string]any{"name": "signup_complete"}); r.Status != http.StatusCreated {
		t.Fatalf("define event: %d %s", r.Status, r.Body)
	}
	reward := map[string]any{"description": "$10 off your first order", "kind": "coupon", "quantity": 1}
	r := a.call(t, "PUT", "/v1/campaigns/friends", map[string]any{
		"name": "Bring a friend", "mode": mode, "quest": map[string]any{"steps": []string{"signup_complete"}},
		"host_milestones": []any{map[string]any{"count": 1, "reward": reward}},
		"guest_reward":    reward, "signup_url": signupURL,
	})
	if r.Status != http.StatusOK {
		t.Fatalf("put campaign: %d %s", r.Status, r.Body)
	}
	if r := a.call(t, "POST", "/v1/campaigns/friends/publish", map[string]any{"inflight": "keep"}); r.Status != http.StatusOK {
		t.Fatalf("publish: %d %s", r.Status, r.Body)
	}
	ic := &inviteCampaign{apiTenant: a}
	ic.do(t, func(ctx context.Context) (err error) {
		tenant, err := models.CurrentTenant(ctx)
		ic.tenantName = tenant.Name
		return err
	})
	return ic
}

// do runs fn in the tenant's transaction.
func (ic *inviteCampaign) do(t *testing.T, fn func(ctx context.Context) error) {
	t.Helper()
	if err := tenants.WithTenant(context.Background(), env.App, ic.created.TenantID, fn); err != nil {
		t.Fatal(err)
	}
}

// invite has host (with displayName) create a manual invitation and returns its code.
func (ic *inviteCampaign) invite(t *testing.T, host, displayName string) string {
	t.Helper()
	var code string
	ic.do(t, func(ctx context.Context) error {
		if _, _, err := models.UpsertParticipant(ctx, models.ParticipantInput{ExternalID: host, DisplayName: &displayName}); err != nil {
			return err
		}
		inv, err := models.CreateInvitation(ctx, "friends", models.InvitationInput{Host: host})
		code = inv.Code
		return err
	})
	return code
}

// invitePage is a fetched landing page.
type invitePage struct {
	status int
	header http.Header
	doc    *goquery.Document
}

func getInvitePage(t *testing.T, ic *inviteCampaign, path string) invitePage {
	t.Helper()
	return parseInvitePage(t, webtest.Do(t, ic.app, "GET", path, nil))
}

func parseInvitePage(t *testing.T, r webtest.Response) invitePage {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(r.Body))
	if err != nil {
		t.Fatal(err)
	}
	return invitePage{status: r.Status, header: r.Header, doc: doc}
}

// text is the trimmed text of the element with this data-testid.
func (p invitePage) text(testID string) string {
	return strings.TrimSpace(p.doc.Find(`[data-testid="` + testID + `"]`).Text())
}

func (p invitePage) has(testID string) bool {
	return p.doc.Find(`[data-testid="`+testID+`"]`).Length() > 0
}

func TestInviteLinkPendingInvitation(t *testing.T) {
	ic := newInviteCampaign(t, models.ModeInvitation, "https://shop.example/join?plan=pro&utm_source=tandem")
	code := ic.invite(t, "host-1", "Maya")
	ic.nameHosts(t)

	for _, path := range []string{"/i/" + code, "/i/" + strings.ToLower(code)} {
		p := getInvitePage(t, ic, path)
		if p.status != http.StatusOK {
			t.Fatalf("%s: status %d", path, p.status)
		}
		for testID, want := range map[string]string{
			"tenant-name":     ic.tenantName,
			"campaign-name":   "Bring a friend",
			"invite-headline": "Maya invited you to join " + ic.tenantName,
			"guest-reward":    "$10 off your first order",
			"invite-code":     code,
		} {
			if got := p.text(testID); got != want {
				t.Errorf("%s: %s = %q, want %q", path, testID, got, want)
			}
		}
		wantHref := "https://shop.example/join?plan=pro&utm_source=tandem&ref=" + code
		if href, _ := p.doc.Find(`[data-testid="signup-link"]`).Attr("href"); href != wantHref {
			t.Errorf("%s: signup link %q, want %q", path, href, wantHref)
		}
		if got := p.header.Get("Cache-Control"); got != "no-store" {
			t.Errorf("%s: Cache-Control %q", path, got)
		}
		if got := p.header.Get("Content-Type"); !strings.HasPrefix(got, "text/html") {
			t.Errorf("%s: Content-Type %q", path, got)
		}
	}
}

func TestInviteLinkReferrerCode(t *testing.T) {
	ic := newInviteCampaign(t, models.ModeReferrerCode, "")
	var code string
	ic.do(t, func(ctx context.Context) (err error) {
		code, err = models.ReferrerCode(ctx, "friends", "host-1") // no display name
		return err
	})
	p := getInvitePage(t, ic, "/i/"+code)
	if p.status != http.StatusOK {
		t.Fatalf("status %d", p.status)
	}
	if got, want := p.text("invite-headline"), "A friend recommends "+ic.tenantName+" to you"; got != want {
		t.Errorf("headline = %q, want %q (a neutral friend, in the words of a code shared)", got, want)
	}
	if p.has("signup-link") || p.text("invite-code") != code {
		t.Errorf("without a sign-up URL the page shows the code to enter: link %v, code %q", p.has("signup-link"), p.text("invite-code"))
	}
}

func TestInviteLinkUnavailable(t *testing.T) {
	ic := newInviteCampaign(t, models.ModeInvitation, "https://shop.example/join")
	claimed := ic.invite(t, "host-1", "Maya")
	ic.do(t, func(ctx context.Context) error {
		_, err := models.Claim(ctx, claimed, "guest-1")
		return err
	})
	expired := ic.invite(t, "host-1", "Maya")
	expireInvitation(t, expired)

	paused := newInviteCampaign(t, models.ModeInvitation, "https://shop.example/join")
	pausedCode := paused.invite(t, "host-2", "Sam")
	if r := paused.call(t, "POST", "/v1/campaigns/friends/pause", nil); r.Status != http.StatusOK {
		t.Fatalf("pause: %d %s", r.Status, r.Body)
	}

	for _, tc := range []struct {
		name       string
		ic         *inviteCampaign
		path       string
		wantStatus int
		wantTitle  string
	}{
		{"unknown code", ic, "/i/ABCD2345", http.StatusNotFound, "We can't find this invitation"},
		{"malformed code", ic, "/i/not-a-code", http.StatusNotFound, "We can't find this invitation"},
		{"claimed invitation", ic, "/i/" + claimed, http.StatusGone, "This invitation has already been used"},
		{"expired invitation", ic, "/i/" + strings.ToLower(expired), http.StatusGone, "This invitation has expired"},
		{"paused campaign", paused, "/i/" + pausedCode, http.StatusGone, "Bring a friend isn't running right now"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := getInvitePage(t, tc.ic, tc.path)
			if p.status != tc.wantStatus || p.text("unavailable-title") != tc.wantTitle {
				t.Fatalf("got %d %q, want %d %q", p.status, p.text("unavailable-title"), tc.wantStatus, tc.wantTitle)
			}
			if p.has("signup-link") || !strings.HasPrefix(p.header.Get("Content-Type"), "text/html") {
				t.Errorf("a dead link is a plain page: signup link %v, Content-Type %q", p.has("signup-link"), p.header.Get("Content-Type"))
			}
		})
	}
}

// expireInvitation moves an invitation's expiry into the past. The schema
// keeps expires_at fixed, so this steps around the triggers as the owner,
// as only a test may.
func expireInvitation(t *testing.T, code string) {
	t.Helper()
	dbtest.WithoutTriggers(t, env.Owner, func(tx *gorm.DB) error {
		return tx.Exec(`UPDATE invitations SET expires_at = now() - interval '1 minute' WHERE code = ?`, code).Error
	})
}

func TestInviteStylesheetIsServed(t *testing.T) {
	r := webtest.Do(t, web.New(web.Config{DB: env.App}), "GET", "/static/invite.css", nil)
	if r.Status != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/css") || !bytes.Contains(r.Body, []byte(".card")) {
		t.Fatalf("got %d %q", r.Status, r.Header.Get("Content-Type"))
	}
}
