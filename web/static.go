package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/static"
	"github.com/tandemhq/tandem/web/internal/surface"
)

// Cache lifetimes of the static files. A content-hashed name
// (console.3f2a9c1b.css, what pages link through static.Path) names one
// version for good, so browsers keep it a year without asking again; a
// plain name (console.css) may change with the next deploy.
const (
	cacheHashed = "public, max-age=31536000, immutable"
	cachePlain  = "public, max-age=3600"
)

// serveStatic answers GET /static/* with an embedded file, by its hashed
// or its plain name, gzipped when the client accepts it.
func serveStatic(c *fiber.Ctx) error {
	a, ok := static.Lookup(c.Params("*"))
	if !ok {
		return surface.NotFound(c)
	}
	return sendAsset(c, a)
}

// serveFavicon answers /favicon.ico, which browsers ask for on any page
// without a <link rel="icon"> (a JSON response opened in a tab, say), with
// the SVG favicon the pages link.
func serveFavicon(c *fiber.Ctx) error {
	a, ok := static.Lookup("favicon.svg")
	if !ok {
		return fiber.ErrNotFound
	}
	a.Hashed = false // the name stays when the icon changes
	return sendAsset(c, a)
}

// serveWidgetScript answers /widget.js, the URL partners paste into their
// pages: the name never changes, so it is cached briefly (and revalidated
// by its ETag); the same file is also served by its hashed name.
func serveWidgetScript(c *fiber.Ctx) error {
	a, ok := static.Lookup("widget.js")
	if !ok {
		return surface.NotFound(c)
	}
	a.Hashed = false
	return sendAsset(c, a)
}

func sendAsset(c *fiber.Ctx, a static.Asset) error {
	c.Set(fiber.HeaderContentType, a.ContentType)
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Vary(fiber.HeaderAcceptEncoding)
	if a.Hashed {
		c.Set(fiber.HeaderCacheControl, cacheHashed)
	} else {
		c.Set(fiber.HeaderCacheControl, cachePlain)
		c.Set(fiber.HeaderETag, a.ETag)
		if c.Get(fiber.HeaderIfNoneMatch) == a.ETag {
			return c.SendStatus(fiber.StatusNotModified)
		}
	}
	if a.Gzip != nil && c.Context().Request.Header.HasAcceptEncoding("gzip") {
		c.Set(fiber.HeaderContentEncoding, "gzip")
		return c.Send(a.Gzip)
	}
	return c.Send(a.Content)
}
