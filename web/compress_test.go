package web

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
)

// bigPage is an HTML page well over the compressor's 200-byte floor.
var bigPage = "<!DOCTYPE html><html><body>" + strings.Repeat("<p>Referrals by Tandem.</p>", 200) + "</body></html>"

// compressedApp is a tiny app behind the compression middleware: a page,
// an htmx fragment that varies on HX-Request, a streamed CSV, an error and
// a tiny body.
func compressedApp() *fiber.App {
	app := fiber.New(fiber.Config{
		DisableStartupMessage: true,
		ErrorHandler: func(c *fiber.Ctx, err error) error {
			c.Type("html")
			return c.Status(http.StatusTeapot).SendString("<h1>" + err.Error() + "</h1>" + bigPage)
		},
	})
	app.Use(compression()...)
	app.Get("/page", func(c *fiber.Ctx) error {
		c.Type("html")
		return c.SendString(bigPage)
	})
	app.Get("/fragment", func(c *fiber.Ctx) error {
		c.Vary("HX-Request")
		c.Type("html")
		return c.SendString(bigPage[27:1000])
	})
	app.Get("/export.csv", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
		c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
			for i := range 500 {
				fmt.Fprintf(w, "reward-%d,issued,10.00,EUR\n", i)
				if i%100 == 0 {
					w.Flush()
				}
			}
		})
		return nil
	})
	app.Get("/fails", func(*fiber.Ctx) error { return errors.New("broken") })
	app.Get("/tiny", func(c *fiber.Ctx) error { return c.SendString("ok") })
	return app
}

// fetchEncoded sends a GET with the given Accept-Encoding and returns the response
// and its body as sent (not decoded).
func fetchEncoded(t *testing.T, app *fiber.App, path, acceptEncoding string) (*http.Response, []byte) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if acceptEncoding != "" {
		req.Header.Set("Accept-Encoding", acceptEncoding)
	}
	resp, err := app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

func gunzip(t *testing.T, b []byte) string {
	t.Helper()
	r, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("truncated gzip: %v", err)
	}
	return string(out)
}

func TestCompressGzipsPages(t *testing.T) {
	app := compressedApp()
	resp, body := fetchEncoded(t, app, "/page", "gzip")
	if resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding = %q, want gzip", resp.Header.Get("Content-Encoding"))
	}
	if len(body) >= len(bigPage)/4 {
		t.Errorf("gzipped page is %d bytes of %d", len(body), len(bigPage))
	}
	if got := gunzip(t, body); got != bigPage {
		t.Errorf("the page does not decompress to itself")
	}
	if !strings.Contains(resp.Header.Get("Vary"), "Accept-Encoding") {
		t.Errorf("Vary = %q, want Accept-Encoding", resp.Header.Get("Vary"))
	}

	resp, body = fetchEncoded(t, app, "/page", "gzip, deflate, br")
	if resp.Header.Get("Content-Encoding") != "br" || len(body) >= len(bigPage)/4 {
		t.Errorf("with br accepted: Content-Encoding %q, %d bytes", resp.Header.Get("Content-Encoding"), len(body))
	}

	// A client that accepts nothing gets the page as it is, and the Vary
	// that tells a cache the encodings differ.
	resp, body = fetchEncoded(t, app, "/page", "")
	if resp.Header.Get("Content-Encoding") != "" || string(body) != bigPage {
		t.Errorf("without Accept-Encoding: Content-Encoding %q, %d bytes", resp.Header.Get("Content-Encoding"), len(body))
	}
	if !strings.Contains(resp.Header.Get("Vary"), "Accept-Encoding") {
		t.Errorf("uncompressed Vary = %q, want Accept-Encoding", resp.Header.Get("Vary"))
	}
}

func TestCompressKeepsHTMXVary(t *testing.T) {
	resp, body := fetchEncoded(t, compressedApp(), "/fragment", "gzip")
	vary := resp.Header.Get("Vary")
	if !strings.Contains(vary, "HX-Request") || !strings.Contains(vary, "Accept-Encoding") {
		t.Errorf("Vary = %q, want HX-Request and Accept-Encoding", vary)
	}
	if resp.Header.Get("Content-Encoding") != "gzip" || gunzip(t, body) != bigPage[27:1000] {
		t.Errorf("the fragment is not gzipped whole")
	}
}

func TestCompressStreamsExports(t *testing.T) {
	var want strings.Builder
	for i := range 500 {
		fmt.Fprintf(&want, "reward-%d,issued,10.00,EUR\n", i)
	}
	resp, body := fetchEncoded(t, compressedApp(), "/export.csv", "gzip")
	if resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding = %q, want gzip", resp.Header.Get("Content-Encoding"))
	}
	if resp.ContentLength != -1 {
		t.Errorf("Content-Length %d on a stream", resp.ContentLength)
	}
	if got := gunzip(t, body); got != want.String() {
		t.Errorf("the streamed CSV decompresses to %d bytes, want %d", len(got), want.Len())
	}

	resp, body = fetchEncoded(t, compressedApp(), "/export.csv", "")
	if resp.Header.Get("Content-Encoding") != "" || string(body) != want.String() {
		t.Errorf("without Accept-Encoding: Content-Encoding %q, %d bytes", resp.Header.Get("Content-Encoding"), len(body))
	}
}

func TestCompressErrorPagesAndTinyBodies(t *testing.T) {
	app := compressedApp()
	resp, body := fetchEncoded(t, app, "/fails", "gzip")
	if resp.StatusCode != http.StatusTeapot || resp.Header.Get("Content-Encoding") != "gzip" ||
		!strings.HasPrefix(gunzip(t, body), "<h1>broken</h1>") {
		t.Errorf("error page: %d, Content-Encoding %q", resp.StatusCode, resp.Header.Get("Content-Encoding"))
	}
	resp, body = fetchEncoded(t, app, "/tiny", "gzip")
	if resp.Header.Get("Content-Encoding") != "" || string(body) != "ok" {
		t.Errorf("tiny body: Content-Encoding %q, body %q", resp.Header.Get("Content-Encoding"), body)
	}
}
