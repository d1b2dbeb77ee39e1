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
	"github.com/tandemhq/tandem/tenants"
	"github.com/tandemhq/tandem/views"
)

// API keys: owners and admins (models.PermAPIKeysManage) list, create and
// revoke them. A new key is shown once, in the response that created it;
// only its hash is stored. Revoked keys stay listed. Creating and revoking
// are audited (api_key.created, api_key.revoked).

// showAPIKeysPage lists the keys, live ones first.
func (h *handler) showAPIKeysPage(c *fiber.Ctx) error {
	return h.console(c, models.PermAPIKeysManage, func(ctx context.Context, s consoleSession) error {
		keys, err := models.ListAPIKeys(ctx)
		if err != nil {
			return err
		}
		return h.page(c, views.APIKeysPage(views.APIKeyList{Keys: keys}))
	})
}

// opsSplitOrigins reads the origins field: one per line (commas and spaces
// separate too).
func opsSplitOrigins(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' || r == ',' || r == ' ' || r == '\t' })
}

// createAPIKey creates a key and shows it once. htmx gets the
// panel with the key and the list (out of band); a plain form post gets
// the whole page.
func (h *handler) createAPIKey(c *fiber.Ctx) error {
	form := views.APIKeyForm{Kind: c.FormValue("kind"), Name: strings.TrimSpace(c.FormValue("name")),
		Origins: strings.TrimSpace(c.FormValue("allowed_origins"))}
	return h.console(c, models.PermAPIKeysManage, func(ctx context.Context, s consoleSession) error {
		answer := func(f views.APIKeyForm) error {
			keys, err := models.ListAPIKeys(ctx)
			if err != nil {
				return err
			}
			return h.pageOrFragment(c, views.APIKeysPage(views.APIKeyList{Keys: keys, Form: f}),
				templ.Join(views.APIKeyCreatePanel(f), views.APIKeyTable(keys, true)))
		}
		origins, err := models.ValidateAPIKeyInput(form.Kind, form.Name, opsSplitOrigins(form.Origins))
		var ve *models.ValidationError
		if errors.As(err, &ve) {
			form.Errors = map[string]string{ve.Field: sentence(ve.Message)}
			c.Status(http.StatusUnprocessableEntity)
			return rollback(answer(form))
		}
		if err != nil {
			return err
		}
		_, key, err := tenants.NewKey(ctx, form.Kind, form.Name, origins)
		if err != nil {
			return err
		}
		c.Status(http.StatusCreated)
		return answer(views.APIKeyForm{Key: key, KeyName: form.Name})
	})
}

// revokeAPIKey revokes a key for good. This machine forgets it
// at once; the others within their key cache's lifetime.
func (h *handler) revokeAPIKey(c *fiber.Ctx) error {
	id := c.Params("id")
	revoked := false
	err := h.console(c, models.PermAPIKeysManage, func(ctx context.Context, s consoleSession) error {
		k, err := models.RevokeAPIKey(ctx, id)
		if err != nil {
			return err
		}
		revoked = true
		h.flash(c, views.FlashSuccess, fmt.Sprintf("%s is revoked. Requests with it stop working within a minute, on every server.", opsKeyName(k)))
		return h.redirect(c, "/api-keys")
	})
	if err == nil && revoked {
		h.keys.Forget(id) // after the commit, so no request can cache it again
	}
	return err
}

func opsKeyName(k models.APIKey) string {
	if k.Name == "" {
		return "The key"
	}
	return k.Name
}
