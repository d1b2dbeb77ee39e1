package api

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/web/internal/jsonbody"
	"github.com/tandemhq/tandem/web/internal/surface"
)

type questJSON struct {
	Steps []string `json:"steps"`
}

type campaignRequest struct {
	Name                   *string             `json:"name"`
	Mode                   *string             `json:"mode"`
	Quest                  *questJSON          `json:"quest"`
	HostMilestones         []models.Milestone  `json:"host_milestones"`
	RepeatLastMilestone    bool                `json:"repeat_last_milestone"`
	GuestReward            *models.Reward      `json:"guest_reward"`
	InvitationTTLHours     int                 `json:"invitation_ttl_hours"`
	RewardExpiresAfterDays *int                `json:"reward_expires_after_days"`
	Review                 string              `json:"review"`
	ReviewThreshold        string              `json:"review_threshold"`
	BlockHighRisk          bool                `json:"block_high_risk"`
	VelocityClaims         int                 `json:"velocity_claims"`
	VelocityWindowMinutes  int                 `json:"velocity_window_minutes"`
	SignupURL              string              `json:"signup_url"`
	StartsAt               *jsonbody.Timestamp `json:"starts_at"`
	EndsAt                 *jsonbody.Timestamp `json:"ends_at"`
}

// versionJSON is a version in the same shape a draft is written in.
type versionJSON struct {
	Version                int                `json:"version"`
	Quest                  questJSON          `json:"quest"`
	HostMilestones         []models.Milestone `json:"host_milestones"`
	RepeatLastMilestone    bool               `json:"repeat_last_milestone"`
	GuestReward            *models.Reward     `json:"guest_reward"`
	InvitationTTLHours     int                `json:"invitation_ttl_hours"`
	RewardExpiresAfterDays *int               `json:"reward_expires_after_days"`
	Review                 string             `json:"review"`
	ReviewThreshold        string             `json:"review_threshold"`
	BlockHighRisk          bool               `json:"block_high_risk"`
	VelocityClaims         int                `json:"velocity_claims"`
	VelocityWindowMinutes  int                `json:"velocity_window_minutes"`
	CreatedAt              time.Time          `json:"created_at"`
	PublishedAt            *time.Time         `json:"published_at"`
}

type campaignJSON struct {
	models.Campaign
	Version *versionJSON `json:"version"`
	Draft   *versionJSON `json:"draft"`
}

func newVersionJSON(v *models.Version) *versionJSON {
	if v == nil {
		return nil
	}
	return &versionJSON{Version: v.Number, Quest: questJSON{Steps: v.Rules.Steps}, HostMilestones: v.Rules.Milestones,
		RepeatLastMilestone: v.Rules.RepeatLastMilestone, GuestReward: v.Rules.GuestReward,
		InvitationTTLHours: v.Rules.InvitationTTLHours, RewardExpiresAfterDays: v.Rules.RewardExpiresAfterDays,
		Review: v.Rules.Review, ReviewThreshold: v.Rules.ReviewThreshold, BlockHighRisk: v.Rules.BlockHighRisk,
		VelocityClaims: v.Rules.VelocityClaims, VelocityWindowMinutes: v.Rules.VelocityWindowMinutes,
		CreatedAt: v.CreatedAt, PublishedAt: v.PublishedAt}
}

// campaignWithVersions reads the campaign's current version and draft.
func campaignWithVersions(ctx context.Context, c models.Campaign) (campaignJSON, error) {
	current, draft, err := models.CampaignVersions(ctx, c)
	if err != nil {
		return campaignJSON{}, err
	}
	return campaignJSON{Campaign: c, Version: newVersionJSON(current), Draft: newVersionJSON(draft)}, nil
}

