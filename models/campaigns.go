package models

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Campaign modes.
const (
	ModeInvitation   = "invitation"
	ModeReferrerCode = "referrer_code"
)

// Campaign statuses a caller tells apart (the schema lists them all).
const (
	CampaignActive = "active"
	CampaignEnded  = "ended"
)

// Campaign is a referral campaign and the number of its published version.
type Campaign struct {
	ID             string     `json:"id"`
	Slug           string     `json:"slug"`
	Name           string     `json:"name"`
	Mode           string     `json:"mode"`
	Status         string     `json:"status"`
	CurrentVersion *int       `json:"current_version"`
	SignupURL      string     `json:"signup_url"`
	StartsAt       *time.Time `json:"starts_at"`
	EndsAt         *time.Time `json:"ends_at"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
}

// CampaignInput is what a draft save sets: the campaign's own settings,
// which apply at once, and the rules, which wait in the draft until published.
type CampaignInput struct {
	Name      string
	Mode      string
	SignupURL string
	StartsAt  *time.Time
	EndsAt    *time.Time
	Rules     Rules
}

func (in *CampaignInput) validate() error {
	if err := validateText("name", in.Name, 1, 200); err != nil {
		return err
	}
	if in.Mode != ModeInvitation && in.Mode != ModeReferrerCode {
		return invalid("mode", "invalid_mode", "mode must be %q or %q", ModeInvitation, ModeReferrerCode)
	}
	if err := validateURL("signup_url", in.SignupURL); err != nil {
		return err
	}
	if in.StartsAt != nil && in.EndsAt != nil && !in.StartsAt.Before(*in.EndsAt) {
		return invalid("ends_at", "invalid_window", "ends_at must be after starts_at")
	}
	return in.Rules.validate()
}

const campaignColumns = `id, slug, name, mode, status, current_version, signup_url, starts_at, ends_at, created_at, updated_at`

// SaveCampaignDraft creates the campaign if its slug is new, applies its
// settings, and replaces the rules of its draft (creating the draft, as the
// next version number, if there is none).
func SaveCampaignDraft(ctx context.Context, slug string, in CampaignInput) (Campaign, Version, error) {
	if err := validateSlug("slug", slug); err != nil {
		return Campaign{}, Version{}, err
	}
	if err := in.validate(); err != nil {
		return Campaign{}, Version{}, err
	}
	tx, err := db(ctx)
	if err != nil {
		return Campaign{}, Version{}, err
	}
	var before *Campaign
	if existing, err := GetCampaign(ctx, slug); err == nil {
		before = &existing
	}
	// The upsert locks the campaign row, so concurrent saves of one draft
	// take turns instead of racing to create two drafts.
	var c Campaign
	err = tx.Raw(`
		INSERT INTO campaigns (tenant_id, slug, name, mode, signup_url, starts_at, ends_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (tenant_id, slug) DO UPDATE
		SET name = excluded.name, mode = excluded.mode, signup_url = excluded.signup_url,
		    starts_at = excluded.starts_at, ends_at = excluded.ends_at
		RETURNING `+campaignColumns,
		tenantOf(ctx), slug, in.Name, in.Mode, in.SignupURL, in.StartsAt, in.EndsAt).Scan(&c).Error
	if err != nil {
		return Campaign{}, Version{}, dbError("save campaign", err, nil)
	}
	number, err := draftNumber(ctx, c.ID)
	if err != nil {
		return Campaign{}, Version{}, err
	}
	if err := writeRules(ctx, c.ID, number, in.Rules); err != nil {
		return Campaign{}, Version{}, err
	}
	draft, err := loadVersion(ctx, c.ID, number)
	if err != nil {
		return Campaign{}, Version{}, err
	}
	if err := Audit(ctx, "campaign.draft_saved", c.ID, before, map[string]any{"campaign": c, "draft": draft}); err != nil {
		return Campaign{}, Version{}, err
	}
	return c, draft, nil
}

// ErrCampaignExists reports that the slug of a campaign being created is
// already some campaign's.
var ErrCampaignExists = &Error{Conflict, "campaign_exists", "a campaign with this slug already exists"}

// CreateCampaignDraft is SaveCampaignDraft for a campaign that must be new:
// SaveCampaignDraft updates a campaign whose slug exists, which is right for
// the API's PUT but would let a "new campaign" form overwrite another
// campaign's draft. The advisory lock makes two creations of one slug take
// turns, so the second sees the first and fails with ErrCampaignExists.
func CreateCampaignDraft(ctx context.Context, slug string, in CampaignInput) (Campaign, Version, error) {
	if err := validateSlug("slug", slug); err != nil {
		return Campaign{}, Version{}, err
	}
	tx, err := db(ctx)
	if err != nil {
		return Campaign{}, Version{}, err
	}
	if err := tx.Exec(`SELECT pg_advisory_xact_lock(hashtext('campaign_slug'), hashtext(?))`, slug).Error; err != nil {
		return Campaign{}, Version{}, fmt.Errorf("create campaign: %w", err)
	}
	var n int
	if err := tx.Raw(`SELECT count(*) FROM campaigns WHERE tenant_id = ? AND slug = ?`, tenantOf(ctx), slug).Scan(&n).Error; err != nil {
		return Campaign{}, Version{}, fmt.Errorf("create campaign: %w", err)
	}
	if n > 0 {
		return Campaign{}, Version{}, fmt.Errorf("create campaign: %w", ErrCampaignExists)
	}
	return SaveCampaignDraft(ctx, slug, in)
}

// GetCampaign returns the campaign with this slug.
func GetCampaign(ctx context.Context, slug string) (Campaign, error) {
	tx, err := db(ctx)
	if err != nil {
		return Campaign{}, err
	}
	if !slugPattern.MatchString(slug) {
		return Campaign{}, fmt.Errorf("get campaign: %w", ErrCampaignNotFound)
	}
	var c Campaign
	err = tx.Raw(`SELECT `+campaignColumns+` FROM campaigns WHERE tenant_id = ? AND slug = ?`, tenantOf(ctx), slug).Take(&c).Error
	return c, dbError("get campaign", err, ErrCampaignNotFound)
}

// lockCampaign returns the campaign with this slug, locked until the end of
// the transaction.
func lockCampaign(ctx context.Context, slug string) (Campaign, error) {
	tx, err := db(ctx)
	if err != nil {
		return Campaign{}, err
	}
	if !slugPattern.MatchString(slug) {
		return Campaign{}, fmt.Errorf("lock campaign: %w", ErrCampaignNotFound)
	}
	var c Campaign
	// NO KEY: a guest's event judged meanwhile checks its rows' foreign keys
	// to the campaign (FOR KEY SHARE), which FOR UPDATE would make wait for
	// the whole publish.
	err = tx.Raw(`SELECT `+campaignColumns+` FROM campaigns WHERE tenant_id = ? AND slug = ? FOR NO KEY UPDATE`,
		tenantOf(ctx), slug).Take(&c).Error
	return c, dbError("lock campaign", err, ErrCampaignNotFound)
}

// ListCampaigns returns the tenant's campaigns, newest first.
func ListCampaigns(ctx context.Context, page Page) ([]Campaign, bool, error) {
	tx, err := db(ctx)
	if err != nil {
		return nil, false, err
	}
	var cs []Campaign
	err = tx.Raw(`
		SELECT `+campaignColumns+` FROM campaigns
		WHERE tenant_id = @tenant
		  AND (@after = '' OR (created_at, id) < (SELECT created_at, id FROM campaigns WHERE tenant_id = @tenant AND id = @after))
		ORDER BY created_at DESC, id DESC LIMIT @limit`,
		sql.Named("tenant", tenantOf(ctx)), sql.Named("after", page.After), sql.Named("limit", page.limit()+1)).Scan(&cs).Error
	if err != nil {
		return nil, false, fmt.Errorf("list campaigns: %w", err)
	}
	cs, more := trimPage(page, cs)
	return cs, more, nil
}

// Campaign status changes.
const (
	ActionPause  = "pause"
	ActionResume = "resume"
	ActionEnd    = "end"
)

var actionStatus = map[string]string{ActionPause: "paused", ActionResume: "active", ActionEnd: "ended"}

// ChangeCampaignStatus pauses, resumes or ends a campaign. Asking for the
// status it already has changes nothing; the schema refuses the rest of the
// impossible moves (resuming an ended campaign, pausing a draft).
func ChangeCampaignStatus(ctx context.Context, slug, action string) (Campaign, error) {
	status, ok := actionStatus[action]
	if !ok {
		return Campaign{}, invalid("action", "invalid_action", "action must be pause, resume or end")
	}
	before, err := lockCampaign(ctx, slug)
	if err != nil {
		return Campaign{}, err
	}
	if before.Status == status {
		return before, nil
	}
	tx, err := db(ctx)
	if err != nil {
		return Campaign{}, err
	}
	var after Campaign
	err = tx.Raw(`UPDATE campaigns SET status = ? WHERE tenant_id = ? AND id = ? RETURNING `+campaignColumns,
		status, tenantOf(ctx), before.ID).Scan(&after).Error
	if err != nil {
		return Campaign{}, dbError("change campaign status", err, nil)
	}
	if err := Audit(ctx, "campaign."+action, before.ID, before, after); err != nil {
		return Campaign{}, err
	}
	return after, nil
}

// CampaignChoice is a campaign as a filter menu shows it.
type CampaignChoice struct {
	Slug   string `json:"slug"`
	Name   string `json:"name"`
	Status string `json:"status"`
}

// qCampaignChoices: every campaign's slug and name, for filter menus.
const qCampaignChoices = `
	SELECT slug, name, status FROM campaigns WHERE tenant_id = ? ORDER BY lower(name), slug LIMIT 1000`

// CampaignChoices returns every campaign by name, for filter menus.
func CampaignChoices(ctx context.Context) ([]CampaignChoice, error) {
	tx, err := db(ctx)
	if err != nil {
		return nil, err
	}
	var cs []CampaignChoice
	if err := tx.Raw(qCampaignChoices, tenantOf(ctx)).Scan(&cs).Error; err != nil {
		return nil, fmt.Errorf("list campaign choices: %w", err)
	}
	return cs, nil
}

// CampaignStats are a campaign's key numbers for the console's list: its
// invitations by how far they got, and the reward tokens it issued (in any
// status since: a redeemed or voided reward was still issued).
type CampaignStats struct {
	CampaignID string
	// Invitations counts every invitation; in referrer-code mode they are
	// born claimed, so it equals Claimed.
	Invitations int
	Claimed     int
	Completed   int
	Rewards     int
}

// CampaignStatsByID counts the key numbers of the campaigns with these ids
// (a page of the list), one grouped count per table rather than one query
// per campaign. Campaigns with nothing yet are absent from the map.
func CampaignStatsByID(ctx context.Context, ids []string) (map[string]CampaignStats, error) {
	out := make(map[string]CampaignStats, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	tx, err := db(ctx)
	if err != nil {
		return nil, err
	}
	var invs []CampaignStats
	err = tx.Raw(`
		SELECT campaign_id, count(*) AS invitations, count(claimed_at) AS claimed, count(completed_at) AS completed
		FROM invitations WHERE tenant_id = ? AND campaign_id IN ? GROUP BY campaign_id`, tenantOf(ctx), ids).Scan(&invs).Error
	if err != nil {
		return nil, fmt.Errorf("count campaign invitations: %w", err)
	}
	for _, s := range invs {
		out[s.CampaignID] = s
	}
	var rewards []struct {
		CampaignID string
		Rewards    int
	}
	err = tx.Raw(`SELECT campaign_id, count(*) AS rewards FROM reward_tokens WHERE tenant_id = ? AND campaign_id IN ? GROUP BY campaign_id`,
		tenantOf(ctx), ids).Scan(&rewards).Error
	if err != nil {
		return nil, fmt.Errorf("count campaign rewards: %w", err)
	}
	for _, r := range rewards {
		s := out[r.CampaignID]
		s.CampaignID, s.Rewards = r.CampaignID, r.Rewards
		out[r.CampaignID] = s
	}
	return out, nil
}
