package widget

import (
	"net/http"
	"testing"
	"time"

	"github.com/tandemhq/tandem/models"
)

// An Origin that is no text (invalid UTF-8, NUL) is 400 invalid_origin on
// every path, preflight or not: it was passed to the database raw, a 500.
func TestMalformedOriginIsRefused(t *testing.T) {
	w := newWidgetTenant(t, shop)
	w.publish("spring", models.ModeReferrerCode, "signed_up")
	token := w.mint("host", "spring", time.Hour)
	for _, origin := range []string{"https://shop.example\x00", "https://sh\xffop.example", "\xc3\x28", "\x00"} {
		for _, req := range []struct{ method, path, token string }{
			{"OPTIONS", "/widget/v1/invitations", ""},
			{"OPTIONS", "/widget/v1/offer", ""},
			{"GET", "/widget/v1/me", token},
			{"GET", "/widget/v1/me", ""},
			{"GET", "/widget/v1/offer?campaign=spring&key=" + w.created.PublishableKey, ""},
		} {
			r := w.do(req.method, req.path, nil, req.token, origin)
			if r.Status != http.StatusBadRequest || r.ErrorCode() != "invalid_origin" {
				t.Errorf("%s %s, Origin %q: %d %s; want 400 invalid_origin", req.method, req.path, origin, r.Status, r.Body)
			}
		}
	}
}

// The widget's body is read by the API's strict decoder: unknown fields,
// wrong types, trailing data and another content type are refused, and
// nothing is written.
func TestInvitationBodyIsStrict(t *testing.T) {
	w := newWidgetTenant(t, shop)
	w.publish("manual", models.ModeInvitation, "signed_up")
	token := w.mint("host", "manual", time.Hour)
	for _, c := range []struct {
		what        string
		body        any
		contentType string
		status      int
		code, field string
	}{
		{"an unknown field", `{"channel":"email","recipient":"a@b.example","host":"someone-else"}`, "", http.StatusUnprocessableEntity, "unknown_field", "host"},
		{"a wrong type", `{"channel":"email","recipient":7}`, "", http.StatusUnprocessableEntity, "invalid_type", "recipient"},
		{"two values", `{"channel":"email"}{"channel":"sms"}`, "", http.StatusBadRequest, "invalid_json", ""},
		{"no body", "", "", http.StatusBadRequest, "invalid_json", ""},
		{"a form", `{"channel":"email"}`, "text/plain", http.StatusUnsupportedMediaType, "unsupported_media_type", ""},
	} {
		headers := []string{"Authorization", "Bearer " + token, "Origin", shop}
		if c.contentType != "" {
			headers = append(headers, "Content-Type", c.contentType)
		}
		r := w.doWith("POST", "/widget/v1/invitations", c.body, headers...)
		field, _ := r.JSON["error"].(map[string]any)["field"].(string)
		if r.Status != c.status || r.ErrorCode() != c.code || field != c.field {
			t.Errorf("%s: %d %s; want %d %s (field %q)", c.what, r.Status, r.Body, c.status, c.code, c.field)
		}
	}
	var n int64
	if err := env.Owner.Raw(`SELECT count(*) FROM invitations WHERE tenant_id = ?`, w.created.TenantID).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("refused bodies wrote %d invitations", n)
	}
}
