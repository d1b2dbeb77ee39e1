package web

import (
	"bytes"
	"strings"
	"time"

	"github.com/valyala/fasthttp"
)

// downloadWriteTimeouts are the write deadlines of the responses that
// stream for longer than Config.WriteTimeout allows, by path. The console's
// rewards export (GET /rewards.csv) streams while the database reads, for
// up to its own five-minute bound (console's exportTimeout): its deadline
// outlasts that, so the export's own timeout ends it, not a cut connection.
// A client that stops reading such a download holds its connection until
// this deadline; everything else is cut after WriteTimeout.
var downloadWriteTimeouts = map[string]time.Duration{
	"/rewards.csv": 6 * time.Minute,
}

// writeTimeouts returns the server's HeaderReceived hook: once a request's
// headers are read, it gives the downloads in downloadWriteTimeouts their
// own write deadline, and every other response def.
func writeTimeouts(def time.Duration) func(*fasthttp.RequestHeader) fasthttp.RequestConfig {
	return func(h *fasthttp.RequestHeader) fasthttp.RequestConfig {
		return fasthttp.RequestConfig{WriteTimeout: writeTimeoutFor(h.RequestURI(), def)}
	}
}

// writeTimeoutFor is the write deadline of a request for uri. Paths are
// matched as the router matches them: in any case, with or without a
// trailing slash.
func writeTimeoutFor(uri []byte, def time.Duration) time.Duration {
	path, _, _ := bytes.Cut(uri, []byte("?"))
	p := strings.ToLower(strings.TrimSuffix(string(path), "/"))
	if d, ok := downloadWriteTimeouts[p]; ok && d > def {
		return d
	}
	return def
}
