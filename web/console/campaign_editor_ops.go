package console

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/views"
)

// The editor's small actions. Each receives the whole form as typed,
// changes its state (never the database, except defining an event) and
// answers htmx with the part of the form that changed, or a plain form
// post with the whole page, so nothing typed is lost either way.

// editorForm reads the form of the editor at /campaigns/:slug (or of a new
// campaign at /campaigns/new), with the catalog loaded.
func editorForm(ctx context.Context, c *fiber.Ctx, slug string) (views.CampaignForm, error) {
	f := readCampaignForm(c)
	if slug != "" {
		campaign, err := getConsoleCampaign(ctx, slug)
		if err != nil {
			return f, err
		}
		f.Slug, f.Published = campaign.Slug, campaign.CurrentVersion != nil
		if f.Published {
			f.Mode = campaign.Mode
		}
	}
	return f, withCatalog(ctx, &f)
}

// rebuildCampaignEditor applies one editor action (?op= or the op field):
// step-add, step-up:i, step-down:i, step-remove:i, ms-add, ms-remove:i,
// guest-on, guest-off, or total (the running total only).
func (h *handler) rebuildCampaignEditor(c *fiber.Ctx) error {
	slug := c.Params("slug")
	return h.console(c, models.PermCampaignsEdit, func(ctx context.Context, s consoleSession) error {
		f, err := editorForm(ctx, c, slug)
		if err != nil {
			return err
		}
		op := c.Query("op")
		if op == "" {
			op = formValue(c, "op")
		}
		name, index, _ := strings.Cut(op, ":")
		i, err := strconv.Atoi(index)
		if index != "" && err != nil {
			return fiber.ErrBadRequest
		}
		var part templ.Component
		switch name {
		case "step-add":
			if len(f.Steps) < models.MaxQuestSteps {
				f.Steps = append(f.Steps, "")
			}
		case "step-up":
			moveItem(f.Steps, i, i-1)
		case "step-down":
			moveItem(f.Steps, i, i+1)
		case "step-remove":
			f.Steps = removeItem(f.Steps, i)
		case "ms-add":
			if len(f.Milestones) < models.MaxMilestones {
				f.Milestones = append(f.Milestones, nextMilestoneRow(f.Milestones))
			}
		case "ms-remove":
			f.Milestones = removeItem(f.Milestones, i)
		case "guest-on":
			f.GuestOn = true
			if f.Guest.Kind == "" {
				f.Guest.Kind = "credit"
			}
		case "guest-off":
			f.GuestOn = false
		case "total":
		default:
			return fiber.ErrBadRequest
		}
		f = withTotals(f)
		switch {
		case strings.HasPrefix(name, "step-"):
			part = views.QuestEditor(f)
		case strings.HasPrefix(name, "ms-"):
			part = views.MilestoneEditor(f)
		case strings.HasPrefix(name, "guest-"):
			part = views.GuestEditor(f)
		default:
			part = views.MilestoneTotalBox(f)
		}
		return h.pageOrFragment(c, views.CampaignEditorPage(f), part)
	})
}

// nextMilestoneRow is the row "+ Add row" appends: the next referral, with
// the reward of the row above (a table is often the same reward N times).
func nextMilestoneRow(rows []views.MilestoneInput) views.MilestoneInput {
	if len(rows) == 0 {
		return views.MilestoneInput{Count: "1", Reward: views.RewardInput{Kind: "credit", Quantity: "1"}}
	}
	last := rows[len(rows)-1]
	next := len(rows) + 1
	if n, err := strconv.Atoi(last.Count); err == nil {
		next = n + 1
	}
	return views.MilestoneInput{Count: strconv.Itoa(next), Reward: last.Reward}
}

// moveItem swaps items i and j when both exist.
func moveItem[T any](items []T, i, j int) {
	if i >= 0 && j >= 0 && i < len(items) && j < len(items) {
		items[i], items[j] = items[j], items[i]
	}
}

// removeItem drops item i when it exists.
func removeItem[T any](items []T, i int) []T {
	if i < 0 || i >= len(items) {
		return items
	}
	return slices.Delete(items, i, i+1)
}

// defineEventInEditor defines an event from the editor (models.DefineEvent,
// audited there) and adds it as the quest's next step, filling an empty
// last step if there is one. Defining an event also needs the event
// catalog permission.
func (h *handler) defineEventInEditor(c *fiber.Ctx) error {
	slug := c.Params("slug")
	return h.console(c, models.PermCampaignsEdit, func(ctx context.Context, s consoleSession) error {
		if err := s.require(models.PermEventsManage); err != nil {
			return err
		}
		f, err := editorForm(ctx, c, slug)
		if err != nil {
			return err
		}
		def, _, err := models.DefineEvent(ctx, f.NewEventName, f.NewEventDescription)
		var (
			ve *models.ValidationError
			de *models.Error
		)
		switch {
		case errors.As(err, &ve):
			f.Errors = map[string]string{"new_event." + ve.Field: campaignFieldMessage(&models.ValidationError{
				Field: "new_event." + ve.Field, Code: ve.Code, Message: ve.Message})}
		case errors.As(err, &de):
			f.Errors = map[string]string{"new_event.name": sentence(de.Message)}
		case err != nil:
			return err
		}
		if f.Errors != nil {
			f = withTotals(f)
			c.Status(http.StatusUnprocessableEntity)
			return rollback(h.pageOrFragment(c, views.CampaignEditorPage(f), views.QuestEditor(f)))
		}
		if !slices.Contains(f.Steps, def.Name) {
			if n := len(f.Steps); n > 0 && f.Steps[n-1] == "" {
				f.Steps[n-1] = def.Name
			} else if n < models.MaxQuestSteps {
				f.Steps = append(f.Steps, def.Name)
			}
		}
		if err := withCatalog(ctx, &f); err != nil {
			return err
		}
		f.DefinedEvent, f.NewEventName, f.NewEventDescription = def.Name, "", ""
		return h.pageOrFragment(c, views.CampaignEditorPage(withTotals(f)), views.QuestEditor(f))
	})
}
