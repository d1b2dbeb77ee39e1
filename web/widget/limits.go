package widget

import (
	"math"
	"net/http"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/internal/ratelimit/keylimit"
)

// The widget's writes (an invitation is a row, a code every tenant's codes
// share, and a webhook per endpoint) a minute (keylimit.Window), summed
// over every web machine by the API keys' limiter. A person inviting
// friends one by one types an address each time: 10 a minute is above
// that pace. A participant may hold several tokens (a tab each, a fresh
// one at every page load), so their own limit allows three tabs at that
// pace and stops a script that mints a token per request.
const (
	writesPerToken       = 10
	writesPerParticipant = 30
)

// limitWrites answers 429 rate_limited, with Retry-After, once the
// request's token or its participant has made its writes of the minute.
// It runs after the token is verified. As for API keys, only requests the
// server answered (2xx, 4xx) count; a 5xx gives its write back.
func (h *handler) limitWrites(c *fiber.Ctx) error {
	s := session(c)
	byToken := h.tokenWrites.Take(s.TenantID, s.TokenID)
	byParticipant := h.participantWrites.Take(s.TenantID, s.ParticipantID)
	if refused := refusal(byToken, byParticipant); refused != nil {
		h.tokenWrites.Done(byToken, false)
		h.participantWrites.Done(byParticipant, false)
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(math.Ceil(refused.Reset.Seconds()))))
		return &widgetError{Status: http.StatusTooManyRequests, Code: "rate_limited",
			Message: "This participant has made " + strconv.Itoa(refused.Limit) + " changes this minute; retry after the time Retry-After gives."}
	}
	err := c.Next()
	if err != nil {
		// Answered here rather than by catchErrors, so that its status is
		// known before the write is counted.
		err = renderError(c, err)
	}
	answered := c.Response().StatusCode() < http.StatusInternalServerError
	h.tokenWrites.Done(byToken, answered)
	h.participantWrites.Done(byParticipant, answered)
	return err
}

// refusal is the decision that refuses the request (the later to reset,
// when both do), or nil.
func refusal(ds ...keylimit.Decision) *keylimit.Decision {
	var refused *keylimit.Decision
	for i := range ds {
		if !ds[i].Allowed && (refused == nil || ds[i].Reset > refused.Reset) {
			refused = &ds[i]
		}
	}
	return refused
}
