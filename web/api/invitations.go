package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/web/internal/jsonbody"
	"github.com/tandemhq/tandem/web/internal/surface"
)

type invitationRequest struct {
	Host      *string `json:"host"`
	Channel   string  `json:"channel"`
	Recipient string  `json:"recipient"`
}

// invitationJSON is an invitation as the API shows it: models' view
// plus the link the host shares.
type invitationJSON struct {
	models.Invitation
	URL string `json:"url"`
}

func (h *handler) newInvitationJSON(inv models.Invitation) invitationJSON {
	return invitationJSON{Invitation: inv, URL: h.codeURL(inv.Code)}
}

// codeURL is the public invite link of an invitation or referrer code.
func (h *handler) codeURL(code string) string {
	return strings.TrimSuffix(h.cfg.PublicURL, "/") + "/i/" + code
}

// createInvitation makes a host's single-use invitation in a live manual
// campaign; it is pending until a guest claims its code.
func (h *handler) createInvitation(c *fiber.Ctx) error {
	var req invitationRequest
	if err := jsonbody.Read(c, &req); err != nil {
		return err
	}
	if err := required("host", req.Host != nil); err != nil {
		return err
	}
	in := models.InvitationInput{Host: *req.Host, Channel: req.Channel, Recipient: req.Recipient}
	slug := c.Params("slug")
	if !models.IsText(slug) {
		return models.ErrCampaignNotFound
	}
	return h.inTenant(c, func(ctx context.Context) error {
		inv, err := models.CreateInvitation(ctx, slug, in)
		if err != nil {
			return err
		}
		return c.Status(http.StatusCreated).JSON(h.newInvitationJSON(inv))
	})
}

// listHostInvitations returns the invitations a participant made as host,
// newest first, each with its guest's quest progress.
func (h *handler) listHostInvitations(c *fiber.Ctx) error {
	page, err := pageParams(c)
	if err != nil {
		return err
	}
	host, err := externalIDParam(c)
	if err != nil {
		return err
	}
	return h.inTenant(c, func(ctx context.Context) error {
		invs, more, err := models.ListHostInvitations(ctx, host, page)
		if err != nil {
			return err
		}
		out := make([]invitationJSON, len(invs))
		for i, inv := range invs {
			out[i] = h.newInvitationJSON(inv)
		}
		return c.JSON(surface.NewList(out, more))
	})
}
