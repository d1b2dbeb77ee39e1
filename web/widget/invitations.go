package widget

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/web/internal/jsonbody"
	"github.com/tandemhq/tandem/web/internal/surface"
)

// cursorPattern is an id the previous page ended with.
var cursorPattern = regexp.MustCompile(`^[a-z]{2,5}_[0-9a-f]{32}$`)

// pageParams reads ?limit (1 to 100, 20 by default) and ?starting_after,
// the API's names. ?after, the widget's first name for the cursor, is
// still read when starting_after is absent (widget.js as served before
// sends it).
func pageParams(c *fiber.Ctx) (models.Page, error) {
	cursor := "starting_after"
	page := models.Page{Limit: models.DefaultPageSize, After: c.Query(cursor)}
	if page.After == "" && c.Query("after") != "" {
		cursor, page.After = "after", c.Query("after")
	}
	if raw := c.Query("limit"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > models.MaxPageSize {
			return page, errInvalidLimit
		}
		page.Limit = n
	}
	if page.After != "" && !cursorPattern.MatchString(page.After) {
		return page, &widgetError{Status: http.StatusBadRequest, Code: "invalid_cursor", Field: cursor,
			Message: cursor + " is the id of the last item of a previous page."}
	}
	return page, nil
}

// listInvitations answers GET /widget/v1/invitations: the host's guests in
// the token's campaign, newest first, each with their masked name, status
// and quest progress (step i of n, the next step's name).
func (h *handler) listInvitations(c *fiber.Ctx) error {
	page, err := pageParams(c)
	if err != nil {
		return err
	}
	return h.inSession(c, func(ctx context.Context, host models.WidgetHost) error {
		guests, more, err := models.ListWidgetGuests(ctx, host.ParticipantID, host.Campaign.ID, page)
		if err != nil {
			return err
		}
		return c.JSON(surface.NewList(guests, more))
	})
}

type invitationRequest struct {
	Channel   string `json:"channel"`
	Recipient string `json:"recipient"`
}

type invitationJSON struct {
	ID        string     `json:"id"`
	Code      string     `json:"code"`
	URL       string     `json:"url"`
	ExpiresAt *time.Time `json:"expires_at"`
}

// createInvitation answers POST /widget/v1/invitations: in an invitation
// campaign, the host makes a single-use invitation for one friend.
func (h *handler) createInvitation(c *fiber.Ctx) error {
	var req invitationRequest
	if err := jsonbody.Read(c, &req); err != nil {
		return err
	}
	return h.inSession(c, func(ctx context.Context, host models.WidgetHost) error {
		if host.Campaign.Status == models.CampaignEnded {
			return errCampaignEnded
		}
		inv, err := models.CreateInvitation(ctx, host.Campaign.Slug,
			models.InvitationInput{Host: host.ExternalID, Channel: req.Channel, Recipient: req.Recipient})
		if err != nil {
			return err
		}
		return c.Status(http.StatusCreated).JSON(invitationJSON{ID: inv.ID, Code: inv.Code, URL: h.codeURL(inv.Code), ExpiresAt: inv.ExpiresAt})
	})
}
