package web

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
)

// Shortened timeouts for the slow-client tests, and how long a connection
// may stay open past them before the test calls it held: generous, so a
// busy machine never fails the test, and far below "never".
const (
	testTimeout  = 200 * time.Millisecond
	closedWithin = 10 * testTimeout
)

// serveOnLoopback serves app on 127.0.0.1 and returns its address.
func serveOnLoopback(t *testing.T, app *fiber.App) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- app.Listener(ln) }()
	t.Cleanup(func() {
		app.ShutdownWithTimeout(time.Second)
		ln.Close()
		<-done
	})
	return ln.Addr().String()
}

func slowClientApp(t *testing.T) string {
	t.Helper()
	return serveOnLoopback(t, New(Config{DB: env.App, PublicURL: "http://localhost",
		ReadTimeout: testTimeout, IdleTimeout: testTimeout}))
}

// waitClosed reads from conn until the server closes it, and fails the test
// if it is still open closedWithin after since. What the server says first
// (a 408, say) does not matter.
func waitClosed(t *testing.T, conn net.Conn, since time.Time) {
	t.Helper()
	conn.SetReadDeadline(since.Add(closedWithin))
	_, err := io.Copy(io.Discard, conn)
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		t.Fatalf("the server still holds the connection %s later", closedWithin)
	}
	// err is nil (EOF) or a reset: either way, closed.
}

func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// A client that sends part of a request and then nothing is cut off after
// ReadTimeout: in the request line, in the headers, or in the body.
func TestSlowClientPartialRequestIsCut(t *testing.T) {
	addr := slowClientApp(t)
	for name, partial := range map[string]string{
		"request line": "GET /heal",
		"headers":      "GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: 1",
		"body":         "POST /v1/events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"na",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			conn := dial(t, addr)
			start := time.Now()
			if _, err := io.WriteString(conn, partial); err != nil {
				t.Fatal(err)
			}
			waitClosed(t, conn, start)
		})
	}
}

// A client that trickles its headers, a byte at a time and never faster
// than the read timeout, is cut off all the same: ReadTimeout bounds the
// whole request, not the gap between bytes.
func TestSlowClientTrickledHeadersAreCut(t *testing.T) {
	conn := dial(t, slowClientApp(t))
	start := time.Now()
	go func() {
		for _, b := range []byte("GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: " + strings.Repeat("a", 200)) {
			if _, err := conn.Write([]byte{b}); err != nil {
				return // cut off
			}
			time.Sleep(testTimeout / 8)
		}
	}()
	waitClosed(t, conn, start)
}

// A kept-alive connection with no next request is closed after IdleTimeout.
func TestIdleKeepAliveConnectionIsClosed(t *testing.T) {
	conn := dial(t, slowClientApp(t))
	if _, err := io.WriteString(conn, "GET /favicon.ico HTTP/1.1\r\nHost: localhost\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Close {
		t.Fatalf("first request: %d, Connection: close %v; want 200 on a kept-alive connection", resp.StatusCode, resp.Close)
	}
	start := time.Now()
	conn.SetReadDeadline(start.Add(closedWithin))
	_, err = io.Copy(io.Discard, br)
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		t.Fatalf("the idle connection is still open %s later", closedWithin)
	}
}

// A request that keeps sending, well within the timeouts, is answered:
// the read timeout is per request, reset for each one on a kept-alive
// connection.
func TestKeepAliveRequestsWithinTimeoutsAreServed(t *testing.T) {
	conn := dial(t, slowClientApp(t))
	br := bufio.NewReader(conn)
	for i := range 3 {
		time.Sleep(testTimeout / 2)
		if _, err := io.WriteString(conn, "GET /favicon.ico HTTP/1.1\r\nHost: localhost\r\n\r\n"); err != nil {
			t.Fatal(err)
		}
		conn.SetReadDeadline(time.Now().Add(closedWithin))
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatalf("request %d: %v", i+1, err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("request %d: %d", i+1, resp.StatusCode)
		}
	}
}

func TestServerTimeoutDefaults(t *testing.T) {
	s := New(Config{DB: env.App}).Server()
	if s.ReadTimeout != defaultReadTimeout || s.WriteTimeout != defaultWriteTimeout || s.IdleTimeout != defaultIdleTimeout {
		t.Errorf("read %s, write %s, idle %s; want %s, %s, %s", s.ReadTimeout, s.WriteTimeout, s.IdleTimeout,
			defaultReadTimeout, defaultWriteTimeout, defaultIdleTimeout)
	}
	if s.HeaderReceived == nil {
		t.Error("no HeaderReceived hook: downloads get the default write timeout")
	}
}

// The rewards export streams for up to five minutes: its write deadline
// outlasts that, and nothing else gets more than WriteTimeout.
func TestDownloadWriteTimeouts(t *testing.T) {
	for uri, want := range map[string]time.Duration{
		"/rewards.csv":                  6 * time.Minute,
		"/rewards.csv?status=issued":    6 * time.Minute,
		"/REWARDS.CSV/":                 6 * time.Minute,
		"/rewards":                      defaultWriteTimeout,
		"/v1/rewards":                   defaultWriteTimeout,
		"/rewards.csv.exe":              defaultWriteTimeout,
		"/i/ABCD2345?next=/rewards.csv": defaultWriteTimeout,
	} {
		if got := writeTimeoutFor([]byte(uri), defaultWriteTimeout); got != want {
			t.Errorf("%s: write timeout %s, want %s", uri, got, want)
		}
	}
	// The path is the console's route: a rename must update the table.
	app := New(Config{DB: env.App, PublicURL: "https://tandem.test"})
	resp, err := app.Test(httptest.NewRequest(http.MethodGet, "/rewards.csv", nil))
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode == http.StatusNotFound {
		t.Error("GET /rewards.csv is not a route any more: update downloadWriteTimeouts")
	}
}

// Cancelling Config.BaseContext cancels the context every request works
// in, and so its queries.
func TestBaseContextReachesRequests(t *testing.T) {
	base, cancel := context.WithCancel(context.Background())
	cancel()
	app := New(Config{DB: env.App, PublicURL: "https://tandem.test", BaseContext: base})
	resp, err := app.Test(httptest.NewRequest(http.MethodGet, "/healthz", nil))
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("healthz under a cancelled base context: %d, want 503", resp.StatusCode)
	}
}

// The health check, static files and the favicon send nosniff.
func TestNosniffOnPlainRoutes(t *testing.T) {
	app := New(Config{DB: env.App, PublicURL: "https://tandem.test"})
	for _, path := range []string{"/healthz", "/static/invite.css", "/favicon.ico"} {
		resp, err := app.Test(httptest.NewRequest(http.MethodGet, path, nil))
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusOK || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: %d, X-Content-Type-Options %q", path, resp.StatusCode, resp.Header.Get("X-Content-Type-Options"))
		}
	}
}
