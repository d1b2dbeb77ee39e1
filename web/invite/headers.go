package invite

import (
	"crypto/sha256"
	"encoding/base64"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/views"
)

// inviteCSP is the invite pages' Content-Security-Policy: the pages are
// markup, one same-origin stylesheet and the favicon (views/invite_link.templ),
// with no script, no inline style, no form and no frame. A link anyone may
// be sent must not be framed under someone else's page (frame-ancestors,
// and X-Frame-Options for older browsers).
const inviteCSP = "default-src 'none'; style-src 'self'; img-src 'self'; " +
	"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// inviteHeaders sets the security headers of every invite page, the 429
// included. The page's URL is one person's invitation: it is not sent on
// as a Referer to the tenant's sign-up page (which gets the code as ref).
func inviteHeaders(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentSecurityPolicy, inviteCSP)
	c.Set(fiber.HeaderXFrameOptions, "DENY")
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderReferrerPolicy, "no-referrer")
	return c.Next()
}

// brandedCSP is inviteCSP opened exactly as far as the tenant's branding
// needs: its logo's origin for images, and its accent's stylesheet
// (views.BrandCSS) by the hash of its text, still with no other inline
// style.
func brandedCSP(b models.Branding) string {
	csp := inviteCSP
	if css := views.BrandCSS(b); css != "" {
		sum := sha256.Sum256([]byte(css))
		csp = strings.Replace(csp, "style-src 'self'", "style-src 'self' 'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'", 1)
	}
	if u, err := url.Parse(b.LogoURL); err == nil && b.LogoURL != "" && u.Host != "" {
		csp = strings.Replace(csp, "img-src 'self'", "img-src 'self' "+u.Scheme+"://"+u.Host, 1)
	}
	return csp
}
