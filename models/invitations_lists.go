package models

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// ListHostInvitations returns the invitations a participant made as host,
// newest first, with their guests' progress.
func ListHostInvitations(ctx context.Context, hostExternalID string, page Page) ([]Invitation, bool, error) {
	host, err := GetParticipant(ctx, hostExternalID)
	if err != nil {
		return nil, false, err
	}
	tx, err := db(ctx)
	if err != nil {
		return nil, false, err
	}
	var rows []invitationRow
	err = tx.Raw(invitationSelect+`
		WHERE i.tenant_id = ? AND i.host_id = ?
		  AND (? = '' OR (i.created_at, i.id) < (SELECT created_at, id FROM invitations WHERE tenant_id = i.tenant_id AND id = ?))
		ORDER BY i.created_at DESC, i.id DESC LIMIT ?`,
		tenantOf(ctx), host.ID, page.After, page.After, page.limit()+1).Scan(&rows).Error
	if err != nil {
		return nil, false, fmt.Errorf("list invitations: %w", err)
	}
	rows, more := trimPage(page, rows)
	now := time.Now()
	out := make([]Invitation, len(rows))
	for i, r := range rows {
		out[i] = r.invitation(now)
	}
	return out, more, nil
}

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
	// CreatedAfter and CreatedBefore, when set, keep the invitations
	// created strictly after the one and strictly before the other.
	CreatedAfter, CreatedBefore *time.Time
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

// qQuestInvitations: invitations with their people, the guest's progress
// and the names of the quest's steps (of the version the claim pinned,
// the current one while pending), filtered by campaign, host or guest
// (participant ids), derived status, next step and a range of creation
// times (NULL for open), newest first. The step filter only matches quests
// in progress. The steps' subquery names the tenant as the value, not
// through the invitation's row: Citus routes a lateral subquery to the
// tenant's shard only so.
const qQuestInvitations = `
	SELECT i.id, c.slug AS campaign, c.name AS campaign_name, i.kind, coalesce(i.code, i.referrer_code) AS code,
	       h.external_id AS host, g.external_id AS guest, i.channel, i.recipient, i.version,
	       i.progress AS done, q.total, q.next_step, q.steps, i.completion_number,
	       i.created_at, i.expires_at, i.claimed_at, i.completed_at, ` + riskColumn + `
	FROM invitations i
	JOIN campaigns c ON c.tenant_id = i.tenant_id AND c.id = i.campaign_id
	JOIN participants h ON h.tenant_id = i.tenant_id AND h.id = i.host_id
	LEFT JOIN participants g ON g.tenant_id = i.tenant_id AND g.id = i.guest_id
	CROSS JOIN LATERAL (
	  SELECT count(*)::int AS total,
	         min(s.event_name) FILTER (WHERE s.position = i.progress + 1) AS next_step,
	         coalesce(json_agg(s.event_name ORDER BY s.position), '[]') AS steps
	  FROM campaign_version_steps s
	  WHERE s.tenant_id = @tenant AND s.campaign_id = i.campaign_id
	    AND s.version = coalesce(i.version, c.current_version)
	) q
	WHERE i.tenant_id = @tenant
	  AND (@campaign = '' OR i.campaign_id = @campaign)
	  AND (@host = '' OR i.host_id = @host)
	  AND (@guest = '' OR i.guest_id = @guest)
	  AND (@status = ''
	    OR (@status = 'completed' AND i.completed_at IS NOT NULL)
	    OR (@status = 'claimed' AND i.guest_id IS NOT NULL AND i.completed_at IS NULL)
	    OR (@status = 'expired' AND i.guest_id IS NULL AND i.expires_at <= now())
	    OR (@status = 'pending' AND i.guest_id IS NULL AND (i.expires_at IS NULL OR i.expires_at > now())))
	  AND (@step = '' OR (i.guest_id IS NOT NULL AND i.completed_at IS NULL AND q.next_step = @step))
	  AND (CAST(@created_after AS timestamptz) IS NULL OR i.created_at > @created_after)
	  AND (CAST(@created_before AS timestamptz) IS NULL OR i.created_at < @created_before)
	  AND (@after = '' OR (i.created_at, i.id) < (SELECT created_at, id FROM invitations WHERE tenant_id = @tenant AND id = @after))
	ORDER BY i.created_at DESC, i.id DESC
	LIMIT @limit`

// ListInvitations returns the invitations f selects, newest first, with
// their guests' progress and their quests' step names. A host or guest
// that does not exist is ErrParticipantNotFound.
func ListInvitations(ctx context.Context, f InvitationFilter, page Page) ([]QuestInvitation, bool, error) {
	if err := f.validate(); err != nil {
		return nil, false, err
	}
	campaign, ok, err := filterCampaign(ctx, f.Campaign)
	if err != nil || !ok {
		return nil, false, err
	}
	host, err := filterParticipant(ctx, f.Host)
	if err != nil {
		return nil, false, err
	}
	guest, err := filterParticipant(ctx, f.Guest)
	if err != nil {
		return nil, false, err
	}
	tx, err := db(ctx)
	if err != nil {
		return nil, false, err
	}
	var rows []questInvitationRow
	args := map[string]any{"tenant": tenantOf(ctx), "campaign": campaign, "host": host, "guest": guest, "status": f.Status,
		"step": f.Step, "created_after": f.CreatedAfter, "created_before": f.CreatedBefore, "after": page.After, "limit": page.limit() + 1}
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

// qQuestStepNames: every event name that is a step of some campaign's
// current version (or of the one campaign with the slug given twice), for the invitations
// page's step filter.
const qQuestStepNames = `
	SELECT DISTINCT s.event_name
	FROM campaign_version_steps s
	JOIN campaigns c ON c.tenant_id = s.tenant_id AND c.id = s.campaign_id AND c.current_version = s.version
	WHERE s.tenant_id = ? AND (? = '' OR c.slug = ?)
	ORDER BY 1`

// QuestStepNames returns the event names that are steps of a campaign's
// current version: of the campaign with slug campaign, or of any.
func QuestStepNames(ctx context.Context, campaign string) ([]string, error) {
	tx, err := db(ctx)
	if err != nil {
		return nil, err
	}
	var names []string
	if err := tx.Raw(qQuestStepNames, tenantOf(ctx), campaign, campaign).Scan(&names).Error; err != nil {
		return nil, fmt.Errorf("list quest steps: %w", err)
	}
	return names, nil
}
