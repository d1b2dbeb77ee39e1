package invite

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/tenants"
	"github.com/tandemhq/tandem/views"
)

// inviteLinkTimeout bounds the database work of one public page:
// c.UserContext() carries no deadline of its own.
const inviteLinkTimeout = 5 * time.Second

// showInviteLink renders the public page of an invite or referrer code
// (/i/{code}, any case): who invites the visitor to what, and a button on
// to the tenant's sign-up page with the code attached. A code that leads
// nowhere gets a friendly page with 404 (unknown) or 410 (used, expired,
// campaign not running), never an error dump.
func (h *handler) showInviteLink(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), inviteLinkTimeout)
	defer cancel()
	landing, err := tenants.FindInviteLanding(ctx, h.db, c.Params("code"))
	switch {
	case errors.Is(err, models.ErrCodeNotFound):
		return renderInvitePage(c, http.StatusNotFound, views.InviteUnavailable(views.UnavailablePage{
			Title:   "We can't find this invitation",
			Message: "Check that the link was copied in full, or ask the person who invited you to send it again.",
		}))
	case tenants.Unavailable(err) || tenants.Interrupted(err):
		slog.Warn("invite: invite link", "err", err)
		c.Set(fiber.HeaderRetryAfter, "5") // as the API's: a restart's or a fail-over's time
		return renderInvitePage(c, http.StatusServiceUnavailable, views.InviteUnavailable(views.UnavailablePage{
			Title:   "This page is unavailable for a moment",
			Message: "We couldn't open this invitation just now. Please try again in a minute.",
		}))
	case err != nil:
		slog.Error("invite: invite link", "err", err)
		return renderInvitePage(c, http.StatusInternalServerError, views.InviteUnavailable(views.UnavailablePage{
			Title:   "Something went wrong",
			Message: "We couldn't open this invitation just now. Please try again in a moment.",
		}))
	case landing.State != models.LandingOpen:
		return renderInvitePage(c, http.StatusGone, views.InviteUnavailable(goneInvitePage(landing)))
	}
	c.Set(fiber.HeaderContentSecurityPolicy, brandedCSP(landing.Branding))
	page := views.InvitePage{
		TenantName: landing.TenantName, CampaignName: landing.CampaignName, HostName: landing.HostName,
		GuestReward: landing.GuestReward, Code: landing.Code, SignupURL: withRef(landing.SignupURL, landing.Code),
		ExpiresAt: landing.ExpiresAt, Mode: landing.Kind, Headline: landing.Headline, Branding: landing.Branding,
	}
	// The tenant's words in the visitor's language: the campaign's own
	// headline first, then the tenant's, then Tandem's.
	c.Vary(fiber.HeaderAcceptLanguage)
	locale := visitorLocale(c.Get(fiber.HeaderAcceptLanguage))
	if page.Headline == "" {
		page.Headline, page.HeadlineLang = landing.Texts.Text(locale, models.TextInviteHeadline)
	}
	page.Body, page.BodyLang = landing.Texts.Text(locale, models.TextInviteBody)
	page.CampaignName = landing.Translations.Translate(locale, models.TranslateCampaignName, landing.CampaignName)
	page.GuestReward = landing.Translations.Translate(locale, models.TranslateRewardDescription, page.GuestReward)
	return renderInvitePage(c, http.StatusOK, views.InviteLanding(page))
}

// goneInvitePage says, in the tenant's name, why a known code no longer
// leads anywhere.
func goneInvitePage(l models.Landing) views.UnavailablePage {
	p := views.UnavailablePage{TenantName: l.TenantName}
	switch l.State {
	case models.LandingClaimed:
		p.Title = "This invitation has already been used"
		p.Message = "Each invitation works once. Ask the person who invited you for a new one."
	case models.LandingExpired:
		p.Title = "This invitation has expired"
		p.Message = "Ask the person who invited you for a new one."
	default:
		p.Title = l.CampaignName + " isn't running right now"
		p.Message = "This invitation can't be used at the moment. Please check back later."
	}
	return p
}

// withRef attaches ref=code to the tenant's sign-up URL, keeping its other
// query parameters as they were written (and in their order) and replacing
// a ref it already had. Empty stays empty: the page then shows the code.
func withRef(signupURL, code string) string {
	if signupURL == "" {
		return ""
	}
	u, err := url.Parse(signupURL)
	if err != nil {
		return "" // the schema only stores http(s) URLs; show the code instead
	}
	var kept []string
	for _, pair := range strings.Split(u.RawQuery, "&") {
		rawName, _, _ := strings.Cut(pair, "=")
		if name, err := url.QueryUnescape(rawName); pair == "" || (err == nil && name == "ref") {
			continue
		}
		kept = append(kept, pair)
	}
	u.RawQuery = strings.Join(append(kept, "ref="+url.QueryEscape(code)), "&")
	return u.String()
}

// renderInvitePage renders into a buffer first, so that a failing component
// never sends half a page; the session-carrying UserContext is the one
// templ sees. Landing pages are personal and change state: never cached.
func renderInvitePage(c *fiber.Ctx, status int, page templ.Component) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Type("html", "utf-8")
	var buf bytes.Buffer
	if err := page.Render(c.UserContext(), &buf); err != nil {
		slog.Error("invite: render invite page", "err", err)
		return c.Status(http.StatusInternalServerError).SendString(invitePageFallback)
	}
	return c.Status(status).Send(buf.Bytes())
}

// invitePageFallback is answered when even the friendly page fails to render.
const invitePageFallback = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Something went wrong</title></head>` +
	`<body><h1>Something went wrong</h1><p>Please try again in a moment.</p></body></html>`
