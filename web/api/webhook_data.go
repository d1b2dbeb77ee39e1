package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/tandemhq/tandem/models"
)

// WebhookData renders a webhook message's data: the same JSON this API
// answers for the object the message names, so a receiver parses one
// shape, as the message's snapshot has it (the object when the change was
// made). What the database cannot know is added here: an invitation's url,
// a campaign's published version (immutable), a raffle draw (append-only,
// read as it stands). The jobs that deliver webhooks call it inside the
// tenant's transaction (cmd wires it through web.WebhookData).
func WebhookData(publicURL string) models.WebhookRenderer {
	h := &handler{cfg: Deps{PublicURL: publicURL}}
	return func(ctx context.Context, msgType, messageID string) (any, error) {
		m, err := models.GetWebhookMessage(ctx, messageID)
		if err != nil {
			return nil, err
		}
		object, _, _ := strings.Cut(msgType, ".")
		switch object {
		case "invitation", "quest":
			inv, err := snapshotOr(m.Snapshot, func() (models.Invitation, error) { return models.GetInvitation(ctx, m.ObjectID) })
			if err != nil {
				return nil, err
			}
			if msgType == "quest.progressed" {
				return questProgressedData(h.newInvitationJSON(inv), m.Facts)
			}
			return h.newInvitationJSON(inv), nil
		case "reward":
			return snapshotOr(m.Snapshot, func() (models.RewardToken, error) { return models.GetReward(ctx, m.ObjectID) })
		case "raffle":
			r, err := models.GetRaffle(ctx, m.ObjectID)
			if err != nil {
				return nil, err
			}
			return newRaffleJSON(r), nil
		case "campaign":
			c, err := snapshotOr(m.Snapshot, func() (models.Campaign, error) { return models.GetCampaign(ctx, m.ObjectID) })
			if err != nil {
				return nil, err
			}
			return publishedCampaign(ctx, c)
		case "participant":
			return snapshotOr(m.Snapshot, func() (models.Participant, error) { return models.GetParticipant(ctx, m.ObjectID) })
		}
		return nil, fmt.Errorf("webhook data: no object for message type %q", msgType)
	}
}

// snapshotOr decodes a message's snapshot, refusing a field the API's type
// does not have (the snapshot's SQL and the type drifting apart), or reads
// the object as it stands when the message has none.
func snapshotOr[T any](snapshot json.RawMessage, read func() (T, error)) (T, error) {
	var v T
	if snapshot == nil {
		return read()
	}
	dec := json.NewDecoder(bytes.NewReader(snapshot))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		return v, fmt.Errorf("webhook data: decode the snapshot: %w", err)
	}
	return v, nil
}

// questProgressedData is quest.progressed's data: the invitation, and the
// step its guest did (the message's facts: one message per step).
func questProgressedData(inv invitationJSON, facts json.RawMessage) (any, error) {
	var step struct {
		Step string `json:"step"`
		Done int    `json:"done"`
	}
	if err := json.Unmarshal(facts, &step); err != nil {
		return nil, fmt.Errorf("webhook data: quest step: %w", err)
	}
	return struct {
		Step       string         `json:"step"`
		Done       int            `json:"done"`
		Invitation invitationJSON `json:"invitation"`
	}{step.Step, step.Done, inv}, nil
}

// publishedCampaign is a campaign message's data: the campaign with the
// version it had in force, which a publication cannot change. The draft
// is left out (null): it is work in progress, not part of the change.
func publishedCampaign(ctx context.Context, c models.Campaign) (campaignJSON, error) {
	out := campaignJSON{Campaign: c}
	if c.CurrentVersion != nil {
		v, err := models.GetPublishedVersion(ctx, c, *c.CurrentVersion)
		if err != nil {
			return out, err
		}
		out.Version = newVersionJSON(&v)
	}
	return out, nil
}
