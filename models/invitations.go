package models

import (
	"context"
	"fmt"
	"time"
)

// Invitation statuses, derived from the row.
const (
	StatusPending   = "pending"
	StatusExpired   = "expired"
	StatusClaimed   = "claimed"
	StatusCompleted = "completed"
)

// Invitation is a referral from a host to a guest, with the guest's quest
// progress against the version the claim pinned.
type Invitation struct {
	ID               string     `json:"id"`
	Campaign         string     `json:"campaign"`
	Kind             string     `json:"kind"`
	Code             string     `json:"code"`
	Status           string     `json:"status"`
	Host             string     `json:"host"`
	Guest            *string    `json:"guest"`
	Channel          string     `json:"channel"`
	Recipient        string     `json:"recipient"`
	Version          *int       `json:"version"`
	Progress         Progress   `json:"progress"`
	CompletionNumber *int       `json:"completion_number"`
	CreatedAt        time.Time  `json:"created_at"`
	ExpiresAt        *time.Time `json:"expires_at"`
	ClaimedAt        *time.Time `json:"claimed_at"`
	CompletedAt      *time.Time `json:"completed_at"`
	// Risk is what the referral was found to carry, at claim and after.
	Risk Risk `json:"risk"`
}

// Progress is how far a guest is in the quest.
type Progress struct {
	Done     int     `json:"done"`
	Total    int     `json:"total"`
	NextStep *string `json:"next_step"`
}

type invitationRow struct {
	ID               string
	Campaign         string
	Kind             string
	Code             string
	Host             string
	Guest            *string
	Channel          string
	Recipient        string
	Version          *int
	Done             int
	Total            int
	NextStep         *string
	CompletionNumber *int
	CreatedAt        time.Time
	ExpiresAt        *time.Time
	ClaimedAt        *time.Time
	CompletedAt      *time.Time
	Risk             Risk `gorm:"serializer:json"`
}

// invitationSelect reads invitations with their campaign, people and the
// quest of their version (the current one while still pending).
const invitationSelect = `
	SELECT i.id, c.slug AS campaign, i.kind, coalesce(i.code, i.referrer_code) AS code,
	       h.external_id AS host, g.external_id AS guest, i.channel, i.recipient, i.version,
	       i.progress AS done, q.total, q.next_step, i.completion_number,
	       i.created_at, i.expires_at, i.claimed_at, i.completed_at, ` + riskColumn + `
	FROM invitations i
	JOIN campaigns c ON c.tenant_id = i.tenant_id AND c.id = i.campaign_id
	JOIN participants h ON h.tenant_id = i.tenant_id AND h.id = i.host_id
	LEFT JOIN participants g ON g.tenant_id = i.tenant_id AND g.id = i.guest_id
	CROSS JOIN LATERAL (
	  SELECT count(*)::int AS total, min(s.event_name) FILTER (WHERE s.position = i.progress + 1) AS next_step
	  FROM campaign_version_steps s
	  WHERE s.tenant_id = i.tenant_id AND s.campaign_id = i.campaign_id
	    AND s.version = coalesce(i.version, c.current_version)
	) q`

func (r invitationRow) invitation(now time.Time) Invitation {
	inv := Invitation{
		ID: r.ID, Campaign: r.Campaign, Kind: r.Kind, Code: r.Code, Host: r.Host, Guest: r.Guest,
		Channel: r.Channel, Recipient: r.Recipient, Version: r.Version, CompletionNumber: r.CompletionNumber,
		Progress:  Progress{Done: r.Done, Total: r.Total, NextStep: r.NextStep},
		CreatedAt: r.CreatedAt, ExpiresAt: r.ExpiresAt, ClaimedAt: r.ClaimedAt, CompletedAt: r.CompletedAt, Risk: r.Risk,
	}
	switch {
	case r.CompletedAt != nil:
		inv.Status = StatusCompleted
	case r.Guest != nil:
		inv.Status = StatusClaimed
	case r.ExpiresAt != nil && !now.Before(*r.ExpiresAt):
		inv.Status = StatusExpired
	default:
		inv.Status = StatusPending
	}
	return inv
}

