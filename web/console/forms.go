package console

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// formValue is a form field, trimmed.
func formValue(c *fiber.Ctx, name string) string {
	return strings.TrimSpace(c.FormValue(name))
}

// formList returns every value of a repeated form field (milestone rows,
// checkboxes), in order, trimmed.
func formList(c *fiber.Ctx, name string) []string {
	var out []string
	if form, err := c.MultipartForm(); err == nil && form != nil {
		for _, v := range form.Value[name] {
			out = append(out, strings.TrimSpace(v))
		}
		return out
	}
	for _, v := range c.Request().PostArgs().PeekMulti(name) {
		out = append(out, strings.TrimSpace(string(v)))
	}
	return out
}

// formBack is the list filter a form carries back to its list in its
// "back" field (a query string), or none when it is not one.
func formBack(c *fiber.Ctx) url.Values {
	v, err := url.ParseQuery(c.FormValue("back"))
	if err != nil || !validValues(v) {
		return url.Values{}
	}
	return v
}
