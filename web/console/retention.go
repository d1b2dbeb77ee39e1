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

// The Data retention page: owners and admins (models.PermRetentionManage)
// set how long the tenant keeps event properties, idempotency responses
// and webhook bodies (audited, retention.saved), as PUT
// /v1/settings/retention does.

// showRetentionPage shows the saved periods, or the defaults.
func (h *handler) showRetentionPage(c *fiber.Ctx) error {
	return h.console(c, models.PermRetentionManage, func(ctx context.Context, s consoleSession) error {
		r, err := models.GetRetention(ctx)
		if err != nil {
			return err
		}
		return h.page(c, views.RetentionSettingsPage(views.RetentionFields(r.EventPropertiesDays, r.IdempotencyHours, r.WebhookDays, r.UpdatedAt == nil)))
	})
}

// saveRetentionSettings saves the periods (the form's CSRF token is checked
// by the console's middleware); a period that is no whole number, or out
// of its bounds, shows the form again as typed with the field's error.
func (h *handler) saveRetentionSettings(c *fiber.Ctx) error {
	typed := views.RetentionPage{EventPropertiesDays: formValue(c, "event_properties_days"),
		IdempotencyHours: formValue(c, "idempotency_hours"), WebhookDays: formValue(c, "webhook_days")}
	return h.console(c, models.PermRetentionManage, func(ctx context.Context, s consoleSession) error {
		var r models.Retention
		var err error
		for _, f := range []struct {
			name, text string
			into       *int
		}{{"event_properties_days", typed.EventPropertiesDays, &r.EventPropertiesDays},
			{"idempotency_hours", typed.IdempotencyHours, &r.IdempotencyHours}, {"webhook_days", typed.WebhookDays, &r.WebhookDays}} {
			if *f.into, err = strconv.Atoi(f.text); err != nil {
				c.Status(http.StatusUnprocessableEntity)
				typed.Errors = map[string]string{f.name: "A whole number, please."}
				return rollback(h.page(c, views.RetentionSettingsPage(typed)))
			}
		}
		_, err = models.SaveRetention(ctx, r)
		var ve *models.ValidationError
		if errors.As(err, &ve) {
			c.Status(http.StatusUnprocessableEntity)
			typed.Errors = map[string]string{ve.Field: sentence(ve.Message)}
			return rollback(h.page(c, views.RetentionSettingsPage(typed)))
		}
		if err != nil {
			return err
		}
		h.flash(c, views.FlashSuccess, "Retention periods saved. The next run applies them.")
		return h.redirect(c, "/settings/retention")
	})
}
