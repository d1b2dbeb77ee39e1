package api

import (
	"context"
	"net/http"
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/web/internal/jsonbody"
)

// participantRequest upserts a participant. The contact fields are pointers
// because absent (or null) and "" mean different things: keep, and clear.
type participantRequest struct {
	ExternalID  *string `json:"external_id"`
	Email       *string `json:"email"`
	Phone       *string `json:"phone"`
	DisplayName *string `json:"display_name"`
	// StripeCustomerID is the participant's customer in the tenant's Stripe.
	StripeCustomerID *string `json:"stripe_customer_id"`
	// ExistingCustomer and Client feed the referral's risk signals.
	ExistingCustomer *bool          `json:"existing_customer"`
	Client           *models.Client `json:"client"`
}

// saveParticipant creates or updates a participant by its external id:
// 201 when created, 200 when updated.
func (h *handler) saveParticipant(c *fiber.Ctx) error {
	var req participantRequest
	if err := jsonbody.Read(c, &req); err != nil {
		return err
	}
	if err := required("external_id", req.ExternalID != nil); err != nil {
		return err
	}
	in := models.ParticipantInput{ExternalID: *req.ExternalID, Email: req.Email, Phone: req.Phone, DisplayName: req.DisplayName,
		StripeCustomerID: req.StripeCustomerID, ExistingCustomer: req.ExistingCustomer, Client: req.Client}
	return h.inTenant(c, func(ctx context.Context) error {
		p, created, err := models.UpsertParticipant(ctx, in)
		if err != nil {
			return err
		}
		status := http.StatusOK
		if created {
			status = http.StatusCreated
		}
		return c.Status(status).JSON(p)
	})
}

// showParticipant returns one participant.
func (h *handler) showParticipant(c *fiber.Ctx) error {
	externalID, err := externalIDParam(c)
	if err != nil {
		return err
	}
	return h.inTenant(c, func(ctx context.Context) error {
		p, err := models.GetParticipant(ctx, externalID)
		if err != nil {
			return err
		}
		return c.JSON(p)
	})
}

// externalIDParam reads the {external_id} path parameter. External ids are
// the tenant's own and may hold characters a path must escape (a "/" comes
// as %2F), so the parameter is unescaped.
func externalIDParam(c *fiber.Ctx) (string, error) {
	id, err := url.PathUnescape(c.Params("external_id"))
	if err != nil || !models.IsText(id) {
		return "", models.ErrParticipantNotFound
	}
	return id, nil
}

// idParam reads the {id} path parameter; an id that cannot be stored is
// answered with notFound.
func idParam(c *fiber.Ctx, notFound error) (string, error) {
	id := c.Params("id")
	if !models.IsText(id) {
		return "", notFound
	}
	return id, nil
}
