// Package webhook verifies the webhooks Tandem sends and decodes them.
//
// Tandem signs every message as the Standard Webhooks specification says
// (https://www.standardwebhooks.com): headers webhook-id, webhook-timestamp
// and webhook-signature, an HMAC-SHA256 of "id.timestamp.body" under the
// endpoint's secret (whsec_…). In an http.Handler:
//
//	body, err := io.ReadAll(r.Body)
//	…
//	ev, err := webhook.Verify(secret, r.Header, body)
//	if err != nil {
//		http.Error(w, "bad signature", http.StatusBadRequest)
//		return
//	}
//	switch data := ev.Data.(type) {
//	case *tandem.RewardToken: // reward.issued, reward.redeemed, …
//	case *webhook.QuestProgressed:
//	}
//
// The body is {id, type, api_version, created_at, data}: id is the
// webhook-id, and data the object as the change that sent the message left
// it (not as it stands when the message arrives).
//
// A message can arrive more than once (an attempt whose answer was lost is
// sent again, with the same webhook-id): deduplicate on Event.ID. Messages
// about one object are recorded in the order their changes committed, but
// may arrive in another (retries, several workers): to apply them in order,
// compare ids, which sort in the order the messages were recorded
// (Event.ID is time-ordered, to the millisecond), and ignore a message older
// than the last one applied to the same object.
package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Tolerance is how far a message's webhook-timestamp may be from the
// receiver's clock: older messages are refused as possible replays.
const Tolerance = 5 * time.Minute

// Errors Verify returns; test them with errors.Is.
var (
	ErrMissingHeaders   = errors.New("webhook: missing webhook-id, webhook-timestamp or webhook-signature header")
	ErrInvalidSecret    = errors.New("webhook: the secret is not whsec_ followed by base64")
	ErrInvalidTimestamp = errors.New("webhook: webhook-timestamp is not a Unix time within 5 minutes of now")
	ErrNoMatch          = errors.New("webhook: no signature matches")
)

// Verify checks that body was signed with secret (the endpoint's whsec_…
// secret, as Tandem showed it) and that its timestamp is within Tolerance
// of now, then decodes it. During the day after a secret is rotated,
// Tandem signs with both secrets; either verifies.
func Verify(secret string, headers http.Header, body []byte) (*Event, error) {
	return verify(secret, headers, body, time.Now())
}

func verify(secret string, headers http.Header, body []byte, now time.Time) (*Event, error) {
	id, ts, sigs := headers.Get("webhook-id"), headers.Get("webhook-timestamp"), headers.Get("webhook-signature")
	if id == "" || ts == "" || sigs == "" {
		return nil, ErrMissingHeaders
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil || len(key) == 0 {
		return nil, ErrInvalidSecret
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return nil, ErrInvalidTimestamp
	}
	if at := time.Unix(sec, 0); at.Before(now.Add(-Tolerance)) || at.After(now.Add(Tolerance)) {
		return nil, ErrInvalidTimestamp
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id + "." + ts + "."))
	mac.Write(body)
	want := mac.Sum(nil)
	if !anyMatches(sigs, want) {
		return nil, ErrNoMatch
	}
	ev, err := decode(body)
	if err != nil {
		return nil, err
	}
	if ev.ID != "" && ev.ID != id {
		return nil, ErrIDMismatch
	}
	ev.ID = id
	return ev, nil
}

// anyMatches reports whether one of the space-separated "v1,<base64>"
// signatures is want; other versions are skipped.
func anyMatches(sigs string, want []byte) bool {
	for _, s := range strings.Fields(sigs) {
		version, sig, ok := strings.Cut(s, ",")
		if !ok || version != "v1" {
			continue
		}
		got, err := base64.StdEncoding.DecodeString(sig)
		if err == nil && hmac.Equal(got, want) {
			return true
		}
	}
	return false
}

// Event is a verified message: the body's envelope, with its data decoded.
type Event struct {
	// ID is the message's webhook-id (the body's id): the same on every
	// retry and replay, and time-ordered (see the package documentation).
	ID string
	// Type is what happened: invitation.created, reward.issued, … (the Type
	// constants).
	Type string
	// APIVersion is the version of the contract the body follows
	// (APIVersion when this package was written).
	APIVersion string
	// CreatedAt is when Tandem recorded the change.
	CreatedAt time.Time
	// Data is the object as the change left it, decoded by Type:
	// *tandem.Invitation, *QuestProgressed, *tandem.RewardToken,
	// *tandem.Campaign, *tandem.Participant, *tandem.Raffle or *Test; for a
	// type this package does not know yet, the JSON as it came
	// (json.RawMessage).
	Data any
	// RawData is data as it came.
	RawData json.RawMessage
}

// ErrIDMismatch: the body names another message than its webhook-id.
var ErrIDMismatch = errors.New("webhook: the body's id is not its webhook-id")

func decode(body []byte) (*Event, error) {
	var msg struct {
		ID         string          `json:"id"`
		Type       string          `json:"type"`
		APIVersion string          `json:"api_version"`
		CreatedAt  time.Time       `json:"created_at"`
		Data       json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(body, &msg); err != nil {
		return nil, fmt.Errorf("webhook: decode the body: %w", err)
	}
	data, err := decodeData(msg.Type, msg.Data)
	if err != nil {
		return nil, fmt.Errorf("webhook: decode %s data: %w", msg.Type, err)
	}
	return &Event{ID: msg.ID, Type: msg.Type, APIVersion: msg.APIVersion, CreatedAt: msg.CreatedAt, Data: data, RawData: msg.Data}, nil
}
