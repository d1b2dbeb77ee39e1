package console

import (
	"context"
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/views"
)

// showCampaignPage shows a campaign: its status and actions, the rules in
// force, the draft and the version history. Every member may read it; the
// page hides what their role may not do.
func (h *handler) showCampaignPage(c *fiber.Ctx) error {
	slug := c.Params("slug")
	return h.console(c, models.PermCampaignsView, func(ctx context.Context, s consoleSession) error {
		campaign, err := getConsoleCampaign(ctx, slug)
		if err != nil {
			return err
		}
		current, draft, err := models.CampaignVersions(ctx, campaign)
		if err != nil {
			return err
		}
		history, err := models.ListPublishedVersions(ctx, campaign)
		if err != nil {
			return err
		}
		stats, err := models.CampaignStatsByID(ctx, []string{campaign.ID})
		if err != nil {
			return err
		}
		migration, err := models.LatestMigration(ctx, campaign.ID)
		if err != nil {
			return err
		}
		return h.page(c, views.CampaignPage(views.CampaignView{Campaign: campaign, Current: current, Draft: draft,
			History: history, Stats: stats[campaign.ID], Migration: migration}))
	})
}

// showCampaignVersionPage shows one published version's rules, read-only.
func (h *handler) showCampaignVersionPage(c *fiber.Ctx) error {
	slug := c.Params("slug")
	// Version numbers are PostgreSQL integers: a larger one names nothing.
	n, err := strconv.ParseInt(c.Params("n"), 10, 32)
	if err != nil || n < 1 {
		return errPageNotFound
	}
	number := int(n)
	return h.console(c, models.PermCampaignsView, func(ctx context.Context, s consoleSession) error {
		campaign, err := getConsoleCampaign(ctx, slug)
		if err != nil {
			return err
		}
		version, err := models.GetPublishedVersion(ctx, campaign, number)
		if errors.Is(err, models.ErrVersionNotFound) {
			return errPageNotFound
		}
		if err != nil {
			return err
		}
		latest := number
		if campaign.CurrentVersion != nil {
			latest = *campaign.CurrentVersion
		}
		return h.page(c, views.CampaignVersionPage(views.VersionView{Campaign: campaign, Version: version, Latest: latest}))
	})
}
