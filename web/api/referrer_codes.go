package api

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/web/internal/jsonbody"
)

type referrerCodeRequest struct {
	Participant *string `json:"participant"`
}

// referrerCodeJSON is a host's personal code and the link that carries it.
type referrerCodeJSON struct {
	Code string `json:"code"`
	URL  string `json:"url"`
}

// issueReferrerCode returns the participant's personal code in a
// referrer-code campaign, made on the first request and the same ever
// after, so the tenant can ask for it whenever it renders a share button.
func (h *handler) issueReferrerCode(c *fiber.Ctx) error {
	var req referrerCodeRequest
	if err := jsonbody.Read(c, &req); err != nil {
		return err
	}
	if err := required("participant", req.Participant != nil); err != nil {
		return err
	}
	slug := c.Params("slug")
	if !models.IsText(slug) {
		return models.ErrCampaignNotFound
	}
	return h.inTenant(c, func(ctx context.Context) error {
		code, err := models.ReferrerCode(ctx, slug, *req.Participant)
		if err != nil {
			return err
		}
		return c.JSON(referrerCodeJSON{Code: code, URL: h.codeURL(code)})
	})
}
