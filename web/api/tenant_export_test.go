package api

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// isoBodyHas checks that a response's body holds each of parts.
func isoBodyHas(parts ...string) isoCheck {
	return func(t *testing.T, r apiResponse) {
		t.Helper()
		for _, part := range parts {
			if !strings.Contains(string(r.Body), part) {
				t.Errorf("the body lacks %q:\n%.500s", part, r.Body)
			}
		}
	}
}

// The account's export streams as JSON lines, a download, each line a row
// of a table; a publishable key is refused.
func TestTenantExportOverHTTP(t *testing.T) {
	a := newAPITenant(t)
	mustCall(t, a, "POST", "/v1/participants", map[string]any{"external_id": "ada", "email": "ada@example.com"}, http.StatusCreated)
	r := mustCall(t, a, "GET", "/v1/tenant/export", nil, http.StatusOK)
	if r.Header.Get("Content-Type") != "application/x-ndjson" || !strings.HasPrefix(r.Header.Get("Content-Disposition"), `attachment; filename="tandem-export-`) {
		t.Errorf("headers: %v", r.Header)
	}
	tables := map[string]int{}
	lines := bufio.NewScanner(bytes.NewReader(r.Body))
	for lines.Scan() {
		var line struct {
			Table string
			Row   map[string]any
		}
		if err := json.Unmarshal(lines.Bytes(), &line); err != nil || line.Row == nil {
			t.Fatalf("line %q: %v", lines.Bytes(), err)
		}
		tables[line.Table]++
	}
	if tables["tenants"] != 1 || tables["participants"] != 1 || tables["members"] != 1 || tables["api_keys"] != 2 {
		t.Errorf("rows by table: %v", tables)
	}
	r = doRequest(t, a.app, "GET", "/v1/tenant/export", nil, "Authorization", "Bearer "+a.publishableKey)
	wantError(t, "a publishable key", r, http.StatusForbidden, "secret_key_required", "")
}