// saveCampaignDraft creates or updates a campaign and its draft.
func (h *handler) saveCampaignDraft(c *fiber.Ctx) error {
	var req campaignRequest
	if err := jsonbody.Read(c, &req); err != nil {
		return err
	}
	for _, f := range []struct {
		name    string
		present bool
	}{{"name", req.Name != nil}, {"mode", req.Mode != nil}, {"quest", req.Quest != nil}} {
		if err := required(f.name, f.present); err != nil {
			return err
		}
	}
	in := models.CampaignInput{Name: *req.Name, Mode: *req.Mode, SignupURL: req.SignupURL,
		StartsAt: timePtr(req.StartsAt), EndsAt: timePtr(req.EndsAt),
		Rules: models.Rules{Steps: req.Quest.Steps, Milestones: req.HostMilestones, RepeatLastMilestone: req.RepeatLastMilestone,
			GuestReward: req.GuestReward, InvitationTTLHours: req.InvitationTTLHours, RewardExpiresAfterDays: req.RewardExpiresAfterDays,
			Review: req.Review, ReviewThreshold: req.ReviewThreshold, BlockHighRisk: req.BlockHighRisk,
			VelocityClaims: req.VelocityClaims, VelocityWindowMinutes: req.VelocityWindowMinutes}}
	slug := c.Params("slug")
	return h.inTenant(c, func(ctx context.Context) error {
		campaign, draft, err := models.SaveCampaignDraft(ctx, slug, in)
		if err != nil {
			return err
		}
		out, err := campaignWithVersions(ctx, campaign)
		if err != nil {
			return err
		}
		out.Draft = newVersionJSON(&draft)
		return c.JSON(out)
	})
}

// showCampaign returns one campaign with its current version and draft.
func (h *handler) showCampaign(c *fiber.Ctx) error {
	slug := c.Params("slug")
	return h.inTenant(c, func(ctx context.Context) error {
		campaign, err := models.GetCampaign(ctx, slug)
		if err != nil {
			return err
		}
		out, err := campaignWithVersions(ctx, campaign)
		if err != nil {
			return err
		}
		return c.JSON(out)
	})
}

// listCampaigns returns the tenant's campaigns, newest first.
func (h *handler) listCampaigns(c *fiber.Ctx) error {
	page, err := pageParams(c)
	if err != nil {
		return err
	}
	return h.inTenant(c, func(ctx context.Context) error {
		campaigns, more, err := models.ListCampaigns(ctx, page)
		if err != nil {
			return err
		}
		out := make([]campaignJSON, len(campaigns))
		for i, campaign := range campaigns {
			if out[i], err = campaignWithVersions(ctx, campaign); err != nil {
				return err
			}
		}
		return c.JSON(surface.NewList(out, more))
	})
}

type publishRequest struct {
	Inflight string `json:"inflight"`
}

// publishCampaign freezes the draft as the next version and activates the
// campaign; in-flight invitations are kept on their version or migrated.
func (h *handler) publishCampaign(c *fiber.Ctx) error {
	var req publishRequest
	if len(c.Body()) > 0 {
		if err := jsonbody.Read(c, &req); err != nil {
			return err
		}
	}
	slug := c.Params("slug")
	return h.inTenant(c, func(ctx context.Context) error {
		pub, err := models.PublishCampaign(ctx, slug, req.Inflight)
		if err != nil {
			return err
		}
		out, err := campaignWithVersions(ctx, pub.Campaign)
		if err != nil {
			return err
		}
		return c.JSON(fiber.Map{"version": pub.Version.Number, "inflight": pub.Inflight, "migrated": pub.Migrated, "campaign": out})
	})
}

// previewPublish tells what publishing the draft with "migrate" would do.
func (h *handler) previewPublish(c *fiber.Ctx) error {
	slug := c.Params("slug")
	return h.inTenant(c, func(ctx context.Context) error {
		preview, err := models.PreviewMigration(ctx, slug)
		if err != nil {
			return err
		}
		return c.JSON(preview)
	})
}

// changeCampaignStatus returns the handler of one status action: pause,
// resume or end.
func (h *handler) changeCampaignStatus(action string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		slug := c.Params("slug")
		return h.inTenant(c, func(ctx context.Context) error {
			campaign, err := models.ChangeCampaignStatus(ctx, slug, action)
			if err != nil {
				return err
			}
			out, err := campaignWithVersions(ctx, campaign)
			if err != nil {
				return err
			}
			return c.JSON(out)
		})
	}
}
