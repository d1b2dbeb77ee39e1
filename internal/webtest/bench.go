package webtest

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/valyala/fasthttp"
)

// EventCase is one kind of single event for BenchmarkEvents: "stored"
// reaches the database, "refused" (an unknown field) is answered before it.
type EventCase struct {
	Name, Extra string
	Status      int
}

// EventCases are the two cases the in-process benchmarks of POST /v1/events
// compare.
var EventCases = []EventCase{{"stored", "", http.StatusAccepted}, {"refused", `,"color":"red"`, http.StatusUnprocessableEntity}}

// BenchmarkEvents posts single events of c through handler, in process,
// as the server would (the request context reset between requests), each
// with an idempotency key of its own under keyPrefix.
func BenchmarkEvents(b *testing.B, handler fasthttp.RequestHandler, secretKey, keyPrefix string, c EventCase) {
	var fctx fasthttp.RequestCtx
	i := 0
	for b.Loop() {
		i++
		fctx.Request.Reset()
		fctx.Response.Reset()
		fctx.ResetUserValues()
		fctx.Request.Header.SetMethod(http.MethodPost)
		fctx.Request.SetRequestURI("/v1/events")
		fctx.Request.Header.SetContentType("application/json")
		fctx.Request.Header.Set("Authorization", "Bearer "+secretKey)
		fctx.Request.Header.Set("Idempotency-Key", fmt.Sprintf("%s-%d", keyPrefix, i))
		fctx.Request.SetBodyString(fmt.Sprintf(`{"participant":"p%d","name":"page_view"%s}`, i%100, c.Extra))
		handler(&fctx)
		if got := fctx.Response.StatusCode(); got != c.Status {
			b.Fatalf("%d %s", got, fctx.Response.Body())
		}
	}
}
