package console

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/views"
)

// The draft editor's pages and its "Save draft". The rest of the editor
// (adding, moving and removing steps and rows, defining an event) is in
// campaign_editor_ops.go.

// reservedCampaignSlug is the one slug the console cannot show, since
// /campaigns/new is the editor of a new campaign.
const reservedCampaignSlug = "new"

// showNewCampaignPage is the editor of a campaign not created yet.
func (h *handler) showNewCampaignPage(c *fiber.Ctx) error {
	return h.console(c, models.PermCampaignsEdit, func(ctx context.Context, s consoleSession) error {
		f := campaignFormFrom(nil, models.Rules{})
		if err := withCatalog(ctx, &f); err != nil {
			return err
		}
		return h.page(c, views.CampaignEditorPage(withTotals(f)))
	})
}

// showCampaignEditPage is the editor of a campaign's draft; without a
// draft it starts from the current version, and saving creates the draft.
func (h *handler) showCampaignEditPage(c *fiber.Ctx) error {
	slug := c.Params("slug")
	return h.console(c, models.PermCampaignsEdit, func(ctx context.Context, s consoleSession) error {
		campaign, err := getConsoleCampaign(ctx, slug)
		if err != nil {
			return err
		}
		current, draft, err := models.CampaignVersions(ctx, campaign)
		if err != nil {
			return err
		}
		var rules models.Rules
		switch {
		case draft != nil:
			rules = draft.Rules
		case current != nil:
			rules = current.Rules
		}
		f := campaignFormFrom(&campaign, rules)
		if err := withCatalog(ctx, &f); err != nil {
			return err
		}
		return h.page(c, views.CampaignEditorPage(withTotals(f)))
	})
}

// createCampaignForm saves the draft of a new campaign. Its slug is the one
// typed, or one made from the name.
func (h *handler) createCampaignForm(c *fiber.Ctx) error {
	return h.console(c, models.PermCampaignsEdit, func(ctx context.Context, s consoleSession) error {
		f := readCampaignForm(c)
		if err := withCatalog(ctx, &f); err != nil {
			return err
		}
		slug := f.SlugInput
		if slug == "" {
			slug = slugFromName(f.Name)
		}
		in, errs := campaignInput(f)
		if slug == reservedCampaignSlug {
			errs = addError(errs, "slug", "\u201cnew\u201d is reserved by the console. Choose another slug.")
		}
		if errs != nil {
			f.Errors = errs
			return h.campaignFormInvalid(c, f)
		}
		campaign, _, err := models.CreateCampaignDraft(ctx, slug, in)
		if placeCampaignError(&f, err) {
			return rollback(h.campaignFormInvalid(c, f))
		}
		if err != nil {
			return err
		}
		h.flash(c, views.FlashSuccess, "Draft saved. Review it below, and publish it when you are ready: nobody sees it until then.")
		return h.redirect(c, "/campaigns/"+campaign.Slug)
	})
}

// saveCampaignDraft saves an existing campaign's settings and draft.
// Once the campaign is published its mode is fixed: the form cannot send
// it (the input is disabled), and the campaign's own is kept.
func (h *handler) saveCampaignDraft(c *fiber.Ctx) error {
	slug := c.Params("slug")
	return h.console(c, models.PermCampaignsEdit, func(ctx context.Context, s consoleSession) error {
		campaign, err := getConsoleCampaign(ctx, slug)
		if err != nil {
			return err
		}
		f := readCampaignForm(c)
		f.Slug, f.Published = campaign.Slug, campaign.CurrentVersion != nil
		if f.Published {
			f.Mode = campaign.Mode
		}
		if err := withCatalog(ctx, &f); err != nil {
			return err
		}
		in, errs := campaignInput(f)
		if errs != nil {
			f.Errors = errs
			return h.campaignFormInvalid(c, f)
		}
		_, draft, err := models.SaveCampaignDraft(ctx, campaign.Slug, in)
		if placeCampaignError(&f, err) {
			return rollback(h.campaignFormInvalid(c, f))
		}
		if err != nil {
			return err
		}
		msg := "Draft saved as the future version " + strconv.Itoa(draft.Number) + ". Publish it when you are ready."
		if !f.Published {
			msg = "Draft saved. Publish it when you are ready: nobody sees it until then."
		}
		h.flash(c, views.FlashSuccess, msg)
		return h.redirect(c, "/campaigns/"+campaign.Slug)
	})
}

// campaignFormInvalid answers a save with the form and its errors, as
// typed: 422, which htmx swaps in place of the form (views.htmxConfig).
func (h *handler) campaignFormInvalid(c *fiber.Ctx, f views.CampaignForm) error {
	f = withTotals(f)
	c.Status(http.StatusUnprocessableEntity)
	return h.pageOrFragment(c, views.CampaignEditorPage(f), views.CampaignEditorForm(f))
}

// withCatalog loads the event catalog the step selects offer. It runs
// before any write: after a failed statement the transaction can read
// nothing more.
func withCatalog(ctx context.Context, f *views.CampaignForm) error {
	catalog, err := models.ListEventDefinitions(ctx)
	if err != nil {
		return err
	}
	f.Catalog = catalog
	return nil
}

// getConsoleCampaign is models.GetCampaign for a console page: a campaign
// that does not exist (in this tenant) is the console's 404 page.
func getConsoleCampaign(ctx context.Context, slug string) (models.Campaign, error) {
	campaign, err := models.GetCampaign(ctx, slug)
	if errors.Is(err, models.ErrCampaignNotFound) {
		return models.Campaign{}, errPageNotFound
	}
	return campaign, err
}

func addError(errs map[string]string, field, msg string) map[string]string {
	if errs == nil {
		errs = map[string]string{}
	}
	errs[field] = msg
	return errs
}
