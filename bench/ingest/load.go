package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/valyala/fasthttp"
)

// apiLoad posts events to the server over HTTP: clients goroutines on
// 127.0.0.1, each on a keep-alive HTTP/1.1 connection of its own,
// authenticated with the tenant's secret key. Each sends one request after
// another — one event to POST /v1/events, or a batch to POST
// /v1/events/batch — and checks the answer: 202 (single) or 200 with every
// event "created" (batch). Any other answer is an error.
//
// The client is fasthttp's, which reuses its requests' and answers'
// buffers: this process shares the machine's CPUs with the server and
// PostgreSQL, as pgbench does with PostgreSQL in the references, and
// net/http's client spent twice pgbench's CPU on a single event, CPU that
// figure 1 then lacked (bench/README.md).
type apiLoad struct {
	base   string // http://127.0.0.1:port
	key    string // the tenant's secret key, sk_…
	client *fasthttp.HostClient
}

// newAPILoad returns a load generator that keeps up to clients connections
// open.
func newAPILoad(base, key string, clients int) *apiLoad {
	return &apiLoad{base: base, key: key, client: &fasthttp.HostClient{
		Addr:                          strings.TrimPrefix(base, "http://"),
		MaxConns:                      clients,
		MaxIdleConnDuration:           time.Minute,
		ReadTimeout:                   2 * time.Minute,
		WriteTimeout:                  2 * time.Minute,
		MaxResponseBodySize:           64 << 20,
		DisableHeaderNamesNormalizing: true,
	}}
}

// close drops the idle connections.
func (l *apiLoad) close() { l.client.CloseIdleConnections() }

// do sends one request with the tenant's key (and body, as JSON, unless
// nil), copies the answer's body into answer and returns its status.
func (l *apiLoad) do(method, path string, body []byte, answer *bytes.Buffer) (int, error) {
	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer func() {
		fasthttp.ReleaseRequest(req)
		fasthttp.ReleaseResponse(resp)
	}()
	req.SetRequestURI(l.base + path)
	req.Header.SetMethod(method)
	req.Header.Set("Authorization", "Bearer "+l.key)
	if body != nil {
		req.Header.SetContentType("application/json")
		req.SetBodyRaw(body)
	}
	if err := l.client.Do(req, resp); err != nil {
		return 0, err
	}
	answer.Reset()
	answer.Write(resp.Body())
	return resp.StatusCode(), nil
}

// job is one measured load: clients sending the cohort's events in order
// (event n is cohort.event(n)), perRequest events a request, until events
// have been sent or, when events is 0, until duration is up (no request
// starts after it).
type job struct {
	cohort     cohort
	clients    int
	perRequest int
	events     int
	duration   time.Duration
	// first is the cohort's event the job starts from (0: its first), so
	// that stretches of one load go on where the last left off.
	first int
	// names is the cycle of names the guests send (nil: cycle).
	names []string
}

// result is what a load or a pgbench run did.
type result struct {
	events    int             // events stored
	elapsed   time.Duration   // from the first request to the last answer; pgbench: without connecting
	latencies []time.Duration // per request, as the client saw it (none for pgbench)
	cpu       cpuUse          // by party, during the measurement
}

// rate is events per second.
func (r result) rate() float64 {
	if r.elapsed <= 0 {
		return 0
	}
	return float64(r.events) / r.elapsed.Seconds()
}

// percentile returns the p-th percentile (0 < p ≤ 100) of the latencies,
// the nearest rank.
func (r result) percentile(p float64) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	s := slices.Clone(r.latencies)
	slices.Sort(s)
	i := int(math.Ceil(p/100*float64(len(s)))) - 1
	return s[min(max(i, 0), len(s)-1)]
}

// eventBody is one event as the API takes it (web/api/events.go).
type eventBody struct {
	Participant    string `json:"participant"`
	Name           string `json:"name"`
	IdempotencyKey string `json:"idempotency_key"`
}

type eventAnswer struct {
	ID        string `json:"id"`
	Duplicate bool   `json:"duplicate"`
}

type batchAnswer struct {
	Results []struct {
		Index  int    `json:"index"`
		ID     string `json:"id"`
		Status string `json:"status"`
		Error  *struct {
			Code    string `json:"code"`
			Message string `json:"message"`
			Field   string `json:"field"`
		} `json:"error"`
	} `json:"results"`
}

// run measures one job. Before it, every client makes one request that
// writes nothing (GET /v1/event-definitions), so that no measured request
// pays for a TCP connection, as pgbench does not count connecting either.
// Idempotency keys are 32 random hex digits, as clients send UUIDs and as
// the reference draws md5(random()): every event is a new insert at a
// random place of the key's index.
func (l *apiLoad) run(ctx context.Context, j job) (result, error) {
	if err := l.warm(j.clients); err != nil {
		return result{}, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		next     atomic.Int64
		firstErr error
		errOnce  sync.Once
		wg       sync.WaitGroup
	)
	lat := make([][]time.Duration, j.clients)
	names := j.names
	if names == nil {
		names = cycle
	}
	start := time.Now()
	deadline := start.Add(j.duration)
	for c := range j.clients {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(rand.Uint64(), uint64(c)))
			events := make([]eventBody, j.perRequest)
			var body, answer bytes.Buffer
			for ctx.Err() == nil {
				first := int(next.Add(int64(j.perRequest))) - j.perRequest
				if (j.events > 0 && first+j.perRequest > j.events) || (j.events == 0 && time.Now().After(deadline)) {
					return
				}
				for i := range events {
					guest, name := j.cohort.eventIn(j.first+first+i, names)
					events[i] = eventBody{guest, name, fmt.Sprintf("%016x%016x", rng.Uint64(), rng.Uint64())}
				}
				t0 := time.Now()
				if err := l.post(events, &body, &answer); err != nil {
					errOnce.Do(func() {
						firstErr = fmt.Errorf("%s, events %d…: %w", j.cohort.prefix, first, err)
						cancel()
					})
					return
				}
				lat[c] = append(lat[c], time.Since(t0))
			}
		})
	}
	wg.Wait()
	res := result{elapsed: time.Since(start)}
	if firstErr != nil {
		return result{}, firstErr
	}
	if err := ctx.Err(); err != nil {
		return result{}, err
	}
	for _, x := range lat {
		res.latencies = append(res.latencies, x...)
	}
	res.events = len(res.latencies) * j.perRequest
	return res, nil
}

