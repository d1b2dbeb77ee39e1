package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/tandemhq/tandem/internal/metrics"
	"github.com/tandemhq/tandem/internal/pgcluster"
)

// serve is not ready until its pool is warm: while the warm-up is held
// back (a lock on event_definitions, which every rehearsal writes), /readyz
// answers 503 warming_up and /livez 200; once it is let go, /readyz answers
// 200 and the warm-up's duration is in the metrics.
func TestReadyOnlyOnceWarm(t *testing.T) {
	ctx := context.Background()
	hold := env.Owner.Begin()
	if err := hold.Exec(`LOCK TABLE event_definitions IN SHARE MODE`).Error; err != nil {
		t.Fatal(err)
	}
	released := false
	release := func() {
		if !released {
			released = true
			hold.Rollback()
		}
	}
	t.Cleanup(release)

	port, _ := pgcluster.FreePort()
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	cfg := Config{AppDatabaseURL: env.AppURL, Port: port, PublicURL: base,
		EncryptionKey: "BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc="}
	serveCtx, stop := context.WithCancel(ctx)
	out := &syncBuffer{}
	done := make(chan error, 1)
	go func() { done <- serveCmd(serveCtx, cfg, nil, out) }()
	t.Cleanup(func() { stop(); <-done })
	waitFor(t, func() bool { return strings.Contains(out.String(), "Tandem is running at") }, "serve to start")
	// The warm-up has begun, and waits for the lock.
	waitFor(t, func() bool {
		var waiting int
		env.Owner.Raw(`SELECT count(*) FROM pg_locks WHERE relation = 'event_definitions'::regclass AND NOT granted`).Scan(&waiting)
		return waiting > 0
	}, "the warm-up to wait for the lock")

	status := func(path string) (int, string) {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body struct {
			Error struct{ Code string } `json:"error"`
		}
		json.NewDecoder(resp.Body).Decode(&body)
		return resp.StatusCode, body.Error.Code
	}
	if got, code := status("/readyz"); got != http.StatusServiceUnavailable || code != "warming_up" {
		t.Errorf("/readyz during the warm-up: %d %q, want 503 warming_up", got, code)
	}
	if got, _ := status("/livez"); got != http.StatusOK {
		t.Errorf("/livez during the warm-up: %d, want 200", got)
	}

	release()
	waitFor(t, func() bool { got, _ := status("/readyz"); return got == http.StatusOK }, "/readyz to answer 200")
	families, err := metrics.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	took := 0.0
	for _, f := range families {
		if f.GetName() == "tandem_pool_warm_up_seconds" {
			took = f.GetMetric()[0].GetGauge().GetValue()
		}
	}
	if took <= 0 {
		t.Errorf("tandem_pool_warm_up_seconds = %v after the warm-up", took)
	}
}
