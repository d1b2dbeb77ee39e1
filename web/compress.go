package web

import (
	"bytes"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
)

// compression compresses text responses (pages, htmx fragments, JSON, the
// CSV exports, styles and scripts) with brotli or gzip, whichever the
// client accepts, at the default level. Register it before every route, so
// that it wraps them all: app.Use(compression()...).
//
// Bodies under 200 bytes and binary types stay as they are, and so does a
// body that is already encoded (the static files send their own gzipped
// copy). A streamed body (SetBodyStreamWriter, the CSV exports) is
// compressed as it streams, flushed after every write, without a
// Content-Length.
func compression() []any {
	return []any{
		compress.New(compress.Config{Level: compress.LevelDefault}),
		fiber.Handler(renderForCompression),
	}
}

// renderForCompression runs inside the compressor. It renders a handler's
// error into the response here, as Fiber would after the last middleware
// returned, so that error pages are compressed like any other; and it adds
// Vary: Accept-Encoding to every response whose type may be compressed,
// compressed this time or not, so that a shared cache keeps the encodings
// apart.
func renderForCompression(c *fiber.Ctx) error {
	if err := c.Next(); err != nil {
		if err := c.App().ErrorHandler(c, err); err != nil {
			return err // Fiber answers 500, uncompressed
		}
	}
	if compressible(c.Response().Header.ContentType()) {
		c.Vary(fiber.HeaderAcceptEncoding)
	}
	return nil
}

// compressible reports whether the compressor may compress a body of this
// Content-Type (fasthttp compresses text/*, application/*, SVG, icons,
// fonts and multipart).
func compressible(contentType []byte) bool {
	for _, prefix := range []string{"text/", "application/", "image/svg+xml", "image/x-icon", "font/", "multipart/"} {
		if bytes.HasPrefix(contentType, []byte(prefix)) {
			return true
		}
	}
	return false
}
