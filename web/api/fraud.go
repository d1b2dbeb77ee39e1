package api

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/web/internal/jsonbody"
)

// blocklistJSON is the tenant's blocklist, in and out.
type blocklistJSON struct {
	Entries []string `json:"entries"`
}

// showBlocklist answers the tenant's blocklist.
func (h *handler) showBlocklist(c *fiber.Ctx) error {
	return h.inTenant(c, func(ctx context.Context) error {
		entries, err := models.Blocklist(ctx)
		if err != nil {
			return err
		}
		return c.JSON(blocklistJSON{Entries: entries})
	})
}

// saveBlocklist replaces the tenant's blocklist and answers it as stored.
func (h *handler) saveBlocklist(c *fiber.Ctx) error {
	var req struct {
		Entries *[]string `json:"entries"`
	}
	if err := jsonbody.Read(c, &req); err != nil {
		return err
	}
	if err := required("entries", req.Entries != nil); err != nil {
		return err
	}
	return h.inTenant(c, func(ctx context.Context) error {
		entries, err := models.SaveBlocklist(ctx, *req.Entries)
		if err != nil {
			return err
		}
		return c.JSON(blocklistJSON{Entries: entries})
	})
}

// showInvitation answers the manual invitation with the code {code}, with
// its risk.
func (h *handler) showInvitation(c *fiber.Ctx) error {
	code := c.Params("code")
	return h.inTenant(c, func(ctx context.Context) error {
		inv, err := models.GetInvitationByCode(ctx, code)
		if err != nil {
			return err
		}
		return c.JSON(h.newInvitationJSON(inv))
	})
}
