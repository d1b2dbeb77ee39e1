package api

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/valyala/fasthttp"

	"github.com/tandemhq/tandem/internal/webtest"
)

// BenchmarkEventThroughTheApp prices Fiber's Immutable (which web.New sets)
// on the hot path: POST /v1/events through the app's handler in process,
// with and without it. "stored" goes to the database; "refused" (an unknown
// field) is answered before it, so it shows the server's own time alone.
// Run with -benchmem: Immutable's cost is allocations.
func BenchmarkEventThroughTheApp(b *testing.B) {
	created := webtest.NewTenant(b, env.App)
	for _, mutable := range []bool{false, true} {
		app := newTestApp(testConfig{DB: env.App, PublicURL: "https://tandem.test", Mutable: mutable})
		a := &apiTenant{app: app, created: created, secretKey: created.SecretKey}
		if r := a.call(b, "POST", "/v1/event-definitions", map[string]any{"name": "page_view"}); r.Status >= 300 && r.Status != http.StatusConflict {
			b.Fatalf("define: %d %s", r.Status, r.Body)
		}
		handler := app.Handler()
		for _, c := range []struct {
			name, extra string
			status      int
		}{{"stored", "", http.StatusAccepted}, {"refused", `,"color":"red"`, http.StatusUnprocessableEntity}} {
			b.Run(fmt.Sprintf("%s/immutable=%v", c.name, !mutable), func(b *testing.B) {
				var fctx fasthttp.RequestCtx
				i := 0
				for b.Loop() {
					i++
					fctx.Request.Reset() // as the server does between requests
					fctx.Response.Reset()
					fctx.ResetUserValues()
					fctx.Request.Header.SetMethod(http.MethodPost)
					fctx.Request.SetRequestURI("/v1/events")
					fctx.Request.Header.SetContentType("application/json")
					fctx.Request.Header.Set("Authorization", "Bearer "+created.SecretKey)
					fctx.Request.Header.Set("Idempotency-Key", fmt.Sprintf("bench-%v-%d", mutable, i))
					fctx.Request.SetBodyString(fmt.Sprintf(`{"participant":"p%d","name":"page_view"%s}`, i%100, c.extra))
					handler(&fctx)
					if got := fctx.Response.StatusCode(); got != c.status {
						b.Fatalf("%d %s", got, fctx.Response.Body())
					}
				}
			})
		}
	}
}
