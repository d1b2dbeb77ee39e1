package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tandemhq/tandem/internal/dbtest"
	"github.com/tandemhq/tandem/internal/pgcluster"
)

var env *dbtest.Env

func TestMain(m *testing.M) { dbtest.Main(m, "cmd_tandem", &env) }

func TestMigrateSetsAppPassword(t *testing.T) {
	ctx := context.Background()
	hash := func() (h string) {
		env.Owner.Raw("SELECT rolpassword FROM pg_authid WHERE rolname = 'tandem_app'").Scan(&h)
		return h
	}
	before := hash()
	var out bytes.Buffer
	// The password tests log in with: other packages run at the same time.
	cfg := Config{DatabaseURL: env.OwnerURL, AppDatabasePassword: dbtest.AppPassword}
	if err := migrateCmd(ctx, cfg, nil, &out); err != nil {
		t.Fatal(err)
	}
	if after := hash(); after == before || after == "" {
		t.Error("the password of tandem_app was not set again")
	}
}

// TestServeEmbedded runs `tandem serve` as on a fresh checkout: no database
// URL, so it creates, migrates and later stops its own cluster.
func TestServeEmbedded(t *testing.T) {
	tmp, err := os.MkdirTemp("", "tandem-serve-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(tmp) })
	// As root, the cluster runs as postgres, who must reach the data dir.
	os.Chmod(tmp, 0o755)
	pgPort, _ := pgcluster.FreePort()
	httpPort, _ := pgcluster.FreePort()
	cfg := Config{
		Port:      httpPort,
		PublicURL: fmt.Sprintf("http://localhost:%d", httpPort),
		DataDir:   filepath.Join(tmp, ".tandem", "pgdata"),
		PGPort:    pgPort,
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &syncBuffer{}
	done := make(chan error, 1)
	go func() { done <- serveCmd(ctx, cfg, nil, out) }()

	deadline := time.Now().Add(time.Minute)
	for !strings.Contains(out.String(), "Tandem is running at "+cfg.PublicURL) {
		select {
		case err := <-done:
			t.Fatalf("serve returned early: %v", err)
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatal("serve did not start within a minute")
		}
	}
	resp, err := http.Get(cfg.PublicURL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("healthz: %d", resp.StatusCode)
	}

	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(cfg.DataDir, "postmaster.pid")); err == nil {
		t.Error("the embedded cluster is still running after serve returned")
	}
}

// The embedded default serves as the restricted role, logged in with a
// password over TCP, never as the superuser.
func TestEmbeddedServesAsAppRole(t *testing.T) {
	tmp, err := os.MkdirTemp("", "tandem-embedded-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(tmp) })
	os.Chmod(tmp, 0o755)
	pgPort, _ := pgcluster.FreePort()
	cfg := Config{DataDir: filepath.Join(tmp, "pgdata"), PGPort: pgPort}
	d, err := openApp(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	var sessionUser, transport string
	err = d.DB.Raw(`SELECT session_user::text, CASE WHEN inet_client_addr() IS NULL THEN 'socket' ELSE 'tcp' END`).
		Row().Scan(&sessionUser, &transport)
	if err != nil {
		t.Fatal(err)
	}
	if sessionUser != "tandem_app" || transport != "tcp" {
		t.Errorf("serving as %s over %s; want tandem_app over tcp", sessionUser, transport)
	}
	info, err := os.Stat(cfg.DataDir + ".app-password")
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("the app password file has mode %v, want 0600", info.Mode().Perm())
	}
}

// syncBuffer is written by the server goroutine and read by the test.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
