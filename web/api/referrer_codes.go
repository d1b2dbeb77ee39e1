package api

import (
	"context"
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/web/internal/jsonbody"
)

// referrerCodeRequest names the host as every other request does (host);
// participant is its first name, still accepted and documented as
// deprecated.
type referrerCodeRequest struct {
	Host        *string `json:"host"`
	Participant *string `json:"participant"`
}

// host is the request's host under either name; both, naming two people,
// is a mistake worth refusing rather than guessing which was meant.
func (r referrerCodeRequest) host() (string, error) {
	switch {
	case r.Host != nil && r.Participant != nil && *r.Host != *r.Participant:
		return "", &apiError{Status: http.StatusUnprocessableEntity, Code: "conflicting_fields", Field: "participant",
			Message: "host and participant (its deprecated name) name different people: send host alone."}
	case r.Host != nil:
		return *r.Host, nil
	case r.Participant != nil:
		return *r.Participant, nil
	}
	return "", required("host", false)
}

// referrerCodeJSON is a host's personal code and the link that carries it.
type referrerCodeJSON struct {
	Code string `json:"code"`
	URL  string `json:"url"`
}

// issueReferrerCode returns the host's personal code in a referrer-code
// campaign, made on the first request and the same ever after, so the
// tenant can ask for it whenever it renders a share button.
func (h *handler) issueReferrerCode(c *fiber.Ctx) error {
	var req referrerCodeRequest
	if err := jsonbody.Read(c, &req); err != nil {
		return err
	}
	host, err := req.host()
	if err != nil {
		return err
	}
	slug := c.Params("slug")
	if !models.IsText(slug) {
		return models.ErrCampaignNotFound
	}
	return h.inTenant(c, func(ctx context.Context) error {
		code, err := models.ReferrerCode(ctx, slug, host)
		if err != nil {
			return err
		}
		return c.JSON(referrerCodeJSON{Code: code, URL: h.codeURL(code)})
	})
}
