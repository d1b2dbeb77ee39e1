package main

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// drainLoad is how many clients keep sending events while serve drains,
// each on its own kept-alive connection, as a proxy's would be.
const drainLoad = 8

// Told to stop (SIGTERM) under load, serve loses no request: /readyz fails
// first; the clients, like a proxy, stop sending once they see it; and
// every request sent before that is answered 2xx. SHUTDOWN_DELAY is what
// makes it so: with none, the listener closes under requests still coming.
func TestDrainUnderLoad(t *testing.T) {
	// Three seconds, as fly.toml's 5 s, outlast the poll below even on a
	// busy machine (make test runs every package at once).
	tenant := env.NewTenant(t, "Drain under load")
	srv := startTandem(t, buildTandem(t), "SHUTDOWN_DELAY=3s")
	waitReady(t, srv.url)
	post := func(client *http.Client, path, body string) (int, error) {
		req, _ := http.NewRequest(http.MethodPost, srv.url+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tenant.SecretKey)
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode, nil
	}
	if status, err := post(http.DefaultClient, "/v1/event-definitions", `{"name":"page_view"}`); err != nil || status != http.StatusCreated {
		t.Fatalf("define page_view: %d %v", status, err)
	}

	// The "proxy": it polls /readyz and stops routing once it fails (or
	// cannot be reached).
	var notReady atomic.Bool
	go func() {
		for !notReady.Load() {
			resp, err := http.Get(srv.url + "/readyz")
			if err == nil {
				resp.Body.Close()
			}
			if err != nil || resp.StatusCode != http.StatusOK {
				notReady.Store(true)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()

	var (
		mu       sync.Mutex
		sent     int
		failures []string
		wg       sync.WaitGroup
	)
	for i := range drainLoad {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{Transport: &http.Transport{}, Timeout: 30 * time.Second}
			for n := 0; !notReady.Load(); n++ {
				status, err := post(client, "/v1/events", fmt.Sprintf(`{"participant":"p%d","name":"page_view","idempotency_key":"k%d-%d"}`, i, i, n))
				mu.Lock()
				sent++
				if err != nil || status >= 300 {
					failures = append(failures, fmt.Sprintf("%d %v", status, err))
				}
				mu.Unlock()
			}
		}()
	}
	time.Sleep(500 * time.Millisecond) // under load
	if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	select {
	case <-srv.exited:
		if !srv.cmd.ProcessState.Success() {
			t.Errorf("serve exited with %v after SIGTERM:\n%s", srv.cmd.ProcessState, srv.log.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve has not exited 20 s after SIGTERM")
	}
	t.Logf("%d requests sent before readiness failed, %d failed", sent, len(failures))
	if sent < drainLoad {
		t.Fatalf("only %d requests sent: no load", sent)
	}
	if len(failures) > 0 {
		t.Errorf("%d of %d requests sent before readiness failed were lost, e.g. %s", len(failures), sent, failures[0])
	}
}
