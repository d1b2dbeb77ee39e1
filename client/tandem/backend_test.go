package tandem_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/tandemhq/tandem/client/tandem"
)

// script is a server that answers each request with the next of its
// answers (the last one repeats) and records what it was sent.
type script struct {
	mu      sync.Mutex
	answers []func(w http.ResponseWriter)
	got     []got
}

type got struct {
	method, path, key, auth, body string
}

func (s *script) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.got = append(s.got, got{r.Method, r.URL.RequestURI(), r.Header.Get("Idempotency-Key"), r.Header.Get("Authorization"), string(body)})
	answer := s.answers[min(len(s.got), len(s.answers))-1]
	s.mu.Unlock()
	answer(w)
}

func status(code int, headers ...string) func(w http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		w.WriteHeader(code)
	}
}

func jsonAnswer(code int, body string, headers ...string) func(w http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/json")
		status(code, headers...)(w)
		_, _ = io.WriteString(w, body)
	}
}

const participant = `{"id":"par_9b0c3e1f2a4d4c5e8f7a6b5c4d3e2f10","external_id":"alice","email":null,"phone":null,"display_name":"Alice",
	"stripe_customer_id":null,"created_at":"2026-01-02T03:04:05Z","updated_at":"2026-01-02T03:04:05Z"}`

func newScripted(t *testing.T, answers ...func(w http.ResponseWriter)) (*tandem.Client, *script) {
	t.Helper()
	s := &script{answers: answers}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return tandem.NewClient("sk_test", tandem.WithBaseURL(srv.URL+"/"), tandem.WithBackoff(time.Millisecond, 5*time.Millisecond)), s
}

// TestRetriesKeepTheKey: an unsafe call is sent again after a 5xx and a
// 409 idempotency_in_progress, with the same body and the same
// Idempotency-Key, generated since the caller gave none.
func TestRetriesKeepTheKey(t *testing.T) {
	c, s := newScripted(t, status(http.StatusBadGateway),
		jsonAnswer(http.StatusConflict, `{"error":{"code":"idempotency_in_progress","message":"Wait."}}`),
		jsonAnswer(http.StatusCreated, participant))
	p, err := c.Participants.Upsert(context.Background(), &tandem.ParticipantRequest{ExternalID: "alice", DisplayName: tandem.String("Alice")})
	if err != nil || p.ExternalID != "alice" || p.DisplayName != "Alice" || p.Email != nil {
		t.Fatalf("upsert: %+v, %v", p, err)
	}
	if len(s.got) != 3 {
		t.Fatalf("sent %d times, want 3", len(s.got))
	}
	for _, g := range s.got {
		if g.key == "" || g.key != s.got[0].key || g.body != `{"display_name":"Alice","external_id":"alice"}` || g.auth != "Bearer sk_test" || g.path != "/v1/participants" {
			t.Errorf("attempt %+v, first %+v", g, s.got[0])
		}
	}
}

// TestCallersKey: a key the caller gives is the one sent.
func TestCallersKey(t *testing.T) {
	c, s := newScripted(t, jsonAnswer(http.StatusOK, participant))
	if _, err := c.Participants.Upsert(context.Background(), &tandem.ParticipantRequest{ExternalID: "alice"}, tandem.WithIdempotencyKey("order-42")); err != nil {
		t.Fatal(err)
	}
	if s.got[0].key != "order-42" {
		t.Errorf("key sent %q", s.got[0].key)
	}
}

// TestRetryAfter: a 429 is retried no sooner than its Retry-After.
func TestRetryAfter(t *testing.T) {
	c, s := newScripted(t, jsonAnswer(http.StatusTooManyRequests, `{"error":{"code":"rate_limited","message":"Slow down."}}`, "Retry-After", "1"),
		jsonAnswer(http.StatusOK, participant))
	start := time.Now()
	if _, err := c.Participants.Get(context.Background(), "alice"); err != nil {
		t.Fatal(err)
	}
	if waited := time.Since(start); waited < time.Second || len(s.got) != 2 {
		t.Errorf("%d attempts in %s: want 2, a second apart", len(s.got), waited)
	}
}

// TestNoRetry: a 4xx other than 429 and idempotency_in_progress is
// answered at once, as an *APIError with everything the body says.
func TestNoRetry(t *testing.T) {
	c, s := newScripted(t, jsonAnswer(http.StatusUnprocessableEntity,
		`{"error":{"code":"invalid_length","message":"channel is at most 64 characters.","field":"channel","request_id":"req_1"}}`))
	_, err := c.Invitations.Create(context.Background(), "spring", &tandem.InvitationRequest{Host: "alice"})
	var apiErr *tandem.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("error %v is not an *APIError", err)
	}
	want := tandem.APIError{StatusCode: 422, Code: "invalid_length", Message: "channel is at most 64 characters.", Field: "channel", RequestID: "req_1"}
	if *apiErr != want || len(s.got) != 1 {
		t.Errorf("got %+v after %d attempts, want %+v after 1", *apiErr, len(s.got), want)
	}
	if err.Error() != "tandem: 422 invalid_length: channel is at most 64 characters. (field channel) [request req_1]" {
		t.Errorf("message %q", err.Error())
	}
}

