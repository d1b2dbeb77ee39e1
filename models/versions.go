package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Rules are the contents of a campaign version: the quest, the host's
// milestone table and the guest's reward.
type Rules struct {
	Steps               []string    `json:"steps"`
	Milestones          []Milestone `json:"host_milestones"`
	RepeatLastMilestone bool        `json:"repeat_last_milestone"`
	GuestReward         *Reward     `json:"guest_reward"`
	InvitationTTLHours  int         `json:"invitation_ttl_hours"`
	// RewardExpiresAfterDays is how long the version's rewards stay
	// redeemable after they are issued; nil: for ever.
	RewardExpiresAfterDays *int `json:"reward_expires_after_days"`
	// Review says which of the version's rewards wait for a person:
	// ReviewOff, ReviewRisky (those of a referral whose risk is at or
	// above ReviewThreshold) or ReviewAll. The schema decides, when each
	// token is issued.
	Review          string `json:"review"`
	ReviewThreshold string `json:"review_threshold"`
	// BlockHighRisk refuses a claim whose risk is high (claim_blocked)
	// instead of holding its rewards; only with a Review other than off.
	BlockHighRisk bool `json:"block_high_risk"`
	// VelocityClaims and VelocityWindowMinutes: a host with more claims
	// than VelocityClaims in the campaign within the window carries the
	// velocity signal (defaults DefaultVelocityClaims in
	// DefaultVelocityWindowMinutes).
	VelocityClaims        int `json:"velocity_claims"`
	VelocityWindowMinutes int `json:"velocity_window_minutes"`
}

// Review settings of a version (campaign_versions.review and
// review_threshold) and risk levels.
const (
	ReviewOff   = "off"
	ReviewRisky = "risky"
	ReviewAll   = "all"
	RiskMedium  = "medium"
	RiskHigh    = "high"
)

// Velocity defaults and bounds (the schema's version_velocity_* CHECKs):
// 10 claims an hour unless the version says otherwise.
const (
	DefaultVelocityClaims        = 10
	DefaultVelocityWindowMinutes = 60
	MaxVelocityClaims            = 1000
	MaxVelocityWindowMinutes     = 43200
)

// MaxRewardExpiryDays bounds RewardExpiresAfterDays (ten years).
const MaxRewardExpiryDays = 3650

// DefaultInvitationTTLHours applies when a draft sets no TTL: 30 days.
const DefaultInvitationTTLHours = 720

// MaxQuestSteps bounds the length of a quest.
const MaxQuestSteps = 20

func (r *Rules) validate() error {
	if len(r.Steps) == 0 {
		return invalid("quest.steps", "required", "a quest needs at least one step")
	}
	if len(r.Steps) > MaxQuestSteps {
		return invalid("quest.steps", "too_many_steps", "a quest has at most %d steps", MaxQuestSteps)
	}
	seen := map[string]bool{}
	for i, s := range r.Steps {
		field := fmt.Sprintf("quest.steps[%d]", i)
		if err := validateEventName(field, s); err != nil {
			return err
		}
		if seen[s] {
			return invalid(field, "duplicate_step", "a quest cannot repeat the event %q", s)
		}
		seen[s] = true
	}
	if err := validateMilestones(r.Milestones); err != nil {
		return err
	}
	if r.RepeatLastMilestone && len(r.Milestones) == 0 {
		return invalid("repeat_last_milestone", "invalid_milestones", "there is no last milestone to repeat")
	}
	if r.GuestReward != nil {
		if err := r.GuestReward.validate("guest_reward"); err != nil {
			return err
		}
	}
	if r.InvitationTTLHours == 0 {
		r.InvitationTTLHours = DefaultInvitationTTLHours
	}
	if r.InvitationTTLHours < 1 || r.InvitationTTLHours > 87600 {
		return invalid("invitation_ttl_hours", "invalid_ttl", "invitation_ttl_hours must be between 1 and 87600")
	}
	if d := r.RewardExpiresAfterDays; d != nil && (*d < 1 || *d > MaxRewardExpiryDays) {
		return invalid("reward_expires_after_days", "invalid_reward_expiry", "reward_expires_after_days is from 1 to %d, or null for no expiry", MaxRewardExpiryDays)
	}
	return r.validateReview()
}

