package console

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"
)

// consoleCSP is the console's Content-Security-Policy: same-origin files
// only, no inline script or style, no eval, no framing. htmx is configured
// for it (views.htmxConfig).
const consoleCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

// consoleTimeout bounds a console request: Fiber's user context carries no
// cancellation of its own.
const consoleTimeout = 30 * time.Second

// consoleMiddleware is the chain every console request passes, in order:
// error pages, security headers and deadline, malformed input (input.go),
// session, CSRF. (Fiber's Use wants them typed as fiber.Handler.)
func (h *handler) consoleMiddleware() []any {
	return []any{fiber.Handler(catchErrors), fiber.Handler(consoleHeaders), fiber.Handler(refuseMalformedInput),
		fiber.Handler(h.loadSession), fiber.Handler(h.checkCSRF)}
}

// consoleHeaders sets the security headers of every console response and
// gives the request a deadline. Console pages are private: never cached.
func consoleHeaders(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentSecurityPolicy, consoleCSP)
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderReferrerPolicy, "same-origin")
	c.Set(fiber.HeaderXFrameOptions, "DENY")
	c.Set(fiber.HeaderCacheControl, "no-store")
	ctx, cancel := context.WithTimeout(c.UserContext(), consoleTimeout)
	defer cancel()
	c.SetUserContext(ctx)
	return c.Next()
}

// checkCSRF guards every unsafe console request (anything but GET, HEAD,
// OPTIONS) twice:
//
//  1. It must come from this site: a browser's Sec-Fetch-Site must be
//     same-origin (or none: typed by the user), and an Origin header, when
//     there is one, must name the host the request was sent to. This is the
//     algorithm of Go's net/http.CrossOriginProtection.
//  2. It must carry the expected CSRF token, in the X-CSRF-Token header
//     (htmx sends it through hx-headers on <body>) or the _csrf form field
//     (views.CSRFField): the session's token when the session has one (a
//     signed-in member's), else the signed-out token of the visitor's CSRF
//     cookie (signedOutCSRFToken). A missing, foreign or stale token is
//     refused.
//
// Either failure is a 403 page. GET handlers never change anything.
func (h *handler) checkCSRF(c *fiber.Ctx) error {
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return c.Next()
	}
	if !h.sameOrigin(c) {
		return errCrossSite
	}
	want := h.sessions.GetString(c.UserContext(), sessCSRF)
	if want == "" {
		want = csrfCookieToken(c)
	}
	got := c.Get("X-CSRF-Token")
	if got == "" {
		got = c.FormValue("_csrf")
	}
	if want == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return errCSRF
	}
	return c.Next()
}

// sameOrigin reports whether an unsafe request may come from this site:
// its Origin names the host it was sent to, or the server's PublicURL (for
// a proxy that rewrites Host). Requests without either header (not from a
// browser, or a very old one) pass: the CSRF token still guards them.
func (h *handler) sameOrigin(c *fiber.Ctx) bool {
	switch c.Get("Sec-Fetch-Site") {
	case "same-origin", "none":
		return true
	case "":
	default:
		return false
	}
	origin := c.Get(fiber.HeaderOrigin)
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return false
	}
	if u.Host == c.Get(fiber.HeaderHost) {
		return true
	}
	public, err := url.Parse(h.cfg.PublicURL)
	return err == nil && public.Host != "" && u.Scheme == public.Scheme && u.Host == public.Host
}

// csrfCookie holds the CSRF token of a visitor without a session: the
// forms of the log-in, sign-up and join pages need one, and a session row
// for every visitor who merely opens a page would let anyone fill the
// sessions table. The token is a double-submit one: a random value in this
// cookie (HttpOnly, SameSite=Strict, Secure like the session cookie) and
// the same value in the form, compared in constant time. Another site can
// neither read the cookie nor set it, so it cannot put the right value in a
// form; Sec-Fetch-Site and Origin are checked first all the same. Chosen
// over an HMAC-signed token because it needs no server secret to configure,
// share between machines and rotate.
const csrfCookie = "tandem_csrf"

// csrfTokenLength is the length of a token: 32 random bytes, base64url.
const csrfTokenLength = 43

// signedOutCSRFToken is the CSRF token of a page for visitors who may have
// no session (log in, sign up, join): the session's when it has one, else
// the visitor's CSRF cookie, set now with a fresh token when missing. No
// session is created.
func (h *handler) signedOutCSRFToken(c *fiber.Ctx) string {
	if t := h.sessions.GetString(c.UserContext(), sessCSRF); t != "" {
		return t
	}
	if t := csrfCookieToken(c); t != "" {
		return t
	}
	t := randomCSRFToken()
	c.Cookie(&fiber.Cookie{
		Name:     csrfCookie,
		Value:    t,
		Path:     "/",
		HTTPOnly: true,
		Secure:   h.sessions.Cookie.Secure,
		SameSite: fiber.CookieSameSiteStrictMode,
	})
	return t
}

// csrfCookieToken is the token of the request's CSRF cookie, or "" when it
// has none or one of another shape.
func csrfCookieToken(c *fiber.Ctx) string {
	t := c.Cookies(csrfCookie)
	if len(t) != csrfTokenLength {
		return ""
	}
	for i := 0; i < len(t); i++ {
		if b := t[i]; !('a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || b == '-' || b == '_') {
			return ""
		}
	}
	return t
}

// newCSRFToken puts a fresh random CSRF token in the session, at log-in.
func (h *handler) newCSRFToken(ctx context.Context) string {
	t := randomCSRFToken()
	h.sessions.Put(ctx, sessCSRF, t)
	return t
}

// randomCSRFToken draws a token: 32 random bytes, base64url.
func randomCSRFToken() string {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		panic("console: no randomness for a CSRF token: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(raw)
}