// GetInvitation returns one invitation by id.
func GetInvitation(ctx context.Context, id string) (Invitation, error) {
	tx, err := db(ctx)
	if err != nil {
		return Invitation{}, err
	}
	var row invitationRow
	err = tx.Raw(invitationSelect+` WHERE i.tenant_id = ? AND i.id = ?`, tenantOf(ctx), id).Take(&row).Error
	if err != nil {
		return Invitation{}, dbError("get invitation", err, ErrInvitationNotFound)
	}
	return row.invitation(time.Now()), nil
}

// InvitationInput is a host's new manual invitation.
type InvitationInput struct {
	Host      string
	Channel   string
	Recipient string
}

// CreateInvitation makes a pending single-use invitation in a live manual
// campaign; the schema draws its code and sets its expiry from the TTL of
// the current version.
func CreateInvitation(ctx context.Context, campaignSlug string, in InvitationInput) (Invitation, error) {
	if err := validateExternalID("host", in.Host); err != nil {
		return Invitation{}, err
	}
	if err := validateText("channel", in.Channel, 0, 50); err != nil {
		return Invitation{}, err
	}
	if err := validateText("recipient", in.Recipient, 0, 254); err != nil {
		return Invitation{}, err
	}
	c, err := GetCampaign(ctx, campaignSlug)
	if err != nil {
		return Invitation{}, err
	}
	// The schema refuses it too (invitation_campaign_mode); asking first
	// lets the refusal name both modes.
	if c.Mode != ModeInvitation {
		return Invitation{}, fmt.Errorf("create invitation: %w", modeMismatch(c, ModeInvitation, "an invitation"))
	}
	tx, err := db(ctx)
	if err != nil {
		return Invitation{}, err
	}
	// The statement draws the code (register_code, on Citus on the
	// coordinator, before the row goes to the tenant's worker).
	var id string
	err = tx.Raw(`
		INSERT INTO invitations (tenant_id, campaign_id, kind, host_id, channel, recipient, code)
		VALUES (?, ?, 'invitation', participant_id(?), ?, ?, register_code('invitation')) RETURNING id`,
		tenantOf(ctx), c.ID, in.Host, in.Channel, in.Recipient).Scan(&id).Error
	if err != nil {
		return Invitation{}, dbError("create invitation", err, nil)
	}
	return GetInvitation(ctx, id)
}

// ReferrerCode returns the host's personal code in a referrer-code campaign,
// the same one every time.
func ReferrerCode(ctx context.Context, campaignSlug, hostExternalID string) (string, error) {
	if err := validateExternalID("participant", hostExternalID); err != nil {
		return "", err
	}
	c, err := GetCampaign(ctx, campaignSlug)
	if err != nil {
		return "", err
	}
	if c.Mode != ModeReferrerCode {
		return "", fmt.Errorf("referrer code: %w", modeMismatch(c, ModeReferrerCode, "a referrer code"))
	}
	tx, err := db(ctx)
	if err != nil {
		return "", err
	}
	host, err := participantID(ctx, hostExternalID)
	if err != nil {
		return "", err
	}
	var code string
	find := `SELECT code FROM referrer_codes WHERE tenant_id = ? AND campaign_id = ? AND host_id = ?`
	if err := tx.Raw(find, tenantOf(ctx), c.ID, host).Scan(&code).Error; err != nil || code != "" {
		return code, dbError("find referrer code", err, nil)
	}
	// Insert only when missing: the code column's default reserves a code.
	err = tx.Raw(`
		INSERT INTO referrer_codes (tenant_id, campaign_id, host_id) VALUES (?, ?, ?)
		ON CONFLICT (tenant_id, campaign_id, host_id) DO NOTHING RETURNING code`, tenantOf(ctx), c.ID, host).Scan(&code).Error
	if err != nil {
		return "", dbError("create referrer code", err, nil)
	}
	if code == "" { // a concurrent request created it first
		err = tx.Raw(find, tenantOf(ctx), c.ID, host).Scan(&code).Error
	}
	return code, dbError("find referrer code", err, nil)
}

