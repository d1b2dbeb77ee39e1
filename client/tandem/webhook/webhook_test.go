package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/tandemhq/tandem/client/tandem"
)

// The Standard Webhooks reference library's own test vector.
const (
	specSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	specID     = "msg_p5jXN8AQM9LWM0D4loKWxJek"
	specTime   = 1614265330
	specBody   = `{"test": 2432232314}`
	specSig    = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
)

func headers(id string, ts int64, sig string) http.Header {
	h := http.Header{}
	h.Set("webhook-id", id)
	h.Set("webhook-timestamp", strconv.FormatInt(ts, 10))
	h.Set("webhook-signature", sig)
	return h
}

// sign signs as Tandem's server does (internal/jobs.Sign).
func sign(secret, id string, ts int64, body string) string {
	key, _ := base64.StdEncoding.DecodeString(secret[len("whsec_"):])
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id + "." + strconv.FormatInt(ts, 10) + "." + body))
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

func TestVerify(t *testing.T) {
	at := time.Unix(specTime, 0)
	other := "whsec_" + base64.StdEncoding.EncodeToString([]byte("another secret of 24 byt"))
	for _, tc := range []struct {
		name   string
		secret string
		h      http.Header
		body   string
		now    time.Time
		want   error
	}{
		{"the specification's vector", specSecret, headers(specID, specTime, specSig), specBody, at, nil},
		{"the new secret's signature second, after a rotation", specSecret, headers(specID, specTime, sign(other, specID, specTime, specBody)+" "+specSig), specBody, at, nil},
		{"an unknown version is skipped", specSecret, headers(specID, specTime, "v1a,xyz "+specSig), specBody, at, nil},
		{"four minutes late", specSecret, headers(specID, specTime, specSig), specBody, at.Add(4 * time.Minute), nil},
		{"six minutes late", specSecret, headers(specID, specTime, specSig), specBody, at.Add(6 * time.Minute), ErrInvalidTimestamp},
		{"six minutes early", specSecret, headers(specID, specTime, specSig), specBody, at.Add(-6 * time.Minute), ErrInvalidTimestamp},
		{"another body", specSecret, headers(specID, specTime, specSig), `{"test": 2432232315}`, at, ErrNoMatch},
		{"another id", specSecret, headers("msg_other", specTime, specSig), specBody, at, ErrNoMatch},
		{"another secret", other, headers(specID, specTime, specSig), specBody, at, ErrNoMatch},
		{"no signature header", specSecret, headers(specID, specTime, ""), specBody, at, ErrMissingHeaders},
		{"a secret that is not base64", "whsec_!!", headers(specID, specTime, specSig), specBody, at, ErrInvalidSecret},
		{"a timestamp that is not a number", specSecret, http.Header{"Webhook-Id": {specID}, "Webhook-Timestamp": {"soon"}, "Webhook-Signature": {specSig}}, specBody, at, ErrInvalidTimestamp},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev, err := verify(tc.secret, tc.h, []byte(tc.body), tc.now)
			if !errors.Is(err, tc.want) || (err == nil) != (ev != nil) {
				t.Fatalf("verify: %v, %v; want %v", ev, err, tc.want)
			}
			if ev != nil && (ev.ID != specID || string(ev.RawData) != "") {
				t.Errorf("event %+v", ev)
			}
		})
	}
}

// TestNow: Verify reads the clock.
func TestNow(t *testing.T) {
	now := time.Now().Unix()
	body := `{"id":"msg_1","type":"webhook.test","api_version":"2026-12-01","created_at":"2026-01-02T03:04:05Z","data":{"endpoint":"whe_1","message":"This is a test event from Tandem."}}`
	ev, err := Verify(specSecret, headers("msg_1", now, sign(specSecret, "msg_1", now, body)), []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if test, ok := ev.Data.(*Test); !ok || test.Endpoint != "whe_1" || ev.Type != TypeTest || ev.ID != "msg_1" || ev.APIVersion != APIVersion ||
		!ev.CreatedAt.Equal(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)) {
		t.Errorf("event %+v, data %+v", ev, ev.Data)
	}
	// The signature covers both, but a body naming another message is not
	// the message its headers name.
	if _, err := Verify(specSecret, headers("msg_2", now, sign(specSecret, "msg_2", now, body)), []byte(body)); !errors.Is(err, ErrIDMismatch) {
		t.Errorf("a body of msg_1 under webhook-id msg_2: %v", err)
	}
	if _, err := Verify(specSecret, headers(specID, specTime, specSig), []byte(specBody)); !errors.Is(err, ErrInvalidTimestamp) {
		t.Errorf("a message of 2021: %v", err)
	}
}