// validateReview checks the review settings, defaulting the empty ones
// (off, medium), before the schema's CHECKs would refuse the statement.
func (r *Rules) validateReview() error {
	if r.Review == "" {
		r.Review = ReviewOff
	}
	if r.ReviewThreshold == "" {
		r.ReviewThreshold = RiskMedium
	}
	if r.Review != ReviewOff && r.Review != ReviewRisky && r.Review != ReviewAll {
		return invalid("review", "invalid_review", "review is off, risky or all")
	}
	if r.ReviewThreshold != RiskMedium && r.ReviewThreshold != RiskHigh {
		return invalid("review_threshold", "invalid_review", "review_threshold is medium or high")
	}
	if r.BlockHighRisk && r.Review == ReviewOff {
		return invalid("block_high_risk", "invalid_review", "block_high_risk needs review risky or all")
	}
	if r.VelocityClaims == 0 {
		r.VelocityClaims = DefaultVelocityClaims
	}
	if r.VelocityWindowMinutes == 0 {
		r.VelocityWindowMinutes = DefaultVelocityWindowMinutes
	}
	if r.VelocityClaims < 1 || r.VelocityClaims > MaxVelocityClaims {
		return invalid("velocity_claims", "invalid_velocity", "velocity_claims is between 1 and %d", MaxVelocityClaims)
	}
	if r.VelocityWindowMinutes < 1 || r.VelocityWindowMinutes > MaxVelocityWindowMinutes {
		return invalid("velocity_window_minutes", "invalid_velocity", "velocity_window_minutes is between 1 and %d (30 days)", MaxVelocityWindowMinutes)
	}
	return nil
}

// Version is one numbered set of rules of a campaign; a nil PublishedAt
// marks the draft.
type Version struct {
	Number      int        `json:"version"`
	Rules       Rules      `json:"rules"`
	CreatedAt   time.Time  `json:"created_at"`
	PublishedAt *time.Time `json:"published_at"`
}

// draftNumber returns the number of the campaign's draft, creating the draft
// as the next version when there is none.
func draftNumber(ctx context.Context, campaignID string) (int, error) {
	tx, err := db(ctx)
	if err != nil {
		return 0, err
	}
	var number int
	err = tx.Raw(`SELECT version FROM campaign_versions WHERE tenant_id = ? AND campaign_id = ? AND published_at IS NULL`,
		tenantOf(ctx), campaignID).Scan(&number).Error
	if err != nil || number > 0 {
		return number, dbError("find draft", err, nil)
	}
	err = tx.Raw(`
		INSERT INTO campaign_versions (tenant_id, campaign_id, version)
		SELECT @tenant, @campaign, coalesce(max(version), 0) + 1 FROM campaign_versions WHERE tenant_id = @tenant AND campaign_id = @campaign
		RETURNING version`, sql.Named("tenant", tenantOf(ctx)), sql.Named("campaign", campaignID)).Scan(&number).Error
	return number, dbError("create draft", err, nil)
}

