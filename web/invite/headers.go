package invite

import "github.com/gofiber/fiber/v2"

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
