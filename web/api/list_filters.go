package api

import (
	"fmt"
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
)

// timeQuery reads an optional RFC 3339 query parameter (created_after,
// created_before): nil when absent.
func timeQuery(c *fiber.Ctx, name string) (*time.Time, error) {
	raw := c.Query(name)
	if raw == "" {
		return nil, nil
	}
	t, err := time.Parse(time.RFC3339Nano, raw)
	if err != nil {
		return nil, &apiError{Status: http.StatusUnprocessableEntity, Code: "invalid_timestamp", Field: name,
			Message: fmt.Sprintf("%s is an RFC 3339 time such as 2026-01-02T15:04:05Z, not %q.", name, raw)}
	}
	return &t, nil
}

// tenantListParams reads what the tenant-wide lists share: the page, and
// the creation range (created_after, created_before).
func tenantListParams(c *fiber.Ctx) (page models.Page, after, before *time.Time, err error) {
	if page, err = pageParams(c); err != nil {
		return page, nil, nil, err
	}
	if after, err = timeQuery(c, "created_after"); err != nil {
		return page, nil, nil, err
	}
	before, err = timeQuery(c, "created_before")
	return page, after, before, err
}
