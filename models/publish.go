package models

import (
	"context"
	"fmt"
)

// What publishing does with invitations that are claimed but not complete.
const (
	InflightKeep    = "keep"    // they stay on the version they were claimed under
	InflightMigrate = "migrate" // they move to the new version and are judged again
)

// MigrationPreview counts what "migrate" would do to the in-flight
// invitations: judged again from their stored events against the draft's
// quest, each would complete, advance, fall back, or stay where it is.
type MigrationPreview struct {
	InFlight  int `json:"in_flight"`
	Complete  int `json:"complete"`
	Advance   int `json:"advance"`
	FallBack  int `json:"fall_back"`
	Unchanged int `json:"unchanged"`
}

// Publication is the outcome of publishing a draft.
type Publication struct {
	Campaign Campaign         `json:"campaign"`
	Version  Version          `json:"version"`
	Inflight string           `json:"inflight"`
	Migrated MigrationPreview `json:"migrated"`
}

// PreviewMigration tells what publishing the campaign's draft with
// "migrate" would do, without changing anything.
func PreviewMigration(ctx context.Context, slug string) (MigrationPreview, error) {
	c, err := GetCampaign(ctx, slug)
	if err != nil {
		return MigrationPreview{}, err
	}
	draft, err := findDraft(ctx, c.ID)
	if err != nil {
		return MigrationPreview{}, err
	}
	return previewMigration(ctx, c.ID, draft)
}

func previewMigration(ctx context.Context, campaignID string, version int) (MigrationPreview, error) {
	tx, err := db(ctx)
	if err != nil {
		return MigrationPreview{}, err
	}
	var p MigrationPreview
	err = tx.Raw(`SELECT in_flight, complete, advance, fall_back, unchanged FROM preview_quest_migration(?, ?)`,
		campaignID, version).Scan(&p).Error
	if err != nil {
		return MigrationPreview{}, fmt.Errorf("preview migration: %w", err)
	}
	return p, nil
}

// publishedBefore is what a publish replaces, shaped as the Publication
// that records it: the campaign, and the version in force until now when
// there was one. The audit log then compares the two field by field (the
// campaign's status and version, each rule that changed) instead of
// listing every field of the publication as new.
func publishedBefore(ctx context.Context, c Campaign) (map[string]any, error) {
	prior := map[string]any{"campaign": c}
	if c.CurrentVersion == nil {
		return prior, nil
	}
	v, err := loadVersion(ctx, c.ID, *c.CurrentVersion)
	if err != nil {
		return nil, err
	}
	prior["version"] = v
	return prior, nil
}

func findDraft(ctx context.Context, campaignID string) (int, error) {
	tx, err := db(ctx)
	if err != nil {
		return 0, err
	}
	var number int
	err = tx.Raw(`SELECT version FROM campaign_versions WHERE tenant_id = ? AND campaign_id = ? AND published_at IS NULL`,
		tenantOf(ctx), campaignID).Scan(&number).Error
	if err != nil {
		return 0, fmt.Errorf("find draft: %w", err)
	}
	if number == 0 {
		return 0, ErrNoDraft
	}
	return number, nil
}

// PublishCampaign freezes the campaign's draft as its current version and
// makes the campaign active. With InflightMigrate, it starts a migration
// (campaign_migrations.go) and returns: a job then moves every claimed
// invitation that has not completed to the new version, in short batches,
// each judged again from its stored events; rewards already issued are
// never taken back, and a migrated invitation that now completes earns its
// rewards in its batch. Migrated is the preview's forecast of that.
func PublishCampaign(ctx context.Context, slug, inflight string) (Publication, error) {
	if inflight == "" {
		inflight = InflightKeep
	}
	if inflight != InflightKeep && inflight != InflightMigrate {
		return Publication{}, invalid("inflight", "invalid_inflight", "inflight must be %q or %q", InflightKeep, InflightMigrate)
	}
	before, err := lockCampaign(ctx, slug)
	if err != nil {
		return Publication{}, err
	}
	number, err := findDraft(ctx, before.ID)
	if err != nil {
		return Publication{}, err
	}
	tx, err := db(ctx)
	if err != nil {
		return Publication{}, err
	}
	// Publishing waits for the events in flight that may have missed the
	// new steps (campaign_versions_await_events): whatever judges from here
	// on, the preview included, sees them.
	err = tx.Exec(`UPDATE campaign_versions SET published_at = now() WHERE tenant_id = ? AND campaign_id = ? AND version = ?`,
		tenantOf(ctx), before.ID, number).Error
	if err != nil {
		return Publication{}, dbError("publish version", err, nil)
	}
	var preview MigrationPreview
	if inflight == InflightMigrate {
		if preview, err = previewMigration(ctx, before.ID, number); err != nil {
			return Publication{}, err
		}
	}
	var after Campaign
	err = tx.Raw(`UPDATE campaigns SET current_version = ?, status = 'active' WHERE tenant_id = ? AND id = ? RETURNING `+campaignColumns,
		number, tenantOf(ctx), before.ID).Scan(&after).Error
	if err != nil {
		return Publication{}, dbError("activate campaign", err, nil)
	}
	if inflight == InflightMigrate {
		if err := startMigration(ctx, before.ID, number, preview.InFlight); err != nil {
			return Publication{}, err
		}
	}
	version, err := loadVersion(ctx, before.ID, number)
	if err != nil {
		return Publication{}, err
	}
	pub := Publication{Campaign: after, Version: version, Inflight: inflight, Migrated: preview}
	prior, err := publishedBefore(ctx, before)
	if err != nil {
		return Publication{}, err
	}
	if err := Audit(ctx, "campaign.published", before.ID, prior, pub); err != nil {
		return Publication{}, err
	}
	return pub, nil
}
