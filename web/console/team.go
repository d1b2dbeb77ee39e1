package console

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
	"github.com/tandemhq/tandem/views"
)

// Team and roles. Every member sees the team; owners (models.PermTeamManage)
// invite, change roles, remove members and withdraw invitations. The schema
// keeps a last owner (members_keep_an_owner), whoever asks.
//
// Role changes and sessions: a member's role is read from the database on
// every request (h.console), so a change counts from the affected member's
// next request, on any machine. That request also renews their session
// token (syncRole); the owner who made the change gets a new token at once.

// teamPage loads what the team page shows.
func teamPage(ctx context.Context, s consoleSession, form views.InviteForm) (views.Team, error) {
	members, err := models.ListMembers(ctx)
	if err != nil {
		return views.Team{}, err
	}
	invs, err := models.ListPendingMemberInvitations(ctx)
	if err != nil {
		return views.Team{}, err
	}
	return views.Team{Members: members, Invitations: invs, SelfID: s.Member.ID, Invite: form}, nil
}

// showTeamPage lists the members and the pending invitations.
func (h *handler) showTeamPage(c *fiber.Ctx) error {
	return h.console(c, models.PermTeamView, func(ctx context.Context, s consoleSession) error {
		team, err := teamPage(ctx, s, views.InviteForm{})
		if err != nil {
			return err
		}
		return h.page(c, views.TeamPage(team))
	})
}

// inviteMember creates an invitation and shows its join link once. htmx
// gets the invitation panel and the pending list (out of band); a plain
// form post gets the whole page.
func (h *handler) inviteMember(c *fiber.Ctx) error {
	return h.console(c, models.PermTeamManage, func(ctx context.Context, s consoleSession) error {
		form := views.InviteForm{Email: strings.TrimSpace(c.FormValue("email")), Role: c.FormValue("role")}
		inv, token, err := tenants.InviteMember(ctx, form.Email, form.Role, s.Member.ID)
		var ve *models.ValidationError
		if errors.As(err, &ve) {
			form.Errors = map[string]string{ve.Field: sentence(ve.Message)}
			team, err := teamPage(ctx, s, form)
			if err != nil {
				return err
			}
			c.Status(http.StatusUnprocessableEntity)
			return rollback(h.pageOrFragment(c, views.TeamPage(team), views.InvitePanel(form)))
		}
		if err != nil {
			return err
		}
		form = views.InviteForm{Link: h.joinURL(c, token), LinkEmail: inv.Email}
		team, err := teamPage(ctx, s, form)
		if err != nil {
			return err
		}
		c.Status(http.StatusCreated)
		return h.pageOrFragment(c, views.TeamPage(team),
			templ.Join(views.InvitePanel(form), views.PendingInvitations(team.Invitations, true)))
	})
}

// joinURL is the absolute join link of an invitation token.
func (h *handler) joinURL(c *fiber.Ctx, token string) string {
	base := strings.TrimRight(h.cfg.PublicURL, "/")
	if base == "" {
		base = c.BaseURL()
	}
	return base + "/join/" + token
}

// revokeMemberInvitation withdraws a pending invitation.
func (h *handler) revokeMemberInvitation(c *fiber.Ctx) error {
	return h.console(c, models.PermTeamManage, func(ctx context.Context, s consoleSession) error {
		id := c.Params("id")
		inv, err := models.GetMemberInvitation(ctx, id)
		if err != nil {
			return err
		}
		err = models.RevokeMemberInvitation(ctx, id)
		if errors.Is(err, models.ErrMemberInvitationUsed) {
			h.flash(c, views.FlashError, "That invitation was already used or withdrawn.")
			return rollback(h.redirect(c, "/team"))
		}
		if err != nil {
			return err
		}
		h.flash(c, views.FlashSuccess, fmt.Sprintf("The invitation of %s was withdrawn; its link no longer works.", inv.Email))
		return h.redirect(c, "/team")
	})
}

// changeMemberRole gives a member another role.
func (h *handler) changeMemberRole(c *fiber.Ctx) error {
	return h.console(c, models.PermTeamManage, func(ctx context.Context, s consoleSession) error {
		m, err := models.ChangeMemberRole(ctx, c.Params("id"), c.FormValue("role"))
		var ve *models.ValidationError
		switch {
		case errors.Is(err, models.ErrLastOwner):
			h.flash(c, views.FlashError, "The team must keep at least one owner. Make someone else an owner first.")
			return rollback(h.redirect(c, "/team"))
		case errors.As(err, &ve):
			h.flash(c, views.FlashError, "Choose one of the roles in the list.")
			return rollback(h.redirect(c, "/team"))
		case err != nil:
			return err
		}
		// A role change renews the acting session's token too.
		if err := h.renewSession(ctx, true); err != nil {
			return err
		}
		h.flash(c, views.FlashSuccess, fmt.Sprintf("%s is now %s.", m.Email, strings.ToLower(views.RoleLabel(m.Role))))
		return h.redirect(c, "/team")
	})
}

// removeMember takes a member off the team. Removing oneself signs out.
func (h *handler) removeMember(c *fiber.Ctx) error {
	return h.console(c, models.PermTeamManage, func(ctx context.Context, s consoleSession) error {
		id := c.Params("id")
		m, err := models.GetMember(ctx, id)
		if err != nil {
			return err
		}
		err = models.RemoveMember(ctx, id)
		if errors.Is(err, models.ErrLastOwner) {
			h.flash(c, views.FlashError, "The team must keep at least one owner. Make someone else an owner first.")
			return rollback(h.redirect(c, "/team"))
		}
		if err != nil {
			return err
		}
		if id == s.Member.ID {
			return h.endSession(c, fmt.Sprintf("You left %s.", s.Tenant.Name))
		}
		h.flash(c, views.FlashSuccess, fmt.Sprintf("%s was removed from the team.", m.Email))
		return h.redirect(c, "/team")
	})
}