// writeRules replaces the rules of a draft version.
func writeRules(ctx context.Context, campaignID string, number int, r Rules) error {
	tx, err := db(ctx)
	if err != nil {
		return err
	}
	g := r.GuestReward
	if g == nil {
		g = &Reward{}
	}
	err = tx.Exec(`
		UPDATE campaign_versions
		SET repeat_last_milestone = ?, invitation_ttl_hours = ?, reward_expires_after_days = ?,
		    review = ?, review_threshold = ?, block_high_risk = ?, velocity_claims = ?, velocity_window_minutes = ?,
		    guest_reward_description = NULLIF(?, ''), guest_reward_kind = NULLIF(?, ''),
		    guest_reward_quantity = NULLIF(?, 0), guest_reward_amount = ?, guest_reward_currency = NULLIF(?, ''),
		    guest_reward_percent_off = ?
		WHERE tenant_id = ? AND campaign_id = ? AND version = ?`,
		r.RepeatLastMilestone, r.InvitationTTLHours, r.RewardExpiresAfterDays, r.Review, r.ReviewThreshold, r.BlockHighRisk, r.VelocityClaims, r.VelocityWindowMinutes, g.Description, g.Kind, g.Quantity, g.Amount, g.Currency,
		g.PercentOff, tenantOf(ctx), campaignID, number).Error
	if err != nil {
		return dbError("write draft", err, nil)
	}
	for _, table := range []string{"campaign_version_steps", "campaign_version_milestones"} {
		if err := tx.Exec(`DELETE FROM `+table+` WHERE tenant_id = ? AND campaign_id = ? AND version = ?`,
			tenantOf(ctx), campaignID, number).Error; err != nil {
			return dbError("clear draft", err, nil)
		}
	}
	for i, step := range r.Steps {
		err := tx.Exec(`INSERT INTO campaign_version_steps (tenant_id, campaign_id, version, position, event_name) VALUES (?, ?, ?, ?, ?)`,
			tenantOf(ctx), campaignID, number, i+1, step).Error
		if err != nil {
			return dbError("write quest step", err, nil)
		}
	}
	for _, m := range r.Milestones {
		err := tx.Exec(`
			INSERT INTO campaign_version_milestones
			  (tenant_id, campaign_id, version, nth, reward_description, reward_kind, reward_quantity, reward_amount,
			   reward_currency, reward_percent_off)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, ''), ?)`,
			tenantOf(ctx), campaignID, number, m.Count, m.Reward.Description, m.Reward.Kind, m.Reward.Quantity, m.Reward.Amount, m.Reward.Currency,
			m.Reward.PercentOff).Error
		if err != nil {
			return dbError("write milestone", err, nil)
		}
	}
	return nil
}

