package console

// The admin console's helpers: what every console handler uses.
//
// A console page is a handler that runs inside h.console, which checks the
// session, opens the tenant transaction, loads the signed-in member afresh
// and checks one permission before the handler's function runs:
//
//	// showWebhooksPage lists the tenant's webhooks.
//	func (h *handler) showWebhooksPage(c *fiber.Ctx) error {
//		return h.console(c, models.PermWebhooksManage, func(ctx context.Context, s consoleSession) error {
//			hooks, err := models.ListWebhooks(ctx)
//			if err != nil {
//				return err
//			}
//			return h.page(c, views.WebhooksPage(hooks))
//		})
//	}
//
// and its route goes in web/console/routes.go. Then:
//
//   - The component is a templ page wrapped in @views.Layout(title, navKey);
//     give the page's views.Nav entry its Href so the sidebar shows it.
//   - Forms include @views.CSRFField(); htmx requests carry the token by
//     themselves (hx-headers on <body>). checkCSRF refuses any unsafe
//     request without it, before the handler runs.
//   - Every handler names the permission it needs (models.Can's table in
//     models/permissions.go); components hide what the member may not do
//     with views.Can(ctx, perm), but only the handler's check counts. A
//     handler that needs a second permission calls s.require(perm).
//   - GET handlers never change anything. An unsafe handler ends with
//     h.flash + h.redirect (post/redirect/get), or renders a fragment for
//     htmx. A URL that serves both a page and a fragment uses
//     h.pageOrFragment, which adds Vary: HX-Request.
//   - Return errors; never write error text. models' domain and validation
//     errors, *pageError (errForbidden, …) and Fiber's 404 become the
//     console's error page with the right status; anything else is logged
//     and shown as a 500 page.
//   - When an action fails in a way the member can fix (a validation
//     error, a rule of the schema), answer with the form and its errors or
//     with h.flash + h.redirect, and return rollback(thatAnswer): the
//     transaction is rolled back (it cannot commit after a failed
//     statement) and the answer is kept.
//   - fn may run more than once (WithTenant retries a serialization failure
//     or deadlock), so it writes the response only at its end.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
	"github.com/tandemhq/tandem/views"
)

// consoleSession is the signed-in member of a console request and their
// tenant, read from the database inside the request's tenant transaction,
// never from the session alone: a removed member is signed out at once and
// a role change counts from the next request.
type consoleSession struct {
	Tenant models.Tenant
	Member models.Member
}

// can reports whether the member may do p.
func (s consoleSession) can(p models.Permission) bool { return models.Can(s.Member.Role, p) }

// require returns errForbidden unless the member may do p.
func (s consoleSession) require(p models.Permission) error {
	if !s.can(p) {
		return errForbidden
	}
	return nil
}

// errRollback is returned by rollback: the handler has written its
// response, and the transaction must not keep what it did.
var errRollback = errors.New("console: roll back, response written")

// rollback ends fn of h.console after writing a response (written is the
// render or redirect's own error) while undoing the transaction: for a
// form answered with its errors after a failed write, since a transaction
// whose statement failed cannot commit.
func rollback(written error) error {
	if written != nil {
		return written
	}
	return errRollback
}

// errSessionEnded is the member of a session no longer existing.
var errSessionEnded = errors.New("console: the session's member no longer exists")

