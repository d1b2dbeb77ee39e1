package console

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/tandemhq/tandem/models"
)

// TestConsoleMalformedInput: NUL and bytes that are not UTF-8 in a query
// string, a path parameter or a form field are a 400 page, and a version
// number no PostgreSQL integer holds is a 404; all of them were 500s.
func TestConsoleMalformedInput(t *testing.T) {
	b, owner := opsOwner(t)
	inTenant(t, owner.tenantID, func(ctx context.Context) error {
		return opsPublish(ctx, "x", "Campaign x", models.ModeReferrerCode,
			models.Rules{Steps: []string{"signup_complete"}})
	})
	b.get("/rewards")
	issued := opsRewardID(t, owner.tenantID, "alice", "$10 cash")

	for _, tc := range []struct {
		path   string
		status int
	}{
		{"/campaigns?after=%00", http.StatusBadRequest},
		{"/campaigns?after=%ff", http.StatusBadRequest},
		{"/participants/%ff", http.StatusBadRequest},
		{"/participants/%00", http.StatusBadRequest},
		{"/participants?q=%00", http.StatusBadRequest},
		{"/rewards.csv?participant=%00", http.StatusBadRequest},
		{"/rewards?participant=%ff", http.StatusBadRequest},
		{"/audit?actor=%00", http.StatusBadRequest},
		{"/invitations?host=%ff", http.StatusBadRequest},
		{"/campaigns/%00", http.StatusBadRequest},
		{"/campaigns?%00=1", http.StatusBadRequest},
		{"/campaigns/x/versions/99999999999", http.StatusNotFound},
		{"/campaigns/x/versions/2147483648", http.StatusNotFound},
		{"/campaigns/x/versions/2147483647", http.StatusNotFound},
		{"/campaigns/x/versions/1", http.StatusOK},
		{"/participants/alice", http.StatusOK},
	} {
		t.Run(tc.path, func(t *testing.T) {
			p := b.get(tc.path)
			wantStatus(t, p, tc.status)
			if tc.status == http.StatusBadRequest && p.text("error-title") != errMalformedInput.Title {
				t.Errorf("title %q", p.text("error-title"))
			}
		})
	}

	for _, path := range []string{"/rewards/bulk", "/rewards/bulk/confirm"} {
		for name, form := range map[string]url.Values{
			"NUL id":          {"action": {"void"}, "id": {"\x00"}},
			"invalid UTF-8":   {"action": {"void"}, "id": {issued, "\xff"}},
			"NUL field name":  {"action": {"void"}, "id\x00": {issued}},
			"NUL in the back": {"action": {"void"}, "id": {issued}, "back": {"participant=%00"}},
		} {
			t.Run(path+" "+name, func(t *testing.T) {
				p := b.post(path, form)
				if name == "NUL in the back" {
					// The filter to go back to is dropped, as an unreadable one
					// always was; the action itself is fine.
					if p.Status >= 500 {
						t.Fatalf("status %d", p.Status)
					}
					return
				}
				wantStatus(t, p, http.StatusBadRequest)
			})
		}
	}

	t.Run("a session cookie that is not text", func(t *testing.T) {
		req := httptest.NewRequest(http.MethodGet, "/login", nil)
		req.Header.Set("Cookie", sessionCookie+"=\xff\x00")
		resp, err := b.app.Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusOK {
			t.Errorf("status %d", resp.StatusCode)
		}
	})
}

// fuzzQueryPages are the console pages that read a query string.
var fuzzQueryPages = []string{"/campaigns", "/participants", "/invitations", "/rewards", "/rewards.csv", "/audit"}

// FuzzConsoleQueryStrings sends the console's list pages any query string,
// signed in as an owner: no answer may be a 5xx.
//
//	go run ./internal/dbtest/withpg -- go test -run XXX -fuzz FuzzConsoleQueryStrings -fuzztime 60s ./web/console/
func FuzzConsoleQueryStrings(f *testing.F) {
	b, _ := opsOwner(f)
	for _, seed := range []string{"", "after=%00", "participant=%00", "actor=%00", "q=%ff", "status=issued&campaign=spring",
		"after=zzz", "host=alice&step=signup_complete", "kind=cash&participant=alice", "action=campaign.", "select=all",
		"after=00000000-0000-0000-0000-000000000000", "q=%25", "q=a%2", "status=%E2%80%AE", "campaign=" + strings.Repeat("a", 300)} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, query string) {
		// Bytes a request line cannot carry are sent escaped; everything
		// else as the fuzzer wrote it.
		var raw strings.Builder
		for i := 0; i < len(query); i++ {
			if c := query[i]; c <= ' ' || c == 0x7f || c == '#' {
				fmt.Fprintf(&raw, "%%%02X", c)
			} else {
				raw.WriteByte(c)
			}
		}
		for _, path := range fuzzQueryPages {
			req := httptest.NewRequest(http.MethodGet, path, nil)
			req.URL.RawQuery = raw.String()
			req.Header.Set(testClientIPHeader, b.addr)
			req.AddCookie(&http.Cookie{Name: sessionCookie, Value: b.session()})
			resp, err := b.app.Test(req, -1)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode >= 500 {
				t.Fatalf("GET %s?%s: status %d", path, raw.String(), resp.StatusCode)
			}
		}
	})
}
