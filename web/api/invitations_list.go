package api

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/web/internal/surface"
)

// listInvitations returns the tenant's invitations, newest first, filtered
// by campaign, status, host, guest and creation time.
func (h *handler) listInvitations(c *fiber.Ctx) error {
	page, after, before, err := tenantListParams(c)
	if err != nil {
		return err
	}
	f := models.InvitationFilter{Campaign: c.Query("campaign"), Status: c.Query("status"), Host: c.Query("host"),
		Guest: c.Query("guest"), CreatedAfter: after, CreatedBefore: before}
	return h.inTenant(c, func(ctx context.Context) error {
		invs, more, err := models.ListInvitations(ctx, f, page)
		if err != nil {
			return err
		}
		out := make([]invitationJSON, len(invs))
		for i, inv := range invs {
			out[i] = h.newInvitationJSON(inv.Invitation)
		}
		return c.JSON(surface.NewList(out, more))
	})
}