// console runs fn for the signed-in member, inside their tenant's
// transaction (the restricted role with app.tenant_id set, and the member
// as the audit actor), once the member is known to have perm. Without a
// session it sends the visitor to the log-in page, and back here after.
//
// fn's context carries the transaction and the page shell (views.Shell):
// components rendered by h.page and render see the member, the tenant and
// the CSRF token through it.
func (h *handler) console(c *fiber.Ctx, perm models.Permission, fn func(ctx context.Context, s consoleSession) error) error {
	base := c.UserContext()
	memberID := h.sessions.GetString(base, sessMemberID)
	tenantID, err := uuid.Parse(h.sessions.GetString(base, sessTenantID))
	if memberID == "" || err != nil {
		return h.redirectToLogin(c)
	}
	var s consoleSession
	ctx := models.WithActor(base, "member:"+memberID)
	err = tenants.WithTenant(ctx, h.cfg.DB, tenantID, func(ctx context.Context) error {
		m, err := models.GetMember(ctx, memberID)
		if errors.Is(err, models.ErrMemberNotFound) {
			return errSessionEnded
		}
		if err != nil {
			return err
		}
		t, err := models.CurrentTenant(ctx)
		if err != nil {
			return err
		}
		labels, err := models.LoadStepLabels(ctx)
		if err != nil {
			return err
		}
		s = consoleSession{Tenant: t, Member: m}
		shell := views.Shell{TenantName: t.Name, MemberEmail: m.Email, Role: m.Role,
			CSRFToken: h.sessions.GetString(base, sessCSRF), StepLabels: labels}
		c.SetUserContext(views.WithShell(base, shell))
		if err := s.require(perm); err != nil {
			return err
		}
		return fn(views.WithShell(ctx, shell), s)
	})
	switch {
	case errors.Is(err, errRollback):
		err = nil
	case errors.Is(err, errSessionEnded):
		return h.endSession(c, "You no longer have access to this workspace.")
	}
	if s.Member.ID != "" {
		if serr := h.syncRole(base, s.Member.Role); serr != nil && err == nil {
			err = serr
		}
	}
	return err
}

// syncRole renews the session token when the member's role changed since
// the session last saw it, so that any role change — made by anyone, on
// any machine — renews the affected member's session at their next request.
func (h *handler) syncRole(ctx context.Context, role string) error {
	if h.sessions.GetString(ctx, sessMemberID) == "" || h.sessions.GetString(ctx, sessRole) == role {
		return nil // signed out during the request, or nothing changed
	}
	if err := h.renewSession(ctx, true); err != nil {
		return err
	}
	h.sessions.Put(ctx, sessRole, role)
	return nil
}

// signIn makes the session the member's: a new token (against session
// fixation), a new CSRF token and a fresh absolute lifetime.
func (h *handler) signIn(ctx context.Context, tenantID uuid.UUID, member models.Member) error {
	if err := h.renewSession(ctx, false); err != nil {
		return err
	}
	h.sessions.Put(ctx, sessTenantID, tenantID.String())
	h.sessions.Put(ctx, sessMemberID, member.ID)
	h.sessions.Put(ctx, sessRole, member.Role)
	h.newCSRFToken(ctx)
	return nil
}

// endSession signs the visitor out and sends them to the log-in page with
// message.
func (h *handler) endSession(c *fiber.Ctx, message string) error {
	ctx := c.UserContext()
	if err := h.sessions.Destroy(ctx); err != nil {
		return fmt.Errorf("console: end session: %w", err)
	}
	if message != "" {
		h.flash(c, views.FlashInfo, message)
	}
	return h.redirect(c, "/login")
}

// redirectToLogin sends a signed-out visitor to the log-in page, to come
// back after logging in to this page (a GET), or to the page an htmx
// request came from.
func (h *handler) redirectToLogin(c *fiber.Ctx) error {
	back := ""
	if c.Method() == fiber.MethodGet {
		back = c.OriginalURL()
	}
	if isHTMX(c) {
		back = ""
		if u, err := url.Parse(c.Get("HX-Current-URL")); err == nil {
			back = u.RequestURI()
		}
	}
	to := "/login"
	if back = localPath(back); back != "/" {
		to += "?next=" + url.QueryEscape(back)
	}
	return h.redirect(c, to)
}

// redirect sends the browser to a local path after an action: 303 See
// Other for a plain request, HX-Redirect for an htmx one (htmx would
// otherwise follow the redirect itself and swap the whole page in).
func (h *handler) redirect(c *fiber.Ctx, to string) error {
	if isHTMX(c) {
		c.Set("HX-Redirect", to)
		return c.SendStatus(fiber.StatusNoContent)
	}
	return c.Redirect(to, fiber.StatusSeeOther)
}

