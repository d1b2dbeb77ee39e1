package web

import (
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/tandemhq/tandem/internal/webtest"
)

// BenchmarkEventObserved prices the access log and the HTTP metrics on the
// hot path: POST /v1/events through web.New's handler in process, with
// both off and with both on (one JSON line per request written to a file,
// as to a container's log). "stored" goes to the database; "refused" (an
// unknown field) is answered before it, so it shows the server's own time
// alone. The request id is given in both.
func BenchmarkEventObserved(b *testing.B) {
	created := webtest.NewTenant(b, env.App)
	logFile, err := os.Create(filepath.Join(b.TempDir(), "access.log"))
	if err != nil {
		b.Fatal(err)
	}
	defer logFile.Close()
	for _, observed := range []bool{false, true} {
		cfg := Config{DB: env.App, PublicURL: "https://tandem.test"}
		if observed {
			cfg.AccessLog, cfg.Metrics = slog.New(slog.NewJSONHandler(logFile, nil)), true
		}
		app := New(cfg)
		if r := webtest.Do(b, app, http.MethodPost, "/v1/event-definitions", map[string]any{"name": "page_view"},
			"Authorization", "Bearer "+created.SecretKey); r.Status >= 300 && r.Status != http.StatusConflict {
			b.Fatalf("define: %d %s", r.Status, r.Body)
		}
		handler := app.Handler()
		for _, c := range webtest.EventCases {
			b.Run(fmt.Sprintf("%s/observed=%v", c.Name, observed), func(b *testing.B) {
				webtest.BenchmarkEvents(b, handler, created.SecretKey, fmt.Sprintf("observed-%v", observed), c)
			})
		}
	}
}
