package api

import (
	"fmt"
	"net/http"
	"testing"

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
		for _, c := range webtest.EventCases {
			b.Run(fmt.Sprintf("%s/immutable=%v", c.Name, !mutable), func(b *testing.B) {
				webtest.BenchmarkEvents(b, handler, created.SecretKey, fmt.Sprintf("bench-%v", mutable), c)
			})
		}
	}
}
