package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tandemhq/tandem/internal/pgcluster"
)

// startServe runs serveCmd on the package's database (as tandem_app, so
// nothing is migrated) until the returned cancel, and waits until it
// listens. done receives what serveCmd returned.
func startServe(t *testing.T) (publicURL string, cancel context.CancelFunc, done <-chan error) {
	t.Helper()
	port, err := pgcluster.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{AppDatabaseURL: env.AppURL, Port: port, PublicURL: fmt.Sprintf("http://127.0.0.1:%d", port),
		EncryptionKey: "BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc="}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	out := &syncBuffer{}
	errc := make(chan error, 1)
	go func() { errc <- serveCmd(ctx, cfg, nil, out) }()
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(out.String(), "Tandem is running at") {
		select {
		case err := <-errc:
			t.Fatalf("serve returned early: %v", err)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatal("serve did not start within 30s")
		}
	}
	waitReady(t, cfg.PublicURL)
	return cfg.PublicURL, cancel, errc
}

// lockCampaigns holds an exclusive lock on the campaigns table, so that any
// request reading campaigns waits in the database, until release.
func lockCampaigns(t *testing.T) (release func()) {
	t.Helper()
	sqlDB, err := env.Owner.DB()
	if err != nil {
		t.Fatal(err)
	}
	tx, err := sqlDB.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(`LOCK TABLE campaigns IN ACCESS EXCLUSIVE MODE`); err != nil {
		tx.Rollback()
		t.Fatal(err)
	}
	t.Cleanup(func() { tx.Rollback() })
	return func() { tx.Rollback() }
}

// waitingQueries counts tandem_app's queries waiting on a lock.
func waitingQueries(t *testing.T, sqlDB *sql.DB) int {
	t.Helper()
	var n int
	err := sqlDB.QueryRow(`SELECT count(*) FROM pg_stat_activity
		WHERE datname = current_database() AND usename = 'tandem_app' AND wait_event_type = 'Lock'`).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// inFlight sends GET /v1/campaigns, which will wait on the lock, and waits
// until its query is waiting in the database. The result arrives on the
// returned channel: the status, or -1 when the connection failed.
func inFlight(t *testing.T, publicURL, secretKey string) <-chan int {
	t.Helper()
	sqlDB, _ := env.Owner.DB()
	status := make(chan int, 1)
	go func() {
		req, _ := http.NewRequest(http.MethodGet, publicURL+"/v1/campaigns", nil)
		req.Header.Set("Authorization", "Bearer "+secretKey)
		resp, err := (&http.Client{Timeout: time.Minute}).Do(req)
		if err != nil {
			status <- -1
			return
		}
		resp.Body.Close()
		status <- resp.StatusCode
	}()
	for deadline := time.Now().Add(20 * time.Second); waitingQueries(t, sqlDB) == 0; {
		if time.Now().After(deadline) {
			t.Fatal("the request's query never waited on the lock")
		}
		time.Sleep(20 * time.Millisecond)
	}
	return status
}

func withShutdownGrace(t *testing.T, d time.Duration) {
	t.Helper()
	old := shutdownGrace
	shutdownGrace = d
	t.Cleanup(func() { shutdownGrace = old })
}

// A request stuck in the database when serve is told to stop is cancelled
// (its query stops) and serve returns within its grace period.
func TestShutdownCancelsStuckRequests(t *testing.T) {
	const grace = 2 * time.Second
	withShutdownGrace(t, grace)
	tenant := env.NewTenant(t, "Shutdown stuck")
	publicURL, stop, done := startServe(t)
	lockCampaigns(t)
	status := inFlight(t, publicURL, tenant.SecretKey)

	// serve must return within its grace; the bound is generous for a busy
	// machine but far short of the 10 s a fixed grace took, let alone never.
	start := time.Now()
	stop()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve: %v; want a clean shutdown once the stuck request was cancelled", err)
		}
		t.Logf("serve returned %s after the signal (grace %s)", time.Since(start).Round(time.Millisecond), grace)
	case <-time.After(grace + 3*time.Second):
		t.Fatalf("serve has not returned %s after the signal (grace %s)", time.Since(start).Round(time.Millisecond), grace)
	}
	sqlDB, _ := env.Owner.DB()
	for deadline := time.Now().Add(5 * time.Second); waitingQueries(t, sqlDB) > 0; {
		if time.Now().After(deadline) {
			t.Fatal("the stuck request's query is still running after serve returned")
		}
		time.Sleep(20 * time.Millisecond)
	}
	select {
	case s := <-status:
		if s == http.StatusOK {
			t.Errorf("the stuck request got 200; want it cancelled")
		}
		t.Logf("the stuck request got %d", s)
	case <-time.After(5 * time.Second):
		t.Error("the stuck request got no answer and no closed connection")
	}
}

// A request that finishes within the drain time is answered as usual:
// a shutdown cancels only what outlasts it.
func TestShutdownLetsRequestsFinish(t *testing.T) {
	withShutdownGrace(t, 5*time.Second)
	tenant := env.NewTenant(t, "Shutdown drain")
	publicURL, stop, done := startServe(t)
	release := lockCampaigns(t)
	status := inFlight(t, publicURL, tenant.SecretKey)

	stop()
	time.Sleep(300 * time.Millisecond)
	release()
	select {
	case s := <-status:
		if s != http.StatusOK {
			t.Errorf("the request in flight got %d, want 200", s)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the request in flight got no answer")
	}
	if err := <-done; err != nil {
		t.Errorf("serve: %v", err)
	}
}
