package webhook

import (
	"encoding/json"
	"strings"

	"github.com/tandemhq/tandem/client/tandem"
)

// The message types Tandem sends.
const (
	TypeInvitationCreated   = "invitation.created"
	TypeInvitationClaimed   = "invitation.claimed"
	TypeQuestProgressed     = "quest.progressed"
	TypeInvitationCompleted = "invitation.completed"
	TypeRewardIssued        = "reward.issued"
	TypeRewardRedeemed      = "reward.redeemed"
	TypeRewardVoided        = "reward.voided"
	TypeRewardExpired       = "reward.expired"
	TypeCampaignPublished   = "campaign.published"
	TypeRaffleDrawn         = "raffle.drawn"
	TypeTest                = "webhook.test"
)

// QuestProgressed is the data of quest.progressed: the invitation, and the
// step its guest just did (one message per step).
type QuestProgressed struct {
	tandem.Invitation
	// Step is the event name of the step done.
	Step string `json:"step"`
	// Done is the step's position from 1: how many steps are done.
	Done int `json:"done"`
}

// CampaignPublished is the data of campaign.published: the campaign, and
// the number of the version published.
type CampaignPublished struct {
	Campaign tandem.Campaign
	Version  int
}

// Test is the data of webhook.test, sent from the console or the API to
// try an endpoint.
type Test struct {
	Endpoint string `json:"endpoint"`
	Message  string `json:"message"`
}

func decodeData(typ string, raw json.RawMessage) (any, error) {
	object, _, _ := strings.Cut(typ, ".")
	var v any
	switch {
	case typ == TypeQuestProgressed:
		v = new(QuestProgressed)
	case typ == TypeCampaignPublished:
		return decodeCampaignPublished(raw)
	case typ == TypeTest:
		v = new(Test)
	case object == "invitation":
		v = new(tandem.Invitation)
	case object == "reward":
		v = new(tandem.RewardToken)
	case object == "raffle":
		v = new(tandem.Raffle)
	default:
		return raw, nil
	}
	return v, json.Unmarshal(raw, v)
}

// decodeCampaignPublished reads the campaign, whose "version" field holds
// the number published rather than the version object the API answers.
func decodeCampaignPublished(raw json.RawMessage) (*CampaignPublished, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return nil, err
	}
	var out CampaignPublished
	if err := json.Unmarshal(fields["version"], &out.Version); err != nil {
		return nil, err
	}
	delete(fields, "version")
	rest, err := json.Marshal(fields)
	if err != nil {
		return nil, err
	}
	return &out, json.Unmarshal(rest, &out.Campaign)
}