// post sends one event, or one batch, and checks the answer: every event
// stored now, none a duplicate. The time it takes includes reading the
// whole answer.
func (l *apiLoad) post(events []eventBody, body, answer *bytes.Buffer) error {
	body.Reset()
	path, want := "/v1/events", http.StatusAccepted
	if len(events) == 1 {
		body.Write(appendEvent(body.AvailableBuffer(), events[0]))
	} else {
		b := append(body.AvailableBuffer(), `{"events":[`...)
		for i, e := range events {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendEvent(b, e)
		}
		body.Write(append(b, "]}"...))
		path, want = "/v1/events/batch", http.StatusOK
	}
	status, err := l.do(http.MethodPost, path, body.Bytes(), answer)
	if err != nil {
		return err
	}
	if status != want {
		return fmt.Errorf("POST %s: %d: %s", path, status, snippet(answer.Bytes()))
	}
	if len(events) == 1 {
		var a eventAnswer
		if err := json.Unmarshal(answer.Bytes(), &a); err != nil {
			return fmt.Errorf("POST %s: %w: %s", path, err, snippet(answer.Bytes()))
		}
		if a.ID == "" || a.Duplicate {
			return fmt.Errorf("POST %s: event %q not stored as new: %s", path, events[0].IdempotencyKey, snippet(answer.Bytes()))
		}
		return nil
	}
	// Counted, not decoded, when all is well: decoding 1,000 results cost
	// this process more CPU per event than pgbench spends on the reference,
	// on the same two cores. Any other answer is decoded, to say which
	// event was not stored.
	if bytes.Count(answer.Bytes(), []byte(`"status":"created"`)) == len(events) &&
		bytes.Count(answer.Bytes(), []byte(`"index":`)) == len(events) {
		return nil
	}
	var a batchAnswer
	if err := json.Unmarshal(answer.Bytes(), &a); err != nil {
		return fmt.Errorf("POST %s: %w: %s", path, err, snippet(answer.Bytes()))
	}
	if len(a.Results) != len(events) {
		return fmt.Errorf("POST %s: %d results for %d events", path, len(a.Results), len(events))
	}
	for i, r := range a.Results {
		if r.Status != "created" || r.Index != i || r.ID == "" {
			detail := ""
			if r.Error != nil {
				detail = fmt.Sprintf(": %s (%s) %s", r.Error.Code, r.Error.Field, r.Error.Message)
			}
			return fmt.Errorf("POST %s: event %d (%q) %s%s", path, i, events[i].IdempotencyKey, r.Status, detail)
		}
	}
	return nil
}

// appendEvent appends e as JSON, written by hand for the reason above: the
// cohorts' names and keys are plain ASCII, and any other string is left to
// encoding/json.
func appendEvent(b []byte, e eventBody) []byte {
	b = append(b, `{"participant":`...)
	b = appendString(b, e.Participant)
	b = append(b, `,"name":`...)
	b = appendString(b, e.Name)
	b = append(b, `,"idempotency_key":`...)
	b = appendString(b, e.IdempotencyKey)
	return append(b, '}')
}

func appendString(b []byte, s string) []byte {
	for i := range len(s) {
		if c := s[i]; c < 0x20 || c >= 0x7f || strings.IndexByte(`"\<>&`, c) >= 0 {
			quoted, _ := json.Marshal(s) // a string always marshals
			return append(b, quoted...)
		}
	}
	return append(append(append(b, '"'), s...), '"')
}

// warm makes n requests at once that write nothing, so that the transport
// holds n open connections (and the server has verified the key).
func (l *apiLoad) warm(n int) error {
	errs := make(chan error, n)
	var ready sync.WaitGroup
	ready.Add(n)
	for range n {
		go func() {
			ready.Done()
			ready.Wait() // all at once: n connections, not one reused n times
			var answer bytes.Buffer
			status, err := l.do(http.MethodGet, "/v1/event-definitions", nil, &answer)
			if err == nil && status != http.StatusOK {
				err = fmt.Errorf("GET /v1/event-definitions: %d: %s", status, snippet(answer.Bytes()))
			}
			if err != nil {
				err = fmt.Errorf("warm up: %w", err)
			}
			errs <- err
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			return err
		}
	}
	return nil
}

func snippet(b []byte) string {
	if len(b) > 300 {
		return string(b[:300]) + "…"
	}
	return string(b)
}
