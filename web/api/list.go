package api

import (
	"net/http"
	"regexp"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
)

// cursorPattern is the shape of every public id (prefix_32 hex digits).
var cursorPattern = regexp.MustCompile(`^[a-z]{3}_[0-9a-f]{32}$`)

// pageParams reads ?limit= and ?starting_after=.
func pageParams(c *fiber.Ctx) (models.Page, error) {
	page := models.Page{Limit: models.DefaultPageSize, After: c.Query("starting_after")}
	if raw := c.Query("limit"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > models.MaxPageSize {
			return page, &apiError{Status: http.StatusBadRequest, Code: "invalid_limit",
				Message: "limit is a whole number from 1 to 100.", Field: "limit"}
		}
		page.Limit = n
	}
	if page.After != "" && !cursorPattern.MatchString(page.After) {
		return page, &apiError{Status: http.StatusBadRequest, Code: "invalid_cursor", Message: "starting_after is an id from a previous page.", Field: "starting_after"}
	}
	return page, nil
}
