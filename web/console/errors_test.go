package console

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
)

// A console request cut short (its 30 s deadline, a shutdown) gets a "try
// again" page with 503 and Retry-After, never the 500 page.
func TestInterruptedRequestPage(t *testing.T) {
	app := fiber.New(fiber.Config{ErrorHandler: handleConsoleError})
	app.Get("/slow", func(*fiber.Ctx) error { return fmt.Errorf("load dashboard: %w", context.DeadlineExceeded) })
	resp, err := app.Test(httptest.NewRequest(http.MethodGet, "/slow", nil))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" ||
		!strings.Contains(string(body), "That took too long") {
		t.Errorf("%d Retry-After %q: %s", resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
}
