package openapi

import "github.com/gofiber/fiber/v2"

// Handler serves the document raw as the server at publicURL serves it
// (ForServer; as committed without a public URL, in some tests), made on
// the first request. It is public and cacheable: a document holds nobody's
// data, and a tenant's engineer (or a code generator) needs no key to read
// it.
func Handler(raw []byte, publicURL string) fiber.Handler {
	served := served(raw, publicURL)
	return func(c *fiber.Ctx) error {
		doc, err := served()
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
		c.Set(fiber.HeaderCacheControl, "public, max-age=300")
		return c.Send(doc)
	}
}
