package api

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// loopbackServer serves a tenant's app on 127.0.0.1 for the test's life,
// so that concurrent requests go through real connections.
type loopbackServer struct {
	base   string
	client *http.Client
	key    string
}

func serveLoopback(t *testing.T, a *apiTenant) *loopbackServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = a.app.Listener(ln) }()
	t.Cleanup(func() { _ = a.app.ShutdownWithTimeout(5 * time.Second) })
	// ExpectContinueTimeout lets a request marked "Expect: 100-continue" wait
	// for the server's verdict before sending its body.
	transport := &http.Transport{MaxConnsPerHost: 64, MaxIdleConnsPerHost: 64, ExpectContinueTimeout: 10 * time.Second}
	t.Cleanup(transport.CloseIdleConnections)
	return &loopbackServer{base: "http://" + ln.Addr().String(), client: &http.Client{Transport: transport, Timeout: time.Minute}, key: a.secretKey}
}

// post sends a JSON body with the tenant's secret key. It runs on many
// goroutines at once, so it returns errors rather than failing the test.
func (s *loopbackServer) post(path string, body any) (int, map[string]any, error) {
	raw, err := json.Marshal(body)
	if err != nil {
		return 0, nil, err
	}
	req, err := http.NewRequest(http.MethodPost, s.base+path, bytes.NewReader(raw))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+s.key)
	resp, err := s.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil, err
	}
	var decoded map[string]any
	if err := json.Unmarshal(out, &decoded); err != nil {
		return resp.StatusCode, nil, fmt.Errorf("response is not JSON: %s", out)
	}
	return resp.StatusCode, decoded, nil
}

type parallelResult struct {
	status int
	body   map[string]any
	err    error
}

// parallel sends n requests at once (released together) and returns their
// results in order.
func parallel(n int, send func(i int) (int, map[string]any, error)) []parallelResult {
	results := make([]parallelResult, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			status, body, err := send(i)
			results[i] = parallelResult{status, body, err}
		}()
	}
	close(start)
	wg.Wait()
	return results
}

// Two hundred posts of one event with one idempotency key, all at once:
// one event is stored, every answer names it, and exactly one says it was
// the first.
func TestParallelEventsWithOneKeyStoreOneEvent(t *testing.T) {
	a := newAPITenant(t)
	mustCall(t, a, "POST", "/v1/event-definitions", map[string]any{"name": "signup_complete"}, http.StatusCreated)
	s := serveLoopback(t, a)
	event := map[string]any{"participant": "racer", "name": "signup_complete", "idempotency_key": "signup:racer",
		"occurred_at": "2026-01-02T03:04:05Z", "properties": map[string]any{"plan": "pro"}}

	results := parallel(200, func(int) (int, map[string]any, error) { return s.post("/v1/events", event) })
	firsts, ids := 0, map[string]int{}
	for i, r := range results {
		if r.err != nil || r.status != http.StatusAccepted {
			t.Fatalf("request %d: %d %v %v", i, r.status, r.body, r.err)
		}
		if r.body["duplicate"] == false {
			firsts++
		}
		ids[fmt.Sprint(r.body["id"])]++
	}
	if firsts != 1 || len(ids) != 1 {
		t.Fatalf("%d answers with duplicate=false (want 1), ids %v (want one)", firsts, ids)
	}
	if n := countEvents(t, a, "racer", "signup_complete"); n != 1 {
		t.Fatalf("%d events stored, want 1", n)
	}
}

// A hundred guests claim one invitation at once: the first claim wins and
// the ninety-nine others are told it is taken.
func TestParallelClaimsOfOneInvitation(t *testing.T) {
	a := newAPITenant(t)
	publishManualCampaign(t, a, "race")
	inv := mustCall(t, a, "POST", "/v1/campaigns/race/invitations", map[string]any{"host": "host"}, http.StatusCreated)
	s := serveLoopback(t, a)

	results := parallel(100, func(i int) (int, map[string]any, error) {
		return s.post("/v1/claims", map[string]any{"code": inv.JSON["code"], "guest": fmt.Sprintf("guest-%d", i)})
	})
	created, taken := 0, 0
	winner := ""
	for i, r := range results {
		switch {
		case r.err != nil:
			t.Fatalf("request %d: %v", i, r.err)
		case r.status == http.StatusCreated:
			created++
			winner = fmt.Sprintf("guest-%d", i)
		case r.status == http.StatusConflict && (apiResponse{JSON: r.body}).ErrorCode() == "invitation_already_claimed":
			taken++
		default:
			t.Fatalf("request %d: %d %v", i, r.status, r.body)
		}
	}
	if created != 1 || taken != 99 {
		t.Fatalf("%d created, %d already claimed; want 1 and 99", created, taken)
	}
	got := mustCall(t, a, "GET", "/v1/participants/host/invitations", nil, http.StatusOK)
	if v, _ := jsonPath(got.JSON, "data.0.guest"); v != winner {
		t.Fatalf("the invitation's guest is %v, the 201 went to %s", v, winner)
	}
}

