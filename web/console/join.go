package console

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
	"github.com/tandemhq/tandem/views"
)

// Joining a team through an invitation's link, /join/{token}. Finding the
// invitation and accepting it are tenants.FindJoining and tenants.Join; the
// handlers choose the page.

// The dead ends of a join link.
var (
	joinUnknown = views.DeadEnd{Title: "This invitation link doesn't work",
		Message: "Check that you copied the whole link, or ask the person who invited you for a new one."}
	joinUsed = views.DeadEnd{Title: "This invitation was already used",
		Message: "An invitation link works once. If you joined already, log in; otherwise ask for a new invitation."}
	joinExpired = views.DeadEnd{Title: "This invitation has expired",
		Message: "Invitation links work for 7 days. Ask the person who invited you for a new one."}
	joinAlreadyMember = views.DeadEnd{Title: "You're already on this team",
		Message: "Someone with this e-mail address is already a member. Log in instead."}
)

// findJoinInvitation reads the invitation of a join token, or the dead end
// (with its status) to show instead.
func (h *handler) findJoinInvitation(ctx context.Context, token string) (tenants.Joining, *views.DeadEnd, int, error) {
	j, err := tenants.FindJoining(ctx, h.cfg.DB, token)
	switch {
	case errors.Is(err, tenants.ErrUnknownJoinToken):
		return tenants.Joining{}, &joinUnknown, http.StatusNotFound, nil
	case err != nil:
		return tenants.Joining{}, nil, 0, err
	}
	switch j.Status {
	case models.InvitationAccepted, models.InvitationRevoked:
		return tenants.Joining{}, &joinUsed, http.StatusGone, nil
	case models.InvitationExpired:
		return tenants.Joining{}, &joinExpired, http.StatusGone, nil
	}
	return j, nil, 0, nil
}

// joinForm is the page of an invitation that can be accepted.
func joinForm(j tenants.Joining) views.JoinForm {
	return views.JoinForm{TenantName: j.TenantName, Email: j.Email, Role: j.Role, ExpiresAt: j.ExpiresAt}
}

// deadEnd answers with a friendly dead-end page.
func (h *handler) deadEnd(c *fiber.Ctx, status int, d views.DeadEnd) error {
	h.prepareSignedOutPage(c)
	c.Status(status)
	return h.page(c, views.DeadEndPage(d))
}

// showJoinPage shows an invitation and asks the invitee for a password.
func (h *handler) showJoinPage(c *fiber.Ctx) error {
	j, dead, status, err := h.findJoinInvitation(c.UserContext(), c.Params("token"))
	if err != nil {
		return err
	}
	if dead != nil {
		return h.deadEnd(c, status, *dead)
	}
	h.prepareSignedOutPage(c)
	return h.page(c, views.JoinPage(joinForm(j)))
}

// join accepts an invitation: the invitee becomes a member with the
// invitation's e-mail and role, and is logged in. The schema makes the
// link single-use and refuses it once expired, whatever races it.
func (h *handler) join(c *fiber.Ctx) error {
	ctx := c.UserContext()
	j, dead, status, err := h.findJoinInvitation(ctx, c.Params("token"))
	if err != nil {
		return err
	}
	if dead != nil {
		return h.deadEnd(c, status, *dead)
	}
	member, err := tenants.Join(ctx, h.cfg.DB, j, c.FormValue("password"))
	if errors.Is(err, tenants.ErrWeakPassword) {
		form := joinForm(j)
		form.Errors = map[string]string{"password": sentence(err.Error())}
		h.prepareSignedOutPage(c)
		c.Status(http.StatusUnprocessableEntity)
		return h.page(c, views.JoinPage(form))
	}
	switch {
	case errors.Is(err, models.ErrMemberInvitationUsed):
		return h.deadEnd(c, http.StatusGone, joinUsed)
	case errors.Is(err, models.ErrMemberInvitationExpired):
		return h.deadEnd(c, http.StatusGone, joinExpired)
	case errors.Is(err, models.ErrAlreadyMember):
		return h.deadEnd(c, http.StatusConflict, joinAlreadyMember)
	case err != nil:
		return err
	}
	if err := h.signIn(ctx, j.TenantID, member); err != nil {
		return err
	}
	h.flash(c, views.FlashSuccess, fmt.Sprintf("Welcome to %s!", j.TenantName))
	return h.redirect(c, "/")
}
