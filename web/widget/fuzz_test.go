package widget

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tandemhq/tandem/internal/webtest"
	"github.com/tandemhq/tandem/models"
)

var (
	fuzzOnce   sync.Once
	fuzzTenant *widgetTenant
	fuzzToken  string
	fuzzInputs int
)

// fuzzWidget is one tenant with an invitation campaign and a live token,
// shared by a fuzz run; its clock moves a minute per input, so that the
// write limits never stand in for the answer under test, and the token is
// renewed before it expires.
func fuzzWidget(t *testing.T) *widgetTenant {
	fuzzOnce.Do(func() {
		fuzzTenant = newWidgetTenant(t, shop)
		fuzzTenant.publish("manual", models.ModeInvitation, "signed_up")
	})
	fuzzTenant.t = t
	if fuzzInputs%1000 == 0 {
		fuzzToken = fuzzTenant.mint("host", "manual", 24*time.Hour)
	}
	fuzzInputs++
	fuzzTenant.clock.advance(time.Minute)
	return fuzzTenant
}

// send sends one request with headers as name, value pairs, and fails on
// a 5xx or a 4xx without the error shape.
func send(t *testing.T, w *widgetTenant, method, path string, body any, headers ...string) {
	t.Helper()
	r := webtest.Do(t, w.app, method, path, body, headers...)
	if r.Status >= 500 || (r.Status >= 400 && r.ErrorCode() == "") {
		t.Fatalf("%s %s, headers %q, body %q: %d %s", method, path, headers, body, r.Status, r.Body)
	}
}

// FuzzPreflight sends CORS preflights with arbitrary Origin headers and
// paths, and the same Origin on a token's read, on a real database: never
// a 5xx (an invalid UTF-8 or NUL origin was one). The seeds run in every
// `make test`; run longer with
// `go test ./web/widget -run '^$' -fuzz FuzzPreflight -fuzztime 60s`.
func FuzzPreflight(f *testing.F) {
	for _, seed := range []struct{ origin, path string }{
		{shop, "/widget/v1/invitations"}, {"null", "/widget/v1/me"}, {"", "/widget/v1/offer"},
		{"https://shop.example\x00", "/widget/v1/me"}, {"https://\xff\xfe", "/widget/v1/invitations"},
		{"\xc3\x28", "/widget/v1/nowhere"}, {strings.Repeat("a", 2000), "/widget/v1/me"}, {"HTTPS://SHOP.EXAMPLE", "/widget/v1/me"},
	} {
		f.Add(seed.origin, seed.path)
	}
	f.Fuzz(func(t *testing.T, origin, path string) {
		w := fuzzWidget(t)
		if !strings.HasPrefix(path, "/widget/v1/") || strings.IndexFunc(path, func(r rune) bool { return r <= ' ' || r >= 0x7f || strings.ContainsRune("?#%", r) }) >= 0 {
			path = "/widget/v1/me"
		}
		// Headers past the server's read buffer (4 KiB) are refused before
		// any handler, and app.Test reports that as its own error.
		origin = origin[:min(len(origin), 2048)]
		send(t, w, "OPTIONS", path, nil, "Origin", origin)
		send(t, w, "GET", "/widget/v1/me", nil, "Origin", origin, "Authorization", "Bearer "+fuzzToken)
	})
}

// FuzzInvitationBody sends arbitrary bodies to POST /widget/v1/invitations
// with a live token, on a real database: never a 5xx, every 4xx in the
// error shape. The seeds run in every `make test`.
func FuzzInvitationBody(f *testing.F) {
	for _, seed := range []string{
		`{"channel":"email","recipient":"a@b.example"}`, `{"channel":"sms","recipient":"+15550100"}`,
		`{"channel":"email","recipient":"a@b.example","host":"x"}`, `{"recipient":7}`, `{}`, `[]`, `null`, ``,
		"{\"channel\":\"\\u0000\",\"recipient\":\"a\"}", `{"channel":"email","recipient":"` + strings.Repeat("x", 5000) + `"}`,
		`{"channel":"email"}{"channel":"sms"}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		w := fuzzWidget(t)
		send(t, w, "POST", "/widget/v1/invitations", string(body), "Origin", shop, "Authorization", "Bearer "+fuzzToken)
	})
}
