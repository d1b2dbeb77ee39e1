package web

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/internal/webtest"
)

// lockedBuffer is the log's writer: Fiber answers on its own goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// accessLines parses the JSON lines written so far.
func (b *lockedBuffer) accessLines(t *testing.T) []map[string]any {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	var lines []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(b.buf.Bytes()))
	for sc.Scan() {
		var line map[string]any
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("a log line is not JSON: %q", sc.Text())
		}
		lines = append(lines, line)
	}
	return lines
}

// Each request writes one JSON access line with the id its response
// echoed, the route pattern (never the path, which carries the code), the
// status, duration, bytes and tenant id; never a key or a code.
func TestAccessLog(t *testing.T) {
	var logs lockedBuffer
	app := New(Config{DB: env.App, PublicURL: "https://tandem.test", RequestIDHeader: "Fly-Request-Id",
		AccessLog: slog.New(slog.NewJSONHandler(&logs, nil))})
	created := webtest.NewTenant(t, env.App)

	list := webtest.Do(t, app, http.MethodGet, "/v1/campaigns", nil, "Authorization", "Bearer "+created.SecretKey)
	invite := webtest.Do(t, app, http.MethodGet, "/i/SECRETCODE42", nil)
	missing := webtest.Do(t, app, http.MethodGet, "/v1/campaigns/nope", nil, "Authorization", "Bearer "+created.SecretKey)
	proxied := webtest.Do(t, app, http.MethodGet, "/livez", nil, "Fly-Request-Id", "01HPROXY-abc")
	forged := webtest.Do(t, app, http.MethodGet, "/livez", nil, "Fly-Request-Id", "bad id\twith tab")

	byID := map[string]map[string]any{}
	for _, line := range logs.accessLines(t) {
		if id, ok := line["request_id"].(string); ok {
			byID[id] = line
		}
	}
	for _, tc := range []struct {
		name   string
		r      webtest.Response
		route  string
		status int
		tenant string
	}{
		{"api", list, "/v1/campaigns", 200, created.TenantID.String()},
		{"invite page", invite, "/i/:code", 404, ""},
		{"api error", missing, "/v1/campaigns/:slug", 404, created.TenantID.String()},
		{"probe", proxied, "/livez", 200, ""},
	} {
		id := tc.r.Header.Get("X-Request-Id")
		line, ok := byID[id]
		if id == "" || !ok {
			t.Errorf("%s: no access line with the echoed request id %q", tc.name, id)
			continue
		}
		if line["route"] != tc.route || line["status"] != float64(tc.status) || line["method"] != "GET" ||
			line["duration"] == nil || line["bytes"] != float64(len(tc.r.Body)) {
			t.Errorf("%s: access line %v; want route %s, status %d, %d bytes", tc.name, line, tc.route, tc.status, len(tc.r.Body))
		}
		if tenant, _ := line["tenant_id"].(string); tenant != tc.tenant {
			t.Errorf("%s: tenant_id %q, want %q", tc.name, tenant, tc.tenant)
		}
	}
	if id := proxied.Header.Get("X-Request-Id"); id != "01HPROXY-abc" {
		t.Errorf("the trusted proxy's id was not kept: %q", id)
	}
	if id := forged.Header.Get("X-Request-Id"); !strings.HasPrefix(id, "req_") {
		t.Errorf("an unprintable proxy id was echoed: %q", id)
	}
	if !strings.Contains(string(missing.Body), `"request_id":"`+missing.Header.Get("X-Request-Id")+`"`) {
		t.Errorf("the API's error body lacks the request id: %s", missing.Body)
	}
	logs.mu.Lock()
	all := logs.buf.String()
	logs.mu.Unlock()
	for _, secret := range []string{created.SecretKey, "SECRETCODE42"} {
		if strings.Contains(all, secret) {
			t.Errorf("the access log contains %q", secret)
		}
	}
}

// Without a trusted header, a client's X-Request-Id is not taken: ids are
// ours, so a client cannot forge another request's.
func TestRequestIDUntrusted(t *testing.T) {
	app := New(Config{DB: env.App, PublicURL: "https://tandem.test"})
	r := webtest.Do(t, app, http.MethodGet, "/livez", nil, "X-Request-Id", "client-chosen")
	if id := r.Header.Get("X-Request-Id"); !strings.HasPrefix(id, "req_") {
		t.Errorf("X-Request-Id %q; want one of ours", id)
	}
}

// A streamed download is logged without being read: its first bytes reach
// the client while the handler's stream still waits, and its size is
// logged as unknown (-1).
func TestAccessLogLeavesStreamsAlone(t *testing.T) {
	var logs lockedBuffer
	app := fiber.New()
	app.Use(observe(slog.New(slog.NewJSONHandler(&logs, nil)), "", false))
	release := make(chan struct{})
	app.Get("/download", func(c *fiber.Ctx) error {
		c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
			w.WriteString("first line\n")
			w.Flush()
			<-release // the rest comes once the client has the first line
			w.WriteString("second line\n")
		})
		return nil
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go app.Listener(ln)
	var once sync.Once
	t.Cleanup(func() { once.Do(func() { close(release) }); app.ShutdownWithTimeout(time.Second) })

	resp, err := (&http.Client{Timeout: 5 * time.Second}).Get("http://" + ln.Addr().String() + "/download")
	if err != nil {
		t.Fatalf("%v: the stream was held back", err)
	}
	defer resp.Body.Close()
	first, err := bufio.NewReader(resp.Body).ReadString('\n')
	once.Do(func() { close(release) })
	if err != nil || first != "first line\n" {
		t.Fatalf("first line %q, %v: the stream was held back", first, err)
	}
	io.Copy(io.Discard, resp.Body)
	lines := logs.accessLines(t)
	if len(lines) != 1 || lines[0]["bytes"] != float64(-1) || lines[0]["route"] != "/download" {
		t.Errorf("access lines %v; want one for /download with bytes -1", lines)
	}
}
