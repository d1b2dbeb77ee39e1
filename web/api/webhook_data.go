package api

import (
	"context"
	"fmt"
	"strings"

	"github.com/tandemhq/tandem/models"
)

// WebhookData renders a webhook message's data: the same JSON this API
// answers for the object the message names, so a receiver parses one
// shape. The jobs that deliver webhooks call it inside the tenant's
// transaction (cmd wires it through web.WebhookData).
func WebhookData(publicURL string) models.WebhookRenderer {
	h := &handler{cfg: Deps{PublicURL: publicURL}}
	return func(ctx context.Context, msgType, objectID string) (any, error) {
		object, _, _ := strings.Cut(msgType, ".")
		switch object {
		case "invitation", "quest":
			inv, err := models.GetInvitation(ctx, objectID)
			if err != nil {
				return nil, err
			}
			return h.newInvitationJSON(inv), nil
		case "reward":
			return models.GetReward(ctx, objectID)
		case "raffle":
			r, err := models.GetRaffle(ctx, objectID)
			if err != nil {
				return nil, err
			}
			return newRaffleJSON(r), nil
		case "campaign":
			c, err := models.GetCampaign(ctx, objectID)
			if err != nil {
				return nil, err
			}
			return campaignWithVersions(ctx, c)
		}
		return nil, fmt.Errorf("webhook data: no object for message type %q", msgType)
	}
}
