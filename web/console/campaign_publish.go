package console

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/views"
)

// Publishing: a review page (what the draft changes, what to do with the
// invitations in flight and, for "migrate", the preview of what would
// happen to them), then the publication itself.

// publishable loads what the publish page reviews. A campaign with nothing
// to publish, or that can no longer publish, sends the member back to its
// page with the reason; redirected then reports that.
func (h *handler) publishable(ctx context.Context, c *fiber.Ctx, slug string) (pv views.PublishView, redirected bool, err error) {
	campaign, err := getConsoleCampaign(ctx, slug)
	if err != nil {
		return pv, false, err
	}
	current, draft, err := models.CampaignVersions(ctx, campaign)
	if err != nil {
		return pv, false, err
	}
	switch {
	case campaign.Status == "ended":
		h.flash(c, views.FlashError, "This campaign has ended, so it cannot publish a new version. Create a new campaign instead.")
		return pv, true, h.redirect(c, "/campaigns/"+campaign.Slug)
	case draft == nil:
		h.flash(c, views.FlashInfo, "There is no draft to publish. Edit the campaign to start one.")
		return pv, true, h.redirect(c, "/campaigns/"+campaign.Slug)
	}
	pv = views.PublishView{Campaign: campaign, Current: current, Draft: *draft, Inflight: models.InflightKeep,
		Fingerprint: draftFingerprint(*draft)}
	if current != nil {
		pv.Diff = campaignDiff(current.Rules, draft.Rules)
	}
	return pv, false, nil
}

// showPublishPage reviews the draft before publishing.
func (h *handler) showPublishPage(c *fiber.Ctx) error {
	slug := c.Params("slug")
	return h.console(c, models.PermCampaignsPublish, func(ctx context.Context, s consoleSession) error {
		pv, redirected, err := h.publishable(ctx, c, slug)
		if redirected || err != nil {
			return err
		}
		return h.page(c, views.CampaignPublishPage(pv))
	})
}

// showMigrationPreview counts what "migrate" would do to the invitations
// in flight (models.PreviewMigration: read-only). htmx gets the preview
// panel when "migrate" is chosen; without JavaScript, the publish page
// with migrate chosen and the preview shown.
func (h *handler) showMigrationPreview(c *fiber.Ctx) error {
	slug := c.Params("slug")
	return h.console(c, models.PermCampaignsPublish, func(ctx context.Context, s consoleSession) error {
		pv, redirected, err := h.publishable(ctx, c, slug)
		if redirected || err != nil {
			return err
		}
		preview, err := models.PreviewMigration(ctx, pv.Campaign.Slug)
		if err != nil {
			return err
		}
		pv.Inflight, pv.Preview = models.InflightMigrate, &preview
		return h.pageOrFragment(c, views.CampaignPublishPage(pv),
			views.MigrationPreviewPanel(pv.Campaign, preview, pv.Draft.Number))
	})
}

// publishCampaign publishes the draft reviewed on the publish page
// (models.PublishCampaign, audited there), keeping or migrating the
// invitations in flight. A draft edited since the page was opened is not
// published: the member reviews it again.
func (h *handler) publishCampaign(c *fiber.Ctx) error {
	slug := c.Params("slug")
	inflight := formValue(c, "inflight")
	reviewed := formValue(c, "fingerprint")
	return h.console(c, models.PermCampaignsPublish, func(ctx context.Context, s consoleSession) error {
		pv, redirected, err := h.publishable(ctx, c, slug)
		if redirected || err != nil {
			return err
		}
		back := "/campaigns/" + pv.Campaign.Slug
		if reviewed != pv.Fingerprint {
			h.flash(c, views.FlashError, "The draft changed while you were reviewing it. Check the changes below again before publishing.")
			return h.redirect(c, back+"/publish")
		}
		if pv.Current == nil || inflight == "" {
			inflight = models.InflightKeep // nothing is in flight before the first version
		}
		pub, err := models.PublishCampaign(ctx, pv.Campaign.Slug, inflight)
		var ve *models.ValidationError
		switch {
		case errors.As(err, &ve):
			h.flash(c, views.FlashError, "The draft cannot be published yet: "+strings.TrimSuffix(campaignFieldMessage(ve), ".")+". Fix it in the draft, then publish.")
			return rollback(h.redirect(c, back+"/publish"))
		case errors.Is(err, models.ErrCampaignTransition), errors.Is(err, models.ErrNoDraft):
			h.flash(c, views.FlashError, "The campaign changed meanwhile and cannot publish this draft. Here is where it stands now.")
			return rollback(h.redirect(c, back))
		case err != nil:
			return err
		}
		h.flash(c, views.FlashSuccess, publishedMessage(pub))
		return h.redirect(c, back)
	})
}

// publishedMessage tells what publishing did.
func publishedMessage(pub models.Publication) string {
	msg := fmt.Sprintf("Version %d is live: new referrals follow it.", pub.Version.Number)
	if pub.Inflight != models.InflightMigrate {
		return msg
	}
	m := pub.Migrated
	if m.InFlight == 0 {
		return msg + " No invitation was in flight."
	}
	return msg + fmt.Sprintf(" %d in-flight %s are moving to it, a batch at a time (progress below): as of now %d will complete, %d advance, %d fall back, %d stay unchanged.",
		m.InFlight, views.Plural(m.InFlight, "invitation", "invitations"), m.Complete, m.Advance, m.FallBack, m.Unchanged)
}

// draftFingerprint identifies a draft's contents, so that publishing can
// tell whether the draft is still the one that was reviewed.
func draftFingerprint(v models.Version) string {
	raw, _ := json.Marshal(struct {
		Number int
		Rules  models.Rules
	}{v.Number, v.Rules})
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:16])
}
