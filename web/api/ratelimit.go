package api

import (
	"math"
	"net/http"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/internal/ratelimit/keylimit"
)

// rateLimit answers 429 rate_limited once the request's API key has used
// its requests of the minute, and tells every caller where it stands with
// the RateLimit-* headers (IETF draft "RateLimit header fields for HTTP").
// It runs after the key is verified. Only requests the server answered
// (2xx, 4xx) count: a 5xx is our fault, not the client's, so its request
// is given back.
func (h *handler) rateLimit(c *fiber.Ctx) error {
	key := apiKey(c)
	if h.limiter == nil || key.ID == "" {
		return c.Next() // limits off, or no verified key to count against
	}
	d := h.limiter.Take(key.TenantID, key.ID)
	reset := strconv.Itoa(int(math.Ceil(d.Reset.Seconds())))
	c.Set("RateLimit-Limit", strconv.Itoa(d.Limit))
	c.Set("RateLimit-Remaining", strconv.Itoa(d.Remaining))
	c.Set("RateLimit-Reset", reset)
	c.Set("RateLimit-Policy", strconv.Itoa(d.Limit)+";w="+strconv.Itoa(int(keylimit.Window.Seconds())))
	if !d.Allowed {
		c.Set(fiber.HeaderRetryAfter, reset)
		return newAPIError(http.StatusTooManyRequests, "rate_limited",
			"This API key has made "+strconv.Itoa(d.Limit)+" requests this minute; retry after "+reset+" seconds.")
	}
	err := c.Next()
	if err != nil {
		// Answered here rather than by catchErrors, so that its status is
		// known before the request is counted.
		err = RenderError(c, err)
	}
	h.limiter.Done(d, c.Response().StatusCode() < http.StatusInternalServerError)
	return err
}