// TestDecode: data decodes by type, as the server renders it.
func TestDecode(t *testing.T) {
	for _, tc := range []struct {
		body  string
		check func(data any) bool
	}{
		{`{"type":"reward.issued","created_at":"2026-01-02T03:04:05Z","data":{"id":"rwd_1","participant":"alice","status":"issued","amount":1000,"currency":"USD","quantity":1}}`,
			func(d any) bool {
				r, ok := d.(*tandem.RewardToken)
				return ok && r.ID == "rwd_1" && *r.Amount == 1000 && r.Status == tandem.RewardTokenStatusIssued
			}},
		{`{"type":"quest.progressed","created_at":"2026-01-02T03:04:05Z","data":{"step":"signed_up","done":1,"invitation":{"id":"inv_1","host":"alice","guest":"bob","progress":{"done":1,"total":2}}}}`,
			func(d any) bool {
				q, ok := d.(*QuestProgressed)
				return ok && q.Invitation.ID == "inv_1" && q.Invitation.Host == "alice" && q.Invitation.Progress.Done == 1 && q.Step == "signed_up" && q.Done == 1
			}},
		{`{"type":"invitation.claimed","created_at":"2026-01-02T03:04:05Z","data":{"id":"inv_1","status":"claimed","guest":"bob"}}`,
			func(d any) bool {
				i, ok := d.(*tandem.Invitation)
				return ok && i.Status == tandem.InvitationStatusClaimed && *i.Guest == "bob"
			}},
		{`{"type":"invitation.expired","created_at":"2026-01-02T03:04:05Z","data":{"id":"inv_1","status":"expired","host":"alice","guest":null}}`,
			func(d any) bool {
				i, ok := d.(*tandem.Invitation)
				return ok && i.ID == "inv_1" && i.Status == tandem.InvitationStatusExpired && i.Guest == nil
			}},
		{`{"type":"campaign.published","created_at":"2026-01-02T03:04:05Z","data":{"slug":"spring","status":"active","current_version":3,"version":{"version":3},"draft":null}}`,
			func(d any) bool {
				c, ok := d.(*tandem.Campaign)
				return ok && c.Slug == "spring" && *c.CurrentVersion == 3 && c.Version.Version == 3 && c.Draft == nil
			}},
		{`{"type":"campaign.ended","created_at":"2026-01-02T03:04:05Z","data":{"slug":"spring","status":"ended"}}`,
			func(d any) bool { c, ok := d.(*tandem.Campaign); return ok && c.Status == tandem.CampaignStatusEnded }},
		{`{"type":"raffle.drawn","created_at":"2026-01-02T03:04:05Z","data":{"id":"rfl_1","winners":["alice"]}}`,
			func(d any) bool { r, ok := d.(*tandem.Raffle); return ok && r.Winners[0] == "alice" }},
		{`{"type":"participant.updated","created_at":"2026-01-02T03:04:05Z","data":{"id":"par_1","external_id":"alice"}}`,
			func(d any) bool { p, ok := d.(*tandem.Participant); return ok && p.ExternalID == "alice" }},
		{`{"type":"reward.fulfilment_failed","created_at":"2026-01-02T03:04:05Z","data":{"id":"rwd_1","fulfilment":{"status":"failed","error":"card declined"}}}`,
			func(d any) bool {
				r, ok := d.(*tandem.RewardToken)
				return ok && r.Fulfilment != nil && r.Fulfilment.Error == "card declined"
			}},
		{`{"type":"referral.reversed","created_at":"2026-01-02T03:04:05Z","data":{"id":"ref_1"}}`,
			func(d any) bool { r, ok := d.(json.RawMessage); return ok && string(r) == `{"id":"ref_1"}` }},
	} {
		ev, err := decode([]byte(tc.body))
		if err != nil || !tc.check(ev.Data) {
			t.Errorf("%s: %+v, %v", tc.body, ev, err)
		}
	}
	if _, err := decode([]byte(`{"type":"reward.issued","data":{"amount":"ten"}}`)); err == nil {
		t.Error("a reward whose amount is a string decoded")
	}
}
