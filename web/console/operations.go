package console

// Helpers shared by the operations pages (participants.go,
// invitations.go, rewards*.go, raffles.go,
// events.go, api_keys.go, audit.go).

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/views"
)

// opsPageSize is how many rows an operations list shows at once.
const opsPageSize = 50

// opsQuery is a query parameter, trimmed.
func opsQuery(c *fiber.Ctx, name string) string {
	return strings.TrimSpace(c.Query(name))
}

// opsListPage is the page of a list the request asks for (?after=id).
func opsListPage(c *fiber.Ctx) models.Page {
	return models.Page{Limit: opsPageSize, After: opsQuery(c, "after")}
}

// opsValues builds query parameters from name, value pairs, leaving out
// the empty ones.
func opsValues(pairs ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] != "" {
			v.Set(pairs[i], pairs[i+1])
		}
	}
	return v
}

// opsURL is path with the query of v, if any.
func opsURL(path string, v url.Values) string {
	if q := v.Encode(); q != "" {
		return path + "?" + q
	}
	return path
}

// opsPager links a list's pages: the next one after lastID when there are
// more rows, and the first one when this is not it. filter is the list's
// query without paging.
func opsPager(path string, filter url.Values, page models.Page, more bool, lastID string) views.Pager {
	var p views.Pager
	if more && lastID != "" {
		next := url.Values{}
		for k, vs := range filter {
			next[k] = vs
		}
		next.Set("after", lastID)
		p.Next = opsURL(path, next)
	}
	if page.After != "" {
		p.First = opsURL(path, filter)
	}
	return p
}