// loadVersion reads one version with its steps and milestones.
func loadVersion(ctx context.Context, campaignID string, number int) (Version, error) {
	tx, err := db(ctx)
	if err != nil {
		return Version{}, err
	}
	var row struct {
		RepeatLastMilestone    bool
		InvitationTTLHours     int
		RewardExpiresAfterDays *int
		Review                 string
		ReviewThreshold        string
		BlockHighRisk          bool
		VelocityClaims         int
		VelocityWindowMinutes  int
		GuestRewardDescription *string
		GuestRewardKind        *string
		GuestRewardQuantity    *int
		GuestRewardAmount      *int64
		GuestRewardCurrency    *string
		GuestRewardPercentOff  *float64
		CreatedAt              time.Time
		PublishedAt            *time.Time
	}
	err = tx.Raw(`
		SELECT repeat_last_milestone, invitation_ttl_hours, reward_expires_after_days, review, review_threshold, block_high_risk,
		       velocity_claims, velocity_window_minutes, guest_reward_description, guest_reward_kind,
		       guest_reward_quantity, guest_reward_amount, guest_reward_currency, guest_reward_percent_off, created_at, published_at
		FROM campaign_versions WHERE tenant_id = ? AND campaign_id = ? AND version = ?`, tenantOf(ctx), campaignID, number).Take(&row).Error
	if err != nil {
		return Version{}, dbError("load version", err, ErrCampaignNotFound)
	}
	v := Version{Number: number, CreatedAt: row.CreatedAt, PublishedAt: row.PublishedAt, Rules: Rules{
		RepeatLastMilestone:    row.RepeatLastMilestone,
		InvitationTTLHours:     row.InvitationTTLHours,
		RewardExpiresAfterDays: row.RewardExpiresAfterDays,
		Review:                 row.Review,
		ReviewThreshold:        row.ReviewThreshold,
		BlockHighRisk:          row.BlockHighRisk,
		VelocityClaims:         row.VelocityClaims,
		VelocityWindowMinutes:  row.VelocityWindowMinutes,
		Steps:                  []string{},
		Milestones:             []Milestone{},
	}}
	if row.GuestRewardDescription != nil {
		v.Rules.GuestReward = &Reward{Description: *row.GuestRewardDescription, Kind: *row.GuestRewardKind,
			Quantity: *row.GuestRewardQuantity, Amount: row.GuestRewardAmount, Currency: deref(row.GuestRewardCurrency),
			PercentOff: row.GuestRewardPercentOff}
	}
	err = tx.Raw(`SELECT event_name FROM campaign_version_steps WHERE tenant_id = ? AND campaign_id = ? AND version = ? ORDER BY position`,
		tenantOf(ctx), campaignID, number).Scan(&v.Rules.Steps).Error
	if err != nil {
		return Version{}, fmt.Errorf("load quest steps: %w", err)
	}
	var milestones []struct {
		Nth               int
		RewardDescription string
		RewardKind        string
		RewardQuantity    int
		RewardAmount      *int64
		RewardCurrency    *string
		RewardPercentOff  *float64
	}
	err = tx.Raw(`
		SELECT nth, reward_description, reward_kind, reward_quantity, reward_amount, reward_currency, reward_percent_off
		FROM campaign_version_milestones WHERE tenant_id = ? AND campaign_id = ? AND version = ? ORDER BY nth`,
		tenantOf(ctx), campaignID, number).Scan(&milestones).Error
	if err != nil {
		return Version{}, fmt.Errorf("load milestones: %w", err)
	}
	for _, m := range milestones {
		v.Rules.Milestones = append(v.Rules.Milestones, Milestone{Count: m.Nth, Reward: Reward{
			Description: m.RewardDescription, Kind: m.RewardKind, Quantity: m.RewardQuantity,
			Amount: m.RewardAmount, Currency: deref(m.RewardCurrency), PercentOff: m.RewardPercentOff}})
	}
	return v, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// CampaignVersions returns the campaign's current version and its draft,
// either of which may be absent.
func CampaignVersions(ctx context.Context, c Campaign) (current, draft *Version, err error) {
	if c.CurrentVersion != nil {
		v, err := loadVersion(ctx, c.ID, *c.CurrentVersion)
		if err != nil {
			return nil, nil, err
		}
		current = &v
	}
	tx, err := db(ctx)
	if err != nil {
		return nil, nil, err
	}
	var number int
	err = tx.Raw(`SELECT version FROM campaign_versions WHERE tenant_id = ? AND campaign_id = ? AND published_at IS NULL`,
		tenantOf(ctx), c.ID).Scan(&number).Error
	if err != nil {
		return nil, nil, fmt.Errorf("find draft: %w", err)
	}
	if number > 0 {
		v, err := loadVersion(ctx, c.ID, number)
		if err != nil {
			return nil, nil, err
		}
		draft = &v
	}
	return current, draft, nil
}

// ErrVersionNotFound reports a version number the campaign has not
// published (the draft is not part of its history).
var ErrVersionNotFound = &Error{NotFound, "version_not_found", "the campaign has no published version with this number"}

// ListPublishedVersions returns the campaign's published versions with their
// rules, newest first: its version history.
func ListPublishedVersions(ctx context.Context, c Campaign) ([]Version, error) {
	tx, err := db(ctx)
	if err != nil {
		return nil, err
	}
	var numbers []int
	err = tx.Raw(`SELECT version FROM campaign_versions WHERE tenant_id = ? AND campaign_id = ? AND published_at IS NOT NULL ORDER BY version DESC`,
		tenantOf(ctx), c.ID).Scan(&numbers).Error
	if err != nil {
		return nil, fmt.Errorf("list versions: %w", err)
	}
	versions := make([]Version, 0, len(numbers))
	for _, n := range numbers {
		v, err := loadVersion(ctx, c.ID, n)
		if err != nil {
			return nil, err
		}
		versions = append(versions, v)
	}
	return versions, nil
}

// GetPublishedVersion returns version number of the campaign, if published.
func GetPublishedVersion(ctx context.Context, c Campaign, number int) (Version, error) {
	v, err := loadVersion(ctx, c.ID, number)
	if errors.Is(err, ErrCampaignNotFound) || (err == nil && v.PublishedAt == nil) {
		return Version{}, fmt.Errorf("get version: %w", ErrVersionNotFound)
	}
	return v, err
}
