package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tandemhq/tandem/internal/database"
	"github.com/tandemhq/tandem/internal/demo"
	"github.com/tandemhq/tandem/internal/pgcluster"
)

// With PostgreSQL stopped, every surface answers 503 with Retry-After (the
// API and the widget with the code unavailable), never 500; once it is
// back, each answers 200 again. The cluster is the test's own, so that
// stopping it stops nobody else's tests.
func TestSurfacesWhileTheDatabaseIsDown(t *testing.T) {
	ctx := context.Background()
	tmp, err := os.MkdirTemp("", "tandem-down-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(tmp) })
	os.Chmod(tmp, 0o755) // as root, the cluster runs as postgres
	pgPort, _ := pgcluster.FreePort()
	opts := pgcluster.Options{Dir: filepath.Join(tmp, "pgdata"), Port: pgPort, Fast: true}
	cluster, err := pgcluster.Start(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cluster.Stop() })
	if err := cluster.CreateDatabase(ctx, "tandem", ""); err != nil {
		t.Fatal(err)
	}
	if err := migrate(ctx, cluster.URL("tandem")); err != nil {
		t.Fatal(err)
	}
	const password = "down-test"
	if err := setAppPassword(ctx, cluster.URL("tandem"), password); err != nil {
		t.Fatal(err)
	}
	appURL := cluster.TCPURL("tandem_app", password, "tandem")
	db, err := database.Open(appURL)
	if err != nil {
		t.Fatal(err)
	}
	creds, err := demo.Seed(ctx, db)
	database.Close(db)
	if err != nil {
		t.Fatal(err)
	}

	port, _ := pgcluster.FreePort()
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	cfg := Config{AppDatabaseURL: appURL, Port: port, PublicURL: base,
		EncryptionKey: "BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc="}
	serveCtx, stop := context.WithCancel(ctx)
	out := &syncBuffer{}
	done := make(chan error, 1)
	go func() { done <- serveCmd(serveCtx, cfg, nil, out) }()
	t.Cleanup(func() { stop(); <-done })
	waitFor(t, func() bool { return strings.Contains(out.String(), "Tandem is running at") }, "serve to start")

	// What each surface needs, made while the database is up.
	api := func(method, path, body string) *http.Response {
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+creds.SecretKey)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	var code struct{ Code string }
	decodeBody(t, api(http.MethodPost, "/v1/campaigns/refer-a-friend/referrer-code", `{"participant":"bruno"}`), &code)
	const origin = "https://shop.example"
	decodeBody(t, api(http.MethodPut, "/v1/widget/settings", `{"allowed_origins":["`+origin+`"]}`), nil)
	var token struct{ Token string }
	decodeBody(t, api(http.MethodPost, "/v1/widget/tokens", `{"participant":"bruno","campaign":"refer-a-friend"}`), &token)
	session := consoleLogin(t, base, creds.Email, creds.Password)

	surfaces := []struct {
		name string
		req  func() *http.Request
	}{
		{"api", func() *http.Request {
			req, _ := http.NewRequest(http.MethodGet, base+"/v1/campaigns", nil)
			req.Header.Set("Authorization", "Bearer "+creds.SecretKey)
			return req
		}},
		{"widget", func() *http.Request {
			req, _ := http.NewRequest(http.MethodGet, base+"/widget/v1/me", nil)
			req.Header.Set("Authorization", "Bearer "+token.Token)
			req.Header.Set("Origin", origin)
			return req
		}},
		{"console", func() *http.Request {
			req, _ := http.NewRequest(http.MethodGet, base+"/campaigns", nil)
			for _, c := range session {
				req.AddCookie(c)
			}
			return req
		}},
		{"invite page", func() *http.Request {
			req, _ := http.NewRequest(http.MethodGet, base+"/i/"+code.Code, nil)
			return req
		}},
	}
	check := func(wantStatus int) {
		t.Helper()
		for _, s := range surfaces {
			resp, err := noRedirects.Do(s.req())
			if err != nil {
				t.Fatalf("%s: %v", s.name, err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != wantStatus {
				t.Errorf("%s: %d, want %d: %.300s", s.name, resp.StatusCode, wantStatus, body)
				continue
			}
			if wantStatus != http.StatusServiceUnavailable {
				continue
			}
			if resp.Header.Get("Retry-After") == "" {
				t.Errorf("%s: 503 without Retry-After", s.name)
			}
			if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") && !strings.Contains(string(body), `"code":"unavailable"`) {
				t.Errorf("%s: 503 with %s; want the code unavailable", s.name, body)
			}
		}
	}
	check(http.StatusOK)

	if err := cluster.Stop(); err != nil {
		t.Fatal(err)
	}
	check(http.StatusServiceUnavailable)
	if resp, err := http.Get(base + "/readyz"); err != nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("/readyz with the database down: %v %v; want 503", resp, err)
	}
	if resp, err := http.Get(base + "/livez"); err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("/livez with the database down: %v %v; want 200: the process is up", resp, err)
	}

	if cluster, err = pgcluster.Start(ctx, opts); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool {
		resp, err := http.Get(base + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}, "/readyz once the database is back")
	check(http.StatusOK)
}

// consoleLogin logs in to the console and returns the session's cookies.
func consoleLogin(t *testing.T, base, email, password string) []*http.Cookie {
	t.Helper()
	cookies, csrf := openLoginPage(t, base, "10.9.9.9")
	form := url.Values{"email": {email}, "password": {password}, "_csrf": {csrf}}
	req, _ := http.NewRequest(http.MethodPost, base+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, c := range cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	resp, err := noRedirects.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("console login: %d, want 303", resp.StatusCode)
	}
	jar := map[string]*http.Cookie{}
	for _, c := range append(cookies, resp.Cookies()...) {
		jar[c.Name] = &http.Cookie{Name: c.Name, Value: c.Value}
	}
	var out []*http.Cookie
	for _, c := range jar {
		out = append(out, c)
	}
	return out
}

func decodeBody(t *testing.T, resp *http.Response, dst any) {
	t.Helper()
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		t.Fatalf("%s %s: %d %s", resp.Request.Method, resp.Request.URL.Path, resp.StatusCode, body)
	}
	if dst != nil {
		if err := json.Unmarshal(body, dst); err != nil {
			t.Fatal(err)
		}
	}
}

// waitReady waits until serve at url says it is ready (/readyz 200), as a
// proxy does before routing to it: until then its warm-up holds the pool's
// connections, and a test's requests would queue behind it.
func waitReady(t *testing.T, url string) {
	t.Helper()
	waitFor(t, func() bool {
		resp, err := http.Get(url + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}, url+"/readyz to answer 200")
}

func waitFor(t *testing.T, cond func() bool, what string) {
	t.Helper()
	// A bound for a busy machine (the warm-up on Citus, make test running
	// every package at once), not a measure of speed.
	for deadline := time.Now().Add(90 * time.Second); !cond(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}
