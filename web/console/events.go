package console

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/views"
)

// The event catalog: every member reads it; owners and admins
// (models.PermEventsManage) define events and edit the labels and
// descriptions of their own (built-in events are Tandem's).

// errBuiltinEvent refuses a change to a built-in event.
var errBuiltinEvent = &pageError{http.StatusConflict, "Built-in events are Tandem's",
	"Tandem records built-in events itself, so their definitions cannot be changed."}

// showEventCatalogPage lists the event definitions.
func (h *handler) showEventCatalogPage(c *fiber.Ctx) error {
	return h.console(c, models.PermCampaignsView, func(ctx context.Context, s consoleSession) error {
		defs, err := models.ListEventDefinitions(ctx)
		if err != nil {
			return err
		}
		return h.page(c, views.EventCatalogPage(views.EventCatalog{Definitions: defs}))
	})
}

// defineEvent adds an event to the catalog. htmx gets the form
// panel and the list (out of band); a plain form post goes back to the
// catalog. A name already defined is a field error, not an update.
func (h *handler) defineEvent(c *fiber.Ctx) error {
	form := views.EventForm{Name: strings.TrimSpace(c.FormValue("name")),
		Label: strings.TrimSpace(c.FormValue("label")), Description: strings.TrimSpace(c.FormValue("description"))}
	return h.console(c, models.PermEventsManage, func(ctx context.Context, s consoleSession) error {
		answerErrors := func(field, message string) error {
			form.Errors = map[string]string{field: message}
			defs, err := models.ListEventDefinitions(ctx)
			if err != nil {
				return err
			}
			c.Status(http.StatusUnprocessableEntity)
			return rollback(h.pageOrFragment(c, views.EventCatalogPage(views.EventCatalog{Definitions: defs, Form: form}),
				views.EventDefinePanel(form, false)))
		}
		if _, err := models.GetEventDefinition(ctx, form.Name); err == nil {
			return answerErrors("name", fmt.Sprintf("%s is already defined. Edit its description in the list below.", form.Name))
		}
		_, _, err := models.DefineEventWith(ctx, models.EventDefinitionInput{Name: form.Name, Description: form.Description, Label: &form.Label})
		var ve *models.ValidationError
		if errors.As(err, &ve) {
			return answerErrors(ve.Field, sentence(ve.Message))
		}
		if err != nil {
			return err
		}
		if !isHTMX(c) {
			h.flash(c, views.FlashSuccess, fmt.Sprintf("%s is defined.", form.Name))
			return h.redirect(c, "/events")
		}
		defs, err := models.ListEventDefinitions(ctx)
		if err != nil {
			return err
		}
		varyHTMX(c)
		c.Status(http.StatusCreated)
		return render(c, templ.Join(views.EventDefinePanel(views.EventForm{}, true), views.EventDefinitionList(defs, true)))
	})
}

// updateEventDefinition changes a custom event's label and description.
// htmx gets the event's row; a plain form post goes back to the catalog.
func (h *handler) updateEventDefinition(c *fiber.Ctx) error {
	name := c.Params("name")
	form := views.EventForm{Label: strings.TrimSpace(c.FormValue("label")), Description: strings.TrimSpace(c.FormValue("description"))}
	return h.console(c, models.PermEventsManage, func(ctx context.Context, s consoleSession) error {
		before, err := models.GetEventDefinition(ctx, name)
		if err != nil {
			return err
		}
		if before.Builtin {
			return errBuiltinEvent
		}
		in := models.EventDefinitionInput{Name: name, Description: form.Description}
		if c.Request().PostArgs().Has("label") { // a form without the field keeps the label
			in.Label = &form.Label
		}
		def, _, err := models.DefineEventWith(ctx, in)
		var ve *models.ValidationError
		if errors.As(err, &ve) {
			form.Errors = map[string]string{ve.Field: sentence(ve.Message)}
			c.Status(http.StatusUnprocessableEntity)
			if isHTMX(c) {
				return rollback(render(c, views.EventDefinitionRow(before, form)))
			}
			h.flash(c, views.FlashError, "The changes to "+name+" were not saved: "+sentence(ve.Message))
			return rollback(h.redirect(c, "/events"))
		}
		if err != nil {
			return err
		}
		if isHTMX(c) {
			varyHTMX(c)
			return render(c, views.EventDefinitionRow(def, views.EventForm{}))
		}
		h.flash(c, views.FlashSuccess, fmt.Sprintf("The changes to %s are saved.", name))
		return h.redirect(c, "/events")
	})
}
