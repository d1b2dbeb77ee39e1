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

// The Translations page: owners and admins (models.PermBrandingManage)
// translate their campaigns' names, their events' labels and their
// rewards' descriptions into each locale other than their default one
// (audited, translations.saved).

// maxTranslationRows bounds the rows a form is read for: far more than a
// tenant's texts, far fewer than a hostile form's.
const maxTranslationRows = 5000

// showTranslationsPage shows every translatable text with its saved
// translations.
func (h *handler) showTranslationsPage(c *fiber.Ctx) error {
	return h.console(c, models.PermBrandingManage, func(ctx context.Context, s consoleSession) error {
		saved, err := models.GetTranslations(ctx)
		if err != nil {
			return err
		}
		return h.translationsPage(c, ctx, saved, nil)
	})
}

// saveTranslations replaces the translations into the non-default
// locales with the form's; a refused one is answered on the page, next to
// its field, with what was typed (the CSRF token is checked by the
// middleware).
func (h *handler) saveTranslations(c *fiber.Ctx) error {
	return h.console(c, models.PermBrandingManage, func(ctx context.Context, s consoleSession) error {
		in, err := models.GetTranslations(ctx)
		if err != nil {
			return err
		}
		in.Locales = map[string]map[string]map[string]string{}
		for i := 0; i < maxTranslationRows; i++ {
			n := strconv.Itoa(i)
			kind, source := formValue(c, "kind."+n), formValue(c, "source."+n)
			if kind == "" {
				break
			}
			for _, l := range models.Locales {
				if l == in.DefaultLocale {
					continue
				}
				if in.Locales[l] == nil {
					in.Locales[l] = map[string]map[string]string{}
				}
				if in.Locales[l][kind] == nil {
					in.Locales[l][kind] = map[string]string{}
				}
				in.Locales[l][kind][source] = formValue(c, "translation."+n+"."+l)
			}
		}
		_, err = models.SaveTranslations(ctx, in)
		var ve *models.ValidationError
		if errors.As(err, &ve) {
			c.Status(http.StatusUnprocessableEntity)
			return rollback(h.translationsPage(c, ctx, in, map[string]string{ve.Field: sentence(ve.Message)}))
		}
		if err != nil {
			return err
		}
		h.flash(c, views.FlashSuccess, "Translations saved. Invite pages and the widget read them now.")
		return h.redirect(c, "/branding/translations")
	})
}

// translationsPage renders the tenant's texts with the translations of t.
func (h *handler) translationsPage(c *fiber.Ctx, ctx context.Context, t models.Translations, errs map[string]string) error {
	texts, err := models.ListTranslatable(ctx)
	if err != nil {
		return err
	}
	p := views.TranslationsPage{DefaultLocale: t.DefaultLocale, Errors: errs}
	for _, x := range texts {
		row := views.TranslationRow{Kind: x.Kind, Source: x.Source, Values: map[string]string{}}
		for _, l := range models.Locales {
			row.Values[l] = t.Locales[l][x.Kind][x.Source]
		}
		p.Rows = append(p.Rows, row)
	}
	return h.page(c, views.TranslationsSettingsPage(p))
}
