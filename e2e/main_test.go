package e2e

import (
	"errors"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/tandemhq/tandem/internal/dbtest"
	"github.com/tandemhq/tandem/internal/safehttp"
	"github.com/tandemhq/tandem/internal/secretbox"
	"github.com/tandemhq/tandem/internal/stripebilling"
	"github.com/tandemhq/tandem/web"
)

var env *dbtest.Env

func TestMain(m *testing.M) { dbtest.Main(m, "e2e", &env) }

// findChromium returns the browser to drive. Without one the test is
// skipped on a developer's machine, but fails in CI (CI=true), where
// .ci/run installs Debian's chromium.
func findChromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("E2E_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("no chromium on PATH: .ci/run installs Debian's chromium package, which this test needs in CI")
	}
	t.Skip("no chromium on PATH (apt-get install chromium, or set E2E_CHROMIUM): skipping the browser test outside CI")
	return ""
}

// startServer serves the whole application on a fresh loopback port, as
// the restricted database login, and returns its base URL. PublicURL is
// the loopback address itself, so session cookies work over plain HTTP as
// in local development.
func startServer(t *testing.T) string {
	t.Helper()
	return startServerWith(t, stripebilling.Config{})
}

// startServerWith is startServer with billing's configuration (billing is
// off in startServer).
func startServerWith(t *testing.T, bill stripebilling.Config) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	app := web.New(serverConfig(t, base, bill))
	served := make(chan error, 1)
	go func() { served <- app.Listener(ln) }()
	t.Cleanup(func() {
		if err := app.ShutdownWithTimeout(10 * time.Second); err != nil {
			t.Errorf("shut the server down: %v", err)
		}
		if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("serve: %v", err)
		}
	})
	return base
}

// serverConfig is the configuration startServerWith serves base with.
func serverConfig(t *testing.T, base string, bill stripebilling.Config) web.Config {
	t.Helper()
	box, err := secretbox.New(make([]byte, secretbox.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	// Private networks allowed: the webhook endpoint is on loopback.
	return web.Config{DB: env.App, PublicURL: base, Secrets: box, WebhookPolicy: safehttp.Policy{AllowPrivateNetworks: true},
		Billing: bill}
}

// outputDir is where screenshots go: $E2E_OUT, or tandem-e2e under the
// system's temporary directory. Never inside the repository.
func outputDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("E2E_OUT")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "tandem-e2e")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}
