package widget

import (
	"context"
	"errors"
	"math"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
)

const localSession = "widget_session"

// requireToken lets a request through only with a live participant token
// (Authorization: Bearer wt_…) from one of its tenant's allowed origins.
// The origin is judged before expiry, so a foreign site learns nothing
// about a token it holds.
func (h *handler) requireToken(c *fiber.Ctx) error {
	presented, ok := strings.CutPrefix(c.Get(fiber.HeaderAuthorization), "Bearer ")
	if !ok {
		h.admitKnownOrigin(c)
		return errTokenMissing
	}
	s, err := tenants.FindWidgetToken(c.UserContext(), h.db, strings.TrimSpace(presented))
	if errors.Is(err, tenants.ErrInvalidWidgetToken) {
		h.admitKnownOrigin(c)
		return errTokenInvalid
	}
	if err != nil {
		return err
	}
	if err := h.admitOrigin(c, s.AllowedOrigins); err != nil {
		return err
	}
	if !h.now().Before(s.ExpiresAt) {
		return errTokenExpired
	}
	c.Locals(localSession, s)
	return c.Next()
}

// inSession runs fn in the tenant transaction of the request's token, with
// the participant and campaign it names. fn writes the response; if fn
// fails, nothing it did is kept.
func (h *handler) inSession(c *fiber.Ctx, fn func(ctx context.Context, host models.WidgetHost) error) error {
	s := session(c)
	ctx := models.WithActor(c.UserContext(), "widget:"+s.TokenID)
	return tenants.WithTenant(ctx, h.db, s.TenantID, func(ctx context.Context) error {
		host, err := models.GetWidgetHost(ctx, s.ParticipantID, s.CampaignID)
		if err != nil {
			return err
		}
		return fn(ctx, host)
	})
}

// requirePublishableKey lets a request through with a valid publishable
// key, as ?key=pk_… (so that the offer is a simple GET, with no
// preflight) or Authorization: Bearer pk_…. A secret key is refused: it
// must never reach a browser.
func (h *handler) requirePublishableKey(c *fiber.Ctx) error {
	presented := c.Query("key")
	if presented == "" {
		presented, _ = strings.CutPrefix(c.Get(fiber.HeaderAuthorization), "Bearer ")
	}
	key, err := h.keys.VerifyAdmitted(c.UserContext(), strings.TrimSpace(presented), func() error { return h.admitKeyCheck(c) })
	if err == nil && key.Kind != tenants.KindPublishable {
		err = tenants.ErrInvalidKey
	}
	if err != nil {
		h.admitKnownOrigin(c)
		return err
	}
	c.Locals(localSession, tenants.WidgetSession{TenantID: key.TenantID, TokenID: key.ID})
	return c.Next()
}

// session is what the request's token (or publishable key) names.
func session(c *fiber.Ctx) tenants.WidgetSession {
	s, _ := c.Locals(localSession).(tenants.WidgetSession)
	return s
}

// keyChecksPerAddress bounds the publishable key checks that need an
// argon2id hash (a key this machine has not verified in the last 30 s) per
// client address and minute, as the API bounds secret ones: a page's
// visitors share one key, which stays cached, so only a flood of unknown
// keys meets the limit.
const keyChecksPerAddress = 60

// admitKeyCheck counts a key check that needs a hash against the client's
// address, and refuses it with 429 rate_limited once the address has used
// its checks.
func (h *handler) admitKeyCheck(c *fiber.Ctx) error {
	ok, wait := h.keyChecks.Allow(c.IP())
	if ok {
		return nil
	}
	c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(math.Ceil(wait.Seconds()))))
	return errRateLimited
}
