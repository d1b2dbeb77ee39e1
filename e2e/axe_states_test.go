package e2e

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/chromedp/chromedp"
	"gorm.io/gorm"

	"github.com/tandemhq/tandem/internal/dbtest"
	"github.com/tandemhq/tandem/tenants"
)

// formError is what a form answered with its errors shows: a field's
// error, or the form's own.
const formError = `.field-error, .form-error`

// refusedForm is one of the console's main forms filled so that the server
// refuses it, and the answer it gets.
type refusedForm struct {
	page   string            // where the form is
	fields map[string]string // selector → value typed
	choose map[string]string // select → option
	submit string
	// status is the refusal's; htmx forms are answered in place, the others
	// with a new page at post (the path posted to).
	status int64
	htmx   bool
	post   string
}

// TestE2EAxeErrorAndHTMXStates runs axe where TestE2EWidths does not look:
// the console's main forms answered with their errors (through htmx or as
// a page), pages after an htmx swap, and the invite page of a code that
// leads nowhere (unknown, used, expired, campaign paused). A violation
// fails naming the state.
func TestE2EAxeErrorAndHTMXStates(t *testing.T) {
	if testing.Short() {
		t.Skip("the browser test is slow; -short skips it")
	}
	execPath := findChromium(t)
	base := startServer(t)
	const email, password = "owner@axe-states.example", "correct horse battery"
	tenant, err := tenants.Create(context.Background(), env.App, tenants.NewTenant{Name: "Axe States", OwnerEmail: email, OwnerPassword: password})
	if err != nil {
		t.Fatal(err)
	}
	api := &apiClient{t: t, base: base, key: tenant.SecretKey}
	api.want(201, "POST", "/v1/event-definitions", map[string]any{"name": "signed_up"})
	for _, slug := range []string{"autumn", "winter"} {
		api.want(200, "PUT", "/v1/campaigns/"+slug, map[string]any{"name": "Campaign " + slug, "mode": "invitation",
			"quest":           map[string]any{"steps": []string{"signed_up"}},
			"host_milestones": []any{map[string]any{"count": 1, "reward": map[string]any{"description": "a ticket", "kind": "ticket"}}}})
		api.want(200, "POST", "/v1/campaigns/"+slug+"/publish", nil)
	}
	invite := func(slug string) string {
		return api.want(201, "POST", "/v1/campaigns/"+slug+"/invitations", map[string]any{"host": "hana"})["code"].(string)
	}
	claimed, expired, paused := invite("autumn"), invite("autumn"), invite("winter")
	api.want(201, "POST", "/v1/claims", map[string]any{"code": claimed, "guest": "gina"})
	api.want(202, "POST", "/v1/events", map[string]any{"participant": "gina", "name": "signed_up"}) // a ticket to draw
	dbtest.WithoutTriggers(t, env.Owner, func(tx *gorm.DB) error {
		return tx.Exec(`UPDATE invitations SET expires_at = now() - interval '1 minute' WHERE code = ?`, expired).Error
	})
	api.want(200, "POST", "/v1/campaigns/winter/pause", nil)

	c := newChrome(t, execPath, base)
	for _, p := range []struct {
		code   string
		status int64
	}{{"ZZZZZZZZ", http.StatusNotFound}, {claimed, http.StatusGone}, {expired, http.StatusGone}, {paused, http.StatusGone}} {
		path := "/i/" + p.code
		c.expectFailure(path, p.status)
		c.do("open "+path, chromedp.Navigate(base+path))
		c.waitFor(`document.readyState === "complete" && document.querySelector("[data-testid=unavailable-title]")`, "the page of a code that leads nowhere")
		c.checkAxe(t, fmt.Sprintf("the invite page of %s (%d)", path, p.status))
		c.checkClean(path)
	}

	// Signed out: a wrong password, a refused sign-up.
	refuse := func(f refusedForm) {
		t.Helper()
		c.open(f.page)
		for sel, v := range f.fields {
			c.fill(sel, v)
		}
		for sel, v := range f.choose {
			c.choose(sel, v)
		}
		// The server's refusal is the state under test: the browser's own
		// checks (required, type=url) would stop the form first.
		eval[bool](c, `(document.querySelectorAll("form").forEach(function (f) { f.noValidate = true; }), true)`)
		c.expectFailure(f.post, f.status)
		if f.htmx {
			c.click(f.submit)
		} else {
			c.clickAndLoad(f.submit, f.post)
		}
		c.mustSee(formError, "the form's errors on "+f.page)
		where := fmt.Sprintf("%s refused (%d)", f.page, f.status)
		c.checkAxe(t, where)
		c.checkClean(where)
	}
	refuse(refusedForm{page: "/login", fields: map[string]string{`input[name="email"]`: email, `input[name="password"]`: "not the password"},
		submit: testid("login-submit"), status: http.StatusUnauthorized, post: "/login"})
	refuse(refusedForm{page: "/signup", fields: map[string]string{`input[name="name"]`: "", `input[name="email"]`: "nobody", `input[name="password"]`: "short"},
		submit: testid("signup-submit"), status: http.StatusUnprocessableEntity, post: "/signup"})

	c.open("/login")
	c.fill(`input[name="email"]`, email)
	c.fill(`input[name="password"]`, password)
	c.clickAndLoad(testid("login-submit"), "/")
	for _, f := range []refusedForm{
		{page: "/campaigns/new", fields: map[string]string{`#campaign-form input[name="name"]`: ""}, submit: testid("save-draft"),
			status: http.StatusUnprocessableEntity, htmx: true, post: "/campaigns/new"},
		{page: "/events", fields: map[string]string{`[data-testid="event-define-form"] input[name="name"]`: "Not A Name"},
			submit: testid("event-define-submit"), status: http.StatusUnprocessableEntity, htmx: true, post: "/events"},
		{page: "/api-keys", fields: map[string]string{`[data-testid="api-key-form"] input[name="name"]`: ""}, choose: map[string]string{
			`[data-testid="api-key-form"] select[name="kind"]`: "publishable"}, submit: testid("api-key-create"),
			status: http.StatusUnprocessableEntity, htmx: true, post: "/api-keys"},
		{page: "/raffles", fields: map[string]string{`[data-testid="raffle-form"] input[name="winners"]`: "0"}, submit: testid("raffle-review"),
			status: http.StatusUnprocessableEntity, htmx: true, post: "/raffles/confirm"},
		{page: "/webhooks", fields: map[string]string{`[data-testid="webhook-form"] input[name="url"]`: "not a url"}, submit: testid("webhook-create"),
			status: http.StatusUnprocessableEntity, post: "/webhooks"},
		{page: "/team", fields: map[string]string{`[data-testid="invite-form"] input[name="email"]`: "nobody"}, submit: testid("invite-submit"),
			status: http.StatusUnprocessableEntity, htmx: true, post: "/team/invitations"},
		{page: "/widget", fields: map[string]string{`[data-testid="widget-origins-form"] textarea[name="allowed_origins"]`: "not an origin"},
			submit: testid("widget-origins-save"), status: http.StatusUnprocessableEntity, post: "/widget/settings"},
		{page: "/settings/retention", fields: map[string]string{`input[name="webhook_days"]`: "0"}, submit: testid("retention-save"),
			status: http.StatusUnprocessableEntity, post: "/settings/retention"},
		{page: "/branding", fields: map[string]string{`input[name="logo_url"]`: "ftp://logo"}, submit: testid("branding-save"),
			status: http.StatusUnprocessableEntity, post: "/branding"},
		{page: "/branding", fields: map[string]string{`input[name="texts.fr.widget_no_rewards"]`: "{oops}"}, submit: testid("guest-texts-save"),
			status: http.StatusUnprocessableEntity, post: "/branding/texts"},
	} {
		refuse(f)
	}

	// Pages after a successful htmx swap: an event defined into the
	// catalog (its row swapped in out of band), a step added in the
	// campaign editor, the dashboard switched to another campaign.
	c.open("/events")
	c.fill(`[data-testid="event-define-form"] input[name="name"]`, "first_order")
	c.click(testid("event-define-submit"))
	c.mustSee(`[data-testid="event-definition"][data-event-name="first_order"]`, "the new event swapped into the catalog")
	c.checkAxe(t, "/events after defining an event")
	c.checkClean("/events after defining an event")
	c.open("/campaigns/autumn/edit")
	steps := c.count(testid("step-select"))
	c.click(testid("add-step"))
	c.waitFor(fmt.Sprintf(`document.querySelectorAll(%q).length === %d`, testid("step-select"), steps+1), "the step added")
	c.checkAxe(t, "the campaign editor after adding a step")
	c.checkClean("the campaign editor after adding a step")
	c.open("/dashboard?campaign=autumn")
	c.choose(testid("campaign-select"), "winter")
	c.waitFor(`location.search === "?campaign=winter"`, "the winter dashboard's URL pushed")
	c.waitReady("the dashboard swapped")
	c.checkAxe(t, "the dashboard after switching campaign")
	c.checkClean("the dashboard after switching campaign")
}
