package invite

import (
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/views"
)

// pagesPerMinute is how many invite pages one client address may open in
// a minute (visitWindow), counted in this process before any database
// work. A guest opens a link once or twice, and a household or office
// behind one address a few times; guessing codes (there are 32⁸ ≈ 10¹²)
// takes millions of tries. Past it the address gets a friendly 429 page with
// Retry-After until its minute is over.
const (
	pagesPerMinute = 60
	visitWindow    = time.Minute
)

// limitVisits refuses a client address its page past pagesPerMinute. The
// address is the connection's, or the trusted proxy's header
// (web.Config.ClientIPHeader), as for console logins.
func (h *handler) limitVisits(c *fiber.Ctx) error {
	ok, wait := h.visits.Allow(c.IP())
	if ok {
		return c.Next()
	}
	c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(math.Ceil(wait.Seconds()))))
	return renderInvitePage(c, http.StatusTooManyRequests, views.InviteUnavailable(views.UnavailablePage{
		Title:   "Please wait a moment",
		Message: "We've had a lot of requests from your network in a short time. Try your invitation link again in a minute.",
	}))
}