// TestGivesUp: after MaxRetries retries the last answer is the error,
// with the request id from the header when the body has none.
func TestGivesUp(t *testing.T) {
	s := &script{answers: []func(http.ResponseWriter){jsonAnswer(http.StatusServiceUnavailable, "<html>down</html>", "X-Request-Id", "req_2")}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	c := tandem.NewClient("sk_test", tandem.WithBaseURL(srv.URL), tandem.WithMaxRetries(2), tandem.WithBackoff(time.Millisecond, time.Millisecond))
	_, err := c.Campaigns.Get(context.Background(), "spring")
	var apiErr *tandem.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 || apiErr.Code != "" || apiErr.RequestID != "req_2" ||
		apiErr.Message != "Service Unavailable: <html>down</html>" || len(s.got) != 3 {
		t.Errorf("after %d attempts: %#v", len(s.got), err)
	}
}

// TestSecretAnswersNotRetried: a widget token cannot carry a key, so a
// 5xx is not retried (the token may have been minted); a 429 is.
func TestSecretAnswersNotRetried(t *testing.T) {
	c, s := newScripted(t, status(http.StatusInternalServerError))
	if _, err := c.WidgetTokens.Create(context.Background(), &tandem.WidgetTokenRequest{Participant: "alice", Campaign: "spring"}); err == nil {
		t.Fatal("want the 500")
	}
	if len(s.got) != 1 || s.got[0].key != "" {
		t.Errorf("sent %+v: want once, without a key", s.got)
	}
	c, s = newScripted(t, status(http.StatusTooManyRequests),
		jsonAnswer(http.StatusCreated, `{"token":"wt_x","expires_at":"2026-01-02T03:04:05Z"}`))
	if tok, err := c.WidgetTokens.Create(context.Background(), &tandem.WidgetTokenRequest{}); err != nil || tok.Token != "wt_x" || len(s.got) != 2 {
		t.Errorf("after a 429: %+v, %v, %d attempts", tok, err, len(s.got))
	}
}

// TestNetworkErrorRetried: a connection refused is retried on the same
// key; the context's deadline ends the retries.
func TestNetworkErrorRetried(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens any more
	c := tandem.NewClient("sk_test", tandem.WithBaseURL(url), tandem.WithMaxRetries(100), tandem.WithBackoff(10*time.Millisecond, 10*time.Millisecond))
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.Rewards.Redeem(ctx, "rwd_1")
	var apiErr *tandem.APIError
	if err == nil || errors.As(err, &apiErr) || time.Since(start) > time.Second {
		t.Errorf("redeem against nothing: %v after %s", err, time.Since(start))
	}
}

// TestEventKeys: an event without a key gets one in the header; with its
// own key in the body, no header is sent (the two would have to match). A
// batch's events each get a key in the body, the caller's slice unchanged.
func TestEventKeys(t *testing.T) {
	c, s := newScripted(t, status(http.StatusInternalServerError), jsonAnswer(http.StatusAccepted, `{"id":"evt_1","duplicate":false}`))
	if _, err := c.Events.Send(context.Background(), &tandem.EventRequest{Participant: "bob", Name: "signup_complete"}); err != nil {
		t.Fatal(err)
	}
	if len(s.got) != 2 || s.got[0].key == "" || s.got[1].key != s.got[0].key {
		t.Errorf("sent %+v", s.got)
	}
	c, s = newScripted(t, jsonAnswer(http.StatusAccepted, `{"id":"evt_1","duplicate":false}`))
	if _, err := c.Events.Send(context.Background(), &tandem.EventRequest{Participant: "bob", Name: "signup_complete", IdempotencyKey: tandem.String("k1")}); err != nil {
		t.Fatal(err)
	}
	if s.got[0].key != "" {
		t.Errorf("header %q sent beside the body's key", s.got[0].key)
	}
	c, s = newScripted(t, status(http.StatusBadGateway), jsonAnswer(http.StatusOK, `{"results":[]}`))
	events := []tandem.EventRequest{{Participant: "bob", Name: "a"}, {Participant: "bob", Name: "b", IdempotencyKey: tandem.String("mine")}}
	if _, err := c.Events.SendBatch(context.Background(), events); err != nil {
		t.Fatal(err)
	}
	if events[0].IdempotencyKey != nil || len(s.got) != 2 || s.got[0].body != s.got[1].body {
		t.Errorf("batch sent %+v; caller's first event now %+v", s.got, events[0])
	}
}