// Claim records that the guest accepted a code: a manual invitation's
// single-use code or a host's referrer code (which creates the invitation,
// already claimed). The schema decides every outcome: unknown code,
// already claimed, guest already referred, self-referral, expired, campaign
// not active. The claim itself is the guest's invitation_claimed event.
func Claim(ctx context.Context, code, guestExternalID string) (Invitation, error) {
	return ClaimFrom(ctx, code, guestExternalID, nil)
}

// ClaimFrom is Claim with the client the guest claimed from (nil: not
// known). The referral's risk signals are judged first and written by the
// claim itself (claimRisk), so that a version blocking high risk refuses it.
func ClaimFrom(ctx context.Context, code, guestExternalID string, client *Client) (Invitation, error) {
	if err := client.validate(); err != nil {
		return Invitation{}, err
	}
	code, err := NormalizeCode(code)
	if err != nil {
		return Invitation{}, err
	}
	if err := validateExternalID("guest", guestExternalID); err != nil {
		return Invitation{}, err
	}
	tx, err := db(ctx)
	if err != nil {
		return Invitation{}, err
	}
	var kind string
	if err := tx.Raw(`SELECT kind FROM invite_codes WHERE tenant_id = ? AND code = ?`, tenantOf(ctx), code).Scan(&kind).Error; err != nil {
		return Invitation{}, fmt.Errorf("claim: find code: %w", err)
	}
	if kind != ModeInvitation && kind != ModeReferrerCode {
		return Invitation{}, fmt.Errorf("claim: %w", ErrCodeNotFound)
	}
	// The guest is found (or created) first, by value: Citus evaluates no
	// function that writes inside a statement it sends to a worker. A
	// claim that fails rolls the new guest back with it.
	guest, err := participantID(ctx, guestExternalID)
	if err != nil {
		return Invitation{}, err
	}
	signals, err := claimRisk(ctx, kind, code, guest, client)
	if err != nil {
		return Invitation{}, err
	}
	stored, level, err := riskColumns(signals)
	if err != nil {
		return Invitation{}, err
	}
	var id string
	if kind == ModeInvitation {
		err = tx.Raw(`UPDATE invitations SET guest_id = ?, risk_signals = ?::jsonb, risk_level = ? WHERE tenant_id = ? AND code = ? RETURNING id`,
			guest, stored, level, tenantOf(ctx), code).Scan(&id).Error
	} else {
		err = tx.Raw(`
			INSERT INTO invitations (tenant_id, campaign_id, kind, host_id, referrer_code, guest_id, risk_signals, risk_level)
			SELECT tenant_id, campaign_id, 'referrer_code', host_id, code, ?, ?::jsonb, ?
			FROM referrer_codes WHERE tenant_id = ? AND code = ? RETURNING id`, guest, stored, level, tenantOf(ctx), code).Scan(&id).Error
	}
	if err != nil {
		return Invitation{}, dbError("claim", err, nil)
	}
	if id == "" {
		return Invitation{}, fmt.Errorf("claim: %w", ErrCodeNotFound)
	}
	return GetInvitation(ctx, id)
}

// GetInvitationByCode returns the manual invitation with this code. A
// referrer code names every referral made with it, not one: it is not
// found here (ListInvitations filters by host).
func GetInvitationByCode(ctx context.Context, code string) (Invitation, error) {
	code, err := NormalizeCode(code)
	if err != nil {
		return Invitation{}, err
	}
	tx, err := db(ctx)
	if err != nil {
		return Invitation{}, err
	}
	var row invitationRow
	err = tx.Raw(invitationSelect+` WHERE i.tenant_id = ? AND i.code = ?`, tenantOf(ctx), code).Take(&row).Error
	if err != nil {
		return Invitation{}, dbError("get invitation", err, ErrInvitationNotFound)
	}
	return row.invitation(time.Now()), nil
}
