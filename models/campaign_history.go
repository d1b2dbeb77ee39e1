package models

import (
	"context"
	"errors"
	"fmt"
)

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
	err = tx.Raw(`SELECT version FROM campaign_versions WHERE campaign_id = ? AND published_at IS NOT NULL ORDER BY version DESC`,
		c.ID).Scan(&numbers).Error
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
