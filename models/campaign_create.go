package models

import (
	"context"
	"fmt"
)

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
	if err := tx.Raw(`SELECT count(*) FROM campaigns WHERE slug = ?`, slug).Scan(&n).Error; err != nil {
		return Campaign{}, Version{}, fmt.Errorf("create campaign: %w", err)
	}
	if n > 0 {
		return Campaign{}, Version{}, fmt.Errorf("create campaign: %w", ErrCampaignExists)
	}
	return SaveCampaignDraft(ctx, slug, in)
}
