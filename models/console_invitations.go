package models

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// QuestInvitation is an invitation with the names of its quest's steps, in
// order: what a progress bar shows.
type QuestInvitation struct {
	Invitation
	CampaignName string   `json:"campaign_name"`
	Steps        []string `json:"steps"`
}

// InvitationStatuses are the derived statuses an invitation list can be
// filtered by.
var InvitationStatuses = []string{StatusPending, StatusClaimed, StatusCompleted, StatusExpired}

// InvitationFilter selects invitations; an empty field matches any.
type InvitationFilter struct {
	Campaign string // campaign slug
	Status   string // one of InvitationStatuses
	// Step is the name of the next quest step of guests in progress.
	Step string
	// Host and Guest are participants' external ids.
	Host  string
	Guest string
}

func (f InvitationFilter) validate() error {
	if f.Status != "" && !slices.Contains(InvitationStatuses, f.Status) {
		return invalid("status", "invalid_status", "status must be one of %v", InvitationStatuses)
	}
	return nil
}

type questInvitationRow struct {
	Row          invitationRow `gorm:"embedded"`
	CampaignName string
	Steps        []string `gorm:"serializer:json"`
}

// ListInvitations returns the invitations f selects, newest first, with
// their guests' progress and their quests' step names. A host or guest
// that does not exist is ErrParticipantNotFound.
func ListInvitations(ctx context.Context, f InvitationFilter, page Page) ([]QuestInvitation, bool, error) {
	if err := f.validate(); err != nil {
		return nil, false, err
	}
	args := map[string]any{"campaign": f.Campaign, "status": f.Status, "step": f.Step,
		"host": "", "guest": "", "after": page.After, "limit": page.limit() + 1}
	for name, externalID := range map[string]string{"host": f.Host, "guest": f.Guest} {
		if externalID == "" {
			continue
		}
		p, err := GetParticipant(ctx, externalID)
		if err != nil {
			return nil, false, err
		}
		args[name] = p.ID
	}
	tx, err := db(ctx)
	if err != nil {
		return nil, false, err
	}
	var rows []questInvitationRow
	if err := tx.Raw(qQuestInvitations, args).Scan(&rows).Error; err != nil {
		return nil, false, fmt.Errorf("list invitations: %w", err)
	}
	rows, more := trimPage(page, rows)
	now := time.Now()
	out := make([]QuestInvitation, len(rows))
	for i, r := range rows {
		out[i] = QuestInvitation{Invitation: r.Row.invitation(now), CampaignName: r.CampaignName, Steps: r.Steps}
	}
	return out, more, nil
}

// QuestStepNames returns the event names that are steps of a campaign's
// current version: of the campaign with slug campaign, or of any.
func QuestStepNames(ctx context.Context, campaign string) ([]string, error) {
	tx, err := db(ctx)
	if err != nil {
		return nil, err
	}
	var names []string
	if err := tx.Raw(qQuestStepNames, map[string]any{"campaign": campaign}).Scan(&names).Error; err != nil {
		return nil, fmt.Errorf("list quest steps: %w", err)
	}
	return names, nil
}

// CampaignChoice is a campaign as a filter menu shows it.
type CampaignChoice struct {
	Slug   string `json:"slug"`
	Name   string `json:"name"`
	Status string `json:"status"`
}

// CampaignChoices returns every campaign by name, for filter menus.
func CampaignChoices(ctx context.Context) ([]CampaignChoice, error) {
	tx, err := db(ctx)
	if err != nil {
		return nil, err
	}
	var cs []CampaignChoice
	if err := tx.Raw(qCampaignChoices).Scan(&cs).Error; err != nil {
		return nil, fmt.Errorf("list campaign choices: %w", err)
	}
	return cs, nil
}
