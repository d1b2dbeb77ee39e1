package web

import (
	"crypto/rand"
	"encoding/base32"
	"log/slog"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"github.com/tandemhq/tandem/internal/metrics"
	"github.com/tandemhq/tandem/internal/reqinfo"
)

// maxRequestIDLen bounds a proxy's id: it is logged and echoed as is.
const maxRequestIDLen = 128

// observe is the app's first middleware after the base context: it gives
// the request its id (the trusted proxy's, or one of ours), echoes it, and
// once the request is answered writes its access line to log (nil: none)
// and, with withMetrics, its count and latency. The line names the route
// pattern (/i/:code), never the path, which carries codes; and the tenant
// by id only (never a key, an e-mail or a code).
func observe(log *slog.Logger, trustedHeader string, withMetrics bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		start := time.Now()
		info := &reqinfo.Info{ID: proxyRequestID(c, trustedHeader)}
		if info.ID == "" {
			info.ID = newRequestID()
		}
		c.Set(fiber.HeaderXRequestID, info.ID) // on every response, and in the API's error bodies
		c.SetUserContext(reqinfo.With(c.UserContext(), info))
		// Errors no surface answered are answered here, so that the status
		// logged is the one sent.
		if err := c.Next(); err != nil {
			if herr := c.App().ErrorHandler(c, err); herr != nil {
				return herr
			}
		}
		elapsed := time.Since(start)
		status, route, method := c.Response().StatusCode(), c.Route().Path, c.Method()
		if withMetrics {
			metrics.HTTPRequests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
			metrics.HTTPDuration.WithLabelValues(route, method).Observe(elapsed.Seconds())
			if status == fiber.StatusTooManyRequests { // every 429 of ours is a limit's refusal
				metrics.RateLimitRefusals.WithLabelValues(route).Inc()
			}
		}
		if log != nil {
			attrs := []slog.Attr{
				slog.String("method", method), slog.String("route", route), slog.Int("status", status),
				slog.Duration("duration", elapsed), slog.Int("bytes", bodySize(c)),
				slog.String("request_id", info.ID),
			}
			if info.Tenant != uuid.Nil {
				attrs = append(attrs, slog.String("tenant_id", info.Tenant.String()))
			}
			log.LogAttrs(c.UserContext(), slog.LevelInfo, "request", attrs...)
		}
		return nil
	}
}

// bodySize is the size of the response's body, or -1 for one streamed
// after the handler (a download) whose length is not declared: asking
// fasthttp for such a body would read the whole stream into memory.
func bodySize(c *fiber.Ctx) int {
	if c.Response().IsBodyStream() {
		return c.Response().Header.ContentLength()
	}
	return len(c.Response().Body())
}

// proxyRequestID is the id the trusted proxy sent in header, if it is one
// we can log and echo safely: printable ASCII, not too long.
func proxyRequestID(c *fiber.Ctx, header string) string {
	if header == "" {
		return ""
	}
	id := c.Get(header)
	if len(id) > maxRequestIDLen {
		return ""
	}
	for i := 0; i < len(id); i++ {
		if id[i] <= ' ' || id[i] > '~' {
			return ""
		}
	}
	return id
}

// requestIDEncoding spells our ids in lower case without padding.
var requestIDEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// newRequestID draws 80 random bits: unique enough to find one request in
// a day's logs of every machine.
func newRequestID() string {
	var b [10]byte
	rand.Read(b[:])
	return "req_" + requestIDEncoding.EncodeToString(b[:])
}
