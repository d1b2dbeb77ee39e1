package console

import (
	"context"
	"errors"
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/views"
)

// The account's deletion, for owners only (models.PermAccountManage):
// scheduled with the account's name or slug typed as confirmation, undone
// during its 7 days of grace; then the purge job removes every row
// (models.ScheduleAccountDeletion, docs/security.md "Personal data").

// showAccountDeletionPage shows the confirmation, or the scheduled date
// and the Undo.
func (h *handler) showAccountDeletionPage(c *fiber.Ctx) error {
	return h.console(c, models.PermAccountManage, func(ctx context.Context, s consoleSession) error {
		d, err := models.GetAccountDeletion(ctx)
		if err != nil {
			return err
		}
		return h.page(c, views.AccountDeletionSettingsPage(views.AccountDeletionPage{Name: s.Tenant.Name, Slug: s.Tenant.Slug, Deletion: d}))
	})
}

// scheduleAccountDeletion schedules the deletion; a confirmation that is
// neither the name nor the slug shows the form again with its error.
func (h *handler) scheduleAccountDeletion(c *fiber.Ctx) error {
	typed := formValue(c, "confirmation")
	return h.console(c, models.PermAccountManage, func(ctx context.Context, s consoleSession) error {
		d, err := models.ScheduleAccountDeletion(ctx, typed)
		var ve *models.ValidationError
		if errors.As(err, &ve) {
			c.Status(http.StatusUnprocessableEntity)
			return rollback(h.page(c, views.AccountDeletionSettingsPage(views.AccountDeletionPage{Name: s.Tenant.Name, Slug: s.Tenant.Slug,
				Typed: typed, Errors: map[string]string{ve.Field: sentence(ve.Message)}})))
		}
		if err != nil {
			return err
		}
		h.flash(c, views.FlashSuccess, "The account will be deleted on "+d.DueAt.UTC().Format("2 Jan 2006, 15:04 UTC")+". You can undo it until then.")
		return h.redirect(c, "/settings/account")
	})
}

// undoAccountDeletion undoes the scheduled deletion.
func (h *handler) undoAccountDeletion(c *fiber.Ctx) error {
	return h.console(c, models.PermAccountManage, func(ctx context.Context, s consoleSession) error {
		if err := models.CancelAccountDeletion(ctx); err != nil {
			return err
		}
		h.flash(c, views.FlashSuccess, "The deletion is undone. The account's keys, widget and invite links work again within a minute.")
		return h.redirect(c, "/settings/account")
	})
}