// localPath returns next when it is a path on this site, else "/": a
// next parameter must never send anyone to another site.
func localPath(next string) string {
	u, err := url.Parse(next)
	if err != nil || next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") ||
		strings.Contains(next, `\`) || u.Scheme != "" || u.Host != "" {
		return "/"
	}
	return next
}

// isHTMX reports whether the request comes from htmx (and is not a history
// restore, which needs the whole page).
func isHTMX(c *fiber.Ctx) bool {
	return c.Get("HX-Request") == "true" && c.Get("HX-History-Restore-Request") != "true"
}

// varyHTMX marks the response as depending on HX-Request, for a URL that
// answers htmx with a fragment and everyone else with a page: caches must
// not hand one to the other.
func varyHTMX(c *fiber.Ctx) { c.Vary("HX-Request") }

// render writes component as the response, with the status already set
// (200 unless c.Status was called). It renders with the request's user
// context (the session and the page shell) into a buffer first, so a
// failing component never sends half a page.
func render(c *fiber.Ctx, component templ.Component) error {
	return renderWith(c, c.UserContext(), component)
}

func renderWith(c *fiber.Ctx, ctx context.Context, component templ.Component) error {
	var buf bytes.Buffer
	if err := component.Render(ctx, &buf); err != nil {
		return fmt.Errorf("console: render: %w", err)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Send(buf.Bytes())
}

// page renders a full page (a component wrapped in views.Layout or
// views.AuthLayout): it also takes the session's flash messages, which the
// layout shows. Fragments use render, which leaves them for the next page.
func (h *handler) page(c *fiber.Ctx, component templ.Component) error {
	ctx := c.UserContext()
	shell := views.ShellFrom(ctx)
	shell.Flashes = append(shell.Flashes, h.takeFlashes(ctx)...)
	return renderWith(c, views.WithShell(ctx, shell), component)
}

// pageOrFragment answers htmx with fragment and everyone else with page,
// with Vary: HX-Request.
func (h *handler) pageOrFragment(c *fiber.Ctx, page, fragment templ.Component) error {
	varyHTMX(c)
	if isHTMX(c) {
		return render(c, fragment)
	}
	return h.page(c, page)
}

// prepareSignedOutPage prepares a page for signed-out visitors (log in,
// sign up, join): its shell carries the CSRF token its form sends back
// (signedOutCSRFToken), which creates no session.
func (h *handler) prepareSignedOutPage(c *fiber.Ctx) {
	c.SetUserContext(views.WithShell(c.UserContext(), views.Shell{CSRFToken: h.signedOutCSRFToken(c)}))
}

// signedIn reports whether the request's session belongs to a member (not
// checked against the database: h.console does that).
func (h *handler) signedIn(c *fiber.Ctx) bool {
	return h.sessions.GetString(c.UserContext(), sessMemberID) != ""
}

// flash queues a one-time message for the next full page (h.page).
func (h *handler) flash(c *fiber.Ctx, kind, message string) {
	ctx := c.UserContext()
	flashes := append(h.peekFlashes(ctx), views.Flash{Kind: kind, Message: message})
	raw, err := json.Marshal(flashes)
	if err != nil {
		slog.Error("console: encode flash", "err", err)
		return
	}
	h.sessions.Put(ctx, sessFlash, string(raw))
}

func (h *handler) peekFlashes(ctx context.Context) []views.Flash {
	raw := h.sessions.GetString(ctx, sessFlash)
	if raw == "" {
		return nil
	}
	var flashes []views.Flash
	if err := json.Unmarshal([]byte(raw), &flashes); err != nil {
		slog.Warn("console: drop undecodable flash", "err", err)
		return nil
	}
	return flashes
}

// takeFlashes returns the queued messages and forgets them.
func (h *handler) takeFlashes(ctx context.Context) []views.Flash {
	flashes := h.peekFlashes(ctx)
	if flashes != nil {
		h.sessions.Remove(ctx, sessFlash)
	}
	return flashes
}
