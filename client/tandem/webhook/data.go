package webhook

import (
	"encoding/json"
	"strings"

	"github.com/tandemhq/tandem/client/tandem"
)

// APIVersion is the version of the webhooks' contract this package decodes
// (Event.APIVersion of the messages it was written for).
const APIVersion = "2026-12-01"

// The message types Tandem sends.
const (
	TypeInvitationCreated   = "invitation.created"
	TypeInvitationClaimed   = "invitation.claimed"
	TypeQuestProgressed     = "quest.progressed"
	TypeInvitationCompleted = "invitation.completed"
	TypeInvitationExpired   = "invitation.expired"
	TypeRewardIssued        = "reward.issued"
	TypeRewardRedeemed      = "reward.redeemed"
	TypeRewardVoided        = "reward.voided"
	TypeRewardExpired       = "reward.expired"
	TypeRewardHeld          = "reward.held"
	TypeRewardApproved      = "reward.approved"
	TypeRewardRejected      = "reward.rejected"
	TypeRewardFulfilled     = "reward.fulfilled"
	TypeRewardFulfilFailed  = "reward.fulfilment_failed"
	TypeCampaignPublished   = "campaign.published"
	TypeCampaignPaused      = "campaign.paused"
	TypeCampaignEnded       = "campaign.ended"
	TypeRaffleDrawn         = "raffle.drawn"
	TypeParticipantCreated  = "participant.created"
	TypeParticipantUpdated  = "participant.updated"
	TypeParticipantErased   = "participant.erased"
	TypeTest                = "webhook.test"
)

// QuestProgressed is the data of quest.progressed: the step the guest did
// (one message per step), its position, and the invitation as that left it.
type QuestProgressed = tandem.QuestProgressed

// Test is the data of webhook.test, sent from the console or the API to
// try an endpoint.
type Test = tandem.WebhookTest

func decodeData(typ string, raw json.RawMessage) (any, error) {
	object, _, _ := strings.Cut(typ, ".")
	var v any
	switch {
	case typ == TypeQuestProgressed:
		v = new(QuestProgressed)
	case typ == TypeTest:
		v = new(Test)
	case object == "invitation":
		v = new(tandem.Invitation)
	case object == "reward":
		v = new(tandem.RewardToken)
	case object == "campaign":
		v = new(tandem.Campaign)
	case object == "raffle":
		v = new(tandem.Raffle)
	case object == "participant":
		v = new(tandem.Participant)
	default:
		return raw, nil
	}
	return v, json.Unmarshal(raw, v)
}