// mustCall sends one request and fails the test unless it gets status.
func mustCall(t *testing.T, a *apiTenant, method, path string, body any, status int) apiResponse {
	t.Helper()
	r := a.call(t, method, path, body)
	if r.Status != status {
		t.Fatalf("%s %s: %d %s, want %d", method, path, r.Status, r.Body, status)
	}
	return r
}

// publishManualCampaign defines signup_complete and publishes an active
// manual campaign whose quest is that one event.
func publishManualCampaign(t *testing.T, a *apiTenant, slug string) {
	t.Helper()
	mustCall(t, a, "POST", "/v1/event-definitions", map[string]any{"name": "signup_complete"}, http.StatusCreated)
	mustCall(t, a, "PUT", "/v1/campaigns/"+slug, map[string]any{"name": slug, "mode": "invitation",
		"quest":           map[string]any{"steps": []string{"signup_complete"}},
		"host_milestones": []any{map[string]any{"count": 1, "reward": map[string]any{"description": "$10", "kind": "cash", "amount": 1000, "currency": "USD"}}},
	}, http.StatusOK)
	mustCall(t, a, "POST", "/v1/campaigns/"+slug+"/publish", nil, http.StatusOK)
}

// countEvents counts a participant's stored events of one name, read as
// the owner (past RLS, by tenant id).
func countEvents(t *testing.T, a *apiTenant, participant, name string) int {
	t.Helper()
	var n int
	err := env.Owner.Raw(`SELECT count(*) FROM events e JOIN participants p ON p.tenant_id = e.tenant_id AND p.id = e.participant_id
		WHERE e.tenant_id = ? AND p.external_id = ? AND e.name = ?`, a.created.TenantID, participant, name).Scan(&n).Error
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// liveRequest sends one request to a fresh app served on 127.0.0.1, for
// what only a real connection shows: fasthttp refuses an oversized body
// while reading it, before app.Test would get a response. body is nil or a
// string; headers are name, value pairs.
func liveRequest(t *testing.T, method, path string, body any, headers ...string) apiResponse {
	t.Helper()
	s := serveLoopback(t, &apiTenant{app: newTestApp(testConfig{DB: env.App, PublicURL: "https://tandem.test"})})
	var reader io.Reader
	if b, ok := body.(string); ok {
		reader = strings.NewReader(b)
	}
	req, err := http.NewRequest(method, s.base+path, reader)
	if err != nil {
		t.Fatal(err)
	}
	if reader != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	var resp *http.Response
	if req.ContentLength > MaxBodyBytes {
		resp = headersOnly(t, s, req)
	} else if resp, err = s.client.Do(req); err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	out := apiResponse{Status: resp.StatusCode, Body: raw, Header: resp.Header}
	if err := json.Unmarshal(raw, &out.JSON); err != nil {
		t.Fatalf("%s %s: response is not JSON: %s", method, path, raw)
	}
	return out
}

// headersOnly sends req's headers, announcing its Content-Length, but not
// its body, and reads the answer: the server refuses an oversized body from
// the header alone and closes, so a client still writing the body could see
// a reset instead of the 413.
func headersOnly(t *testing.T, s *loopbackServer, req *http.Request) *http.Response {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(s.base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	var head strings.Builder
	fmt.Fprintf(&head, "%s %s HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n", req.Method, req.URL.RequestURI(), req.URL.Host, req.ContentLength)
	for name, values := range req.Header {
		fmt.Fprintf(&head, "%s: %s\r\n", name, values[0])
	}
	head.WriteString("\r\n")
	if _, err := conn.Write([]byte(head.String())); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}
