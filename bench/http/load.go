package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tandemhq/tandem/bench/internal/ingestbench"
	"github.com/tandemhq/tandem/models"
)

// apiLoad is the HTTP API as a side: clients goroutines on 127.0.0.1, each
// on a keep-alive HTTP/1.1 connection of its own, post one event at a time
// to POST /v1/events or a batch to POST /v1/events/batch with the tenant's
// secret key, until the slice is done or its time is up. Any answer but
// 202 (single) or 200 with every event "created" (batch) is an error.
type apiLoad struct {
	base    string // http://127.0.0.1:port
	key     string // the tenant's secret key, sk_…
	clients int
	client  *http.Client
	server  *server // the separate process, for its CPU and memory; nil when in process
}

// newAPILoad returns a load generator whose transport keeps one idle
// connection per client.
func newAPILoad(base, key string, clients int, srv *server) *apiLoad {
	tr := &http.Transport{
		Proxy:               nil, // loopback, whatever HTTP_PROXY says
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        clients,
		MaxIdleConnsPerHost: clients,
		MaxConnsPerHost:     clients,
		DisableCompression:  true,
		ForceAttemptHTTP2:   false,
	}
	return &apiLoad{base: base, key: key, clients: clients, server: srv,
		client: &http.Client{Transport: tr, Timeout: 2 * time.Minute}}
}

// close drops the idle connections.
func (l *apiLoad) close() { l.client.CloseIdleConnections() }

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

// Run measures one slice. Before it, every client makes one request that
// writes nothing (GET /v1/event-definitions), so that no measured request
// pays for a TCP connection, as pgbench does not count connecting either.
func (l *apiLoad) Run(ctx context.Context, s ingestbench.Slice) (ingestbench.Result, error) {
	if s.Clients > l.clients {
		return ingestbench.Result{}, fmt.Errorf("http: %d clients on a transport sized for %d", s.Clients, l.clients)
	}
	if err := l.warm(ctx, s.Clients); err != nil {
		return ingestbench.Result{}, err
	}
	if l.server != nil {
		l.server.noteWarm()
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		next     atomic.Int64
		firstErr error
		errOnce  sync.Once
		wg       sync.WaitGroup
	)
	lat := make([][]time.Duration, s.Clients)
	cpu0, all0 := ingestbench.OwnCPU(), ingestbench.MachineCPU()
	var app0 time.Duration
	if l.server != nil {
		app0 = l.server.cpu()
		l.server.startWindow()
	}
	start := time.Now()
	deadline := start.Add(s.MaxTime)
	for c := range s.Clients {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(rand.Uint64(), uint64(c)))
			events := make([]models.EventInput, s.PerUnit)
			var body, answer bytes.Buffer
			for {
				n := next.Add(1)
				if n > int64(s.Units) || time.Now().After(deadline) || ctx.Err() != nil {
					return
				}
				s.Fill(events, rng, c)
				t0 := time.Now()
				err := l.post(ctx, events, &body, &answer)
				if err != nil {
					errOnce.Do(func() {
						firstErr = fmt.Errorf("http %s, request %d: %w", s.Cohort.Prefix, n, err)
						cancel()
					})
					return
				}
				lat[c] = append(lat[c], time.Since(t0))
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	res := ingestbench.Result{Elapsed: elapsed, ClientCPU: ingestbench.OwnCPU() - cpu0, AllCPU: ingestbench.MachineCPU() - all0}
	if l.server != nil {
		res.AppCPU = l.server.cpu() - app0
		l.server.endWindow()
	}
	if firstErr != nil {
		return ingestbench.Result{}, firstErr
	}
	for _, x := range lat {
		res.Latencies = append(res.Latencies, x...)
	}
	res.Units = len(res.Latencies)
	res.Events = res.Units * s.PerUnit
	res.Capped = res.Units < s.Units
	return res, nil
}

// post sends one event, or one batch, and checks the answer: every event
// stored now, none a duplicate. The time it takes includes reading the
// whole answer.
func (l *apiLoad) post(ctx context.Context, events []models.EventInput, body, answer *bytes.Buffer) error {
	body.Reset()
	enc := json.NewEncoder(body)
	path, want := "/v1/events", http.StatusAccepted
	if len(events) == 1 {
		e := events[0]
		if err := enc.Encode(eventBody{e.Participant, e.Name, e.IdempotencyKey}); err != nil {
			return err
		}
	} else {
		batch := struct {
			Events []eventBody `json:"events"`
		}{make([]eventBody, len(events))}
		for i, e := range events {
			batch.Events[i] = eventBody{e.Participant, e.Name, e.IdempotencyKey}
		}
		if err := enc.Encode(batch); err != nil {
			return err
		}
		path, want = "/v1/events/batch", http.StatusOK
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, l.base+path, bytes.NewReader(body.Bytes()))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+l.key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := l.client.Do(req)
	if err != nil {
		return err
	}
	answer.Reset()
	_, err = answer.ReadFrom(resp.Body)
	resp.Body.Close()
	if err != nil {
		return fmt.Errorf("read answer: %w", err)
	}
	if resp.StatusCode != want {
		return fmt.Errorf("POST %s: %s: %s", path, resp.Status, snippet(answer.Bytes()))
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

// warm makes n requests at once that write nothing, so that the transport
// holds n open connections (and the server has verified the key).
func (l *apiLoad) warm(ctx context.Context, n int) error {
	errs := make(chan error, n)
	var ready sync.WaitGroup
	ready.Add(n)
	for range n {
		go func() {
			ready.Done()
			ready.Wait() // all at once: n connections, not one reused n times
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, l.base+"/v1/event-definitions", nil)
			if err != nil {
				errs <- err
				return
			}
			req.Header.Set("Authorization", "Bearer "+l.key)
			resp, err := l.client.Do(req)
			if err != nil {
				errs <- fmt.Errorf("warm up: %w", err)
				return
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				err = fmt.Errorf("warm up: GET /v1/event-definitions: %s: %s", resp.Status, snippet(b))
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
