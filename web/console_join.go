package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
	"github.com/tandemhq/tandem/views"
)

// Joining a team through an invitation's link, /join/{token}. The token
// finds its tenant through the narrow find_member_invitation lookup; the
// rest is read inside that tenant's transaction.

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

// joinInvitation is the invitation a join link names, with its page.
type joinInvitation struct {
	tenantID     uuid.UUID
	invitationID string
	form         views.JoinForm
}

// findJoinInvitation reads the invitation of a join token, or the dead end
// (with its status) to show instead.
func (h *handler) findJoinInvitation(ctx context.Context, token string) (joinInvitation, *views.DeadEnd, int, error) {
	tenantID, invID, err := tenants.FindMemberInvitation(ctx, h.cfg.DB, token)
	if errors.Is(err, tenants.ErrUnknownJoinToken) {
		return joinInvitation{}, &joinUnknown, http.StatusNotFound, nil
	}
	if err != nil {
		return joinInvitation{}, nil, 0, err
	}
	j := joinInvitation{tenantID: tenantID, invitationID: invID}
	var status string
	err = tenants.WithTenant(ctx, h.cfg.DB, tenantID, func(ctx context.Context) error {
		inv, err := models.GetMemberInvitation(ctx, invID)
		if err != nil {
			return err
		}
		t, err := models.CurrentTenant(ctx)
		if err != nil {
			return err
		}
		status = inv.Status(time.Now())
		j.form = views.JoinForm{TenantName: t.Name, Email: inv.Email, Role: inv.Role, ExpiresAt: inv.ExpiresAt}
		return nil
	})
	if err != nil {
		return joinInvitation{}, nil, 0, err
	}
	switch status {
	case models.InvitationAccepted, models.InvitationRevoked:
		return joinInvitation{}, &joinUsed, http.StatusGone, nil
	case models.InvitationExpired:
		return joinInvitation{}, &joinExpired, http.StatusGone, nil
	}
	return j, nil, 0, nil
}

// deadEnd answers with a friendly dead-end page.
func (h *handler) deadEnd(c *fiber.Ctx, status int, d views.DeadEnd) error {
	h.guest(c)
	c.Status(status)
	return h.page(c, views.DeadEndPage(d))
}

// showJoinPage shows an invitation and asks the invitee for a password.
func (h *handler) showJoinPage(c *fiber.Ctx) error {
	j, dead, status, err := h.findJoinInvitation(c.UserContext(), strings.Clone(c.Params("token")))
	if err != nil {
		return err
	}
	if dead != nil {
		return h.deadEnd(c, status, *dead)
	}
	h.guest(c)
	return h.page(c, views.JoinPage(j.form))
}

// join accepts an invitation: the invitee becomes a member with the
// invitation's e-mail and role, and is logged in. The schema makes the
// link single-use and refuses it once expired, whatever races it.
func (h *handler) join(c *fiber.Ctx) error {
	ctx := c.UserContext()
	j, dead, status, err := h.findJoinInvitation(ctx, strings.Clone(c.Params("token")))
	if err != nil {
		return err
	}
	if dead != nil {
		return h.deadEnd(c, status, *dead)
	}
	password := c.FormValue("password")
	if err := tenants.ValidatePassword(password); err != nil {
		j.form.Errors = map[string]string{"password": sentence(err.Error())}
		h.guest(c)
		c.Status(http.StatusUnprocessableEntity)
		return h.page(c, views.JoinPage(j.form))
	}
	hash, err := tenants.HashSecret(password)
	if err != nil {
		return err
	}
	var member models.Member
	err = tenants.WithTenant(ctx, h.cfg.DB, j.tenantID, func(ctx context.Context) error {
		member, err = models.AcceptMemberInvitation(ctx, j.invitationID, hash)
		return err
	})
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
	if err := h.signIn(ctx, j.tenantID, member); err != nil {
		return err
	}
	h.flash(c, views.FlashSuccess, fmt.Sprintf("Welcome to %s!", j.form.TenantName))
	return h.redirect(c, "/")
}
